import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { CustomerBulkJob, RequestBody } from './types';

/* Bulk actions on the customers list (POST /customers/bulk): small selections finish at once (200), large
 * ones run as a job (202) that GET /customer-bulk-jobs/{id} reports on. */

export type BulkAction = CustomerBulkJob['action'];

/** ids (a selection) or view (the list's parameters: everything it matches), with the action's tag or reason. */
export type BulkRequest = RequestBody<'startCustomerBulkAction'>;

export function useStartBulk() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: BulkRequest) => api.post<CustomerBulkJob>('/customers/bulk', request),
    onSuccess: (job) => {
      if (!isRunning(job)) refreshAfter(queryClient);
    },
  });
}

/** Rows, counts and tag totals may all have changed. */
function refreshAfter(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: ['customers'] });
  void queryClient.invalidateQueries({ queryKey: ['customer-tags'] });
}

export const isRunning = (job: CustomerBulkJob) => job.status === 'queued' || job.status === 'running';

/** The job, polled every half second while it runs; the lists are refreshed when it ends. */
export function useBulkJob(started: CustomerBulkJob | undefined) {
  const queryClient = useQueryClient();
  const id = started?.id;
  return useQuery({
    enabled: started !== undefined && isRunning(started),
    queryKey: ['customer-bulk', id],
    queryFn: async () => {
      const job = await api.get<CustomerBulkJob>(`/customer-bulk-jobs/${encodeURIComponent(id!)}`);
      if (!isRunning(job)) refreshAfter(queryClient);
      return job;
    },
    refetchInterval: (query) => {
      const job = query.state.data;
      return job === undefined || isRunning(job) ? 500 : false;
    },
  });
}
