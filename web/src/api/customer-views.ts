import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { CustomerView, List, RequestBody } from './types';

/* Saved views of the customers list: the caller's own and the brand's shared ones (GET/POST /customer-views). */

const VIEWS_KEY = ['customer-views'] as const;

export function useCustomerViews() {
  return useQuery({
    queryKey: VIEWS_KEY,
    queryFn: () => api.get<List<CustomerView>>('/customer-views'),
    staleTime: 60_000,
  });
}

export type ViewInput = RequestBody<'createCustomerView'>;
export type ViewChanges = RequestBody<'updateCustomerView'>;

export function useCreateView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ViewInput) => api.post<CustomerView>('/customer-views', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

export function useUpdateView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...changes }: ViewChanges & { id: string }) =>
      api.patch<CustomerView>(`/customer-views/${encodeURIComponent(id)}`, changes),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

export function useDeleteView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/customer-views/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}
