import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { components } from './generated/openapi';

/** A CSV import job as the server answers it (GET /customer-imports/{id}). */
export type CustomerImport = components['schemas']['CustomerImport'];
export type CustomerImportReportRow = components['schemas']['CustomerImportReportRow'];

export interface ImportOptions {
  mode: CustomerImport['mode'];
  update_existing: boolean;
  dry_run: boolean;
}

/** Uploads the file as the raw body (text/csv); the server answers 202 with the job, running. */
export function useStartImport() {
  return useMutation({
    mutationFn: ({ file, options }: { file: File; options: ImportOptions }) =>
      api.postFile<CustomerImport>(
        withQuery('/customer-imports', {
          mode: options.mode,
          update_existing: String(options.update_existing),
          dry_run: String(options.dry_run),
          filename: file.name,
        }),
        file,
        'text/csv',
      ),
  });
}

/** The job, polled every half second while it runs; the customer list is refreshed when it ends. */
export function useImportJob(id: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    enabled: id !== null,
    queryKey: ['customer-imports', id],
    queryFn: async () => {
      const job = await api.get<CustomerImport>(`/customer-imports/${encodeURIComponent(id!)}`);
      if (job.status !== 'running' && job.status !== 'queued') {
        void queryClient.invalidateQueries({ queryKey: ['customers'] });
      }
      return job;
    },
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'running' || status === 'queued' || status === undefined ? 500 : false;
    },
  });
}

/** Where the browser downloads the job's report (the session cookie goes along). */
export function reportUrl(id: string): string {
  return `/api/v1/customer-imports/${encodeURIComponent(id)}/report`;
}
