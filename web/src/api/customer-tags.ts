import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Customer, CustomerTag, List, RequestBody, TagColor } from './types';

/* The brand's customer tags (GET/POST /customer-tags) and a customer's own (POST/DELETE /customers/{id}/tags). */

export const TAG_COLORS: readonly TagColor[] = [
  'gray',
  'red',
  'orange',
  'amber',
  'green',
  'teal',
  'blue',
  'violet',
  'pink',
];

const TAGS_KEY = ['customer-tags'] as const;

export function useCustomerTags(enabled = true) {
  return useQuery({
    enabled,
    queryKey: TAGS_KEY,
    queryFn: () => api.get<List<CustomerTag>>('/customer-tags'),
    staleTime: 60_000,
  });
}

export function useCreateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBody<'createCustomerTag'>) => api.post<CustomerTag>('/customer-tags', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: TAGS_KEY }),
  });
}

function customerChanged(queryClient: QueryClient, customer: Customer) {
  queryClient.setQueryData(['customers', 'one', customer.id], customer);
  void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
  void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', customer.id] });
  void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
}

export function useAddCustomerTag(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tagId: string) =>
      api.post<Customer>(`/customers/${encodeURIComponent(customerId)}/tags`, { tag: tagId }),
    onSuccess: (customer) => customerChanged(queryClient, customer),
  });
}

export function useRemoveCustomerTag(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tagId: string) =>
      api.delete(`/customers/${encodeURIComponent(customerId)}/tags/${encodeURIComponent(tagId)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['customers', 'one', customerId] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', customerId] });
      void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
    },
  });
}
