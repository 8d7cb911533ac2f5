import {
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, withQuery } from './client';
import { customerListKey, PAGE_SIZE } from './customer-list';
import { isMerged, type MergedCustomer } from './merge';
import type { Customer, CustomerContact, CustomerStats, Invoice, List, Order, RequestBody, Transaction } from './types';

export function useCustomerStats() {
  return useQuery({
    queryKey: ['customers', 'stats'],
    queryFn: () => api.get<CustomerStats>('/customers/stats'),
  });
}

/** One customer; a merged id answers a pointer to its survivor (the profile goes there). */
export function useCustomer(id: string) {
  return useQuery({
    queryKey: ['customers', 'one', id],
    queryFn: () => api.get<Customer | MergedCustomer>(`/customers/${encodeURIComponent(id)}`),
  });
}

/**
 * Names for lists that carry only customer ids (invoices): one cached lookup per distinct customer on the
 * page, shared with the profile's cache. Empty when the role may not read customers.
 */
export function useCustomerNames(ids: string[], enabled: boolean): Record<string, string> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['customers', 'one', id],
      queryFn: () => api.get<Customer | MergedCustomer>(`/customers/${encodeURIComponent(id)}`),
      enabled,
      staleTime: 60_000,
    })),
  });
  const names: Record<string, string> = {};
  results.forEach((result, i) => {
    if (result.data && !isMerged(result.data)) names[unique[i]!] = result.data.name;
  });
  return names;
}

/** Every page loaded so far, newest first; fetchNextPage follows next_cursor. */
function useCustomerPages<T>(id: string, what: 'transactions' | 'invoices' | 'orders', enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: ['customers', what, id],
    queryFn: ({ pageParam }) =>
      api.get<List<T>>(withQuery(`/customers/${encodeURIComponent(id)}/${what}`, { cursor: pageParam, limit: 100 })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
  });
}

export const useCustomerTransactions = (id: string) => useCustomerPages<Transaction>(id, 'transactions');
export const useCustomerInvoices = (id: string, enabled?: boolean) =>
  useCustomerPages<Invoice>(id, 'invoices', enabled);
export const useCustomerOrders = (id: string, enabled?: boolean) => useCustomerPages<Order>(id, 'orders', enabled);

export type CustomerInput = RequestBody<'createCustomer'>;

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerInput) => api.post<Customer>('/customers', input),
    onSuccess: (customer) => {
      // Shown at once on the first page of the unfiltered list (newest first), then confirmed by a refetch.
      queryClient.setQueryData<List<Customer>>(customerListKey({}, undefined), (list) =>
        list
          ? { ...list, data: [customer, ...list.data.filter((c) => c.id !== customer.id)].slice(0, PAGE_SIZE) }
          : list,
      );
      queryClient.setQueryData(['customers', 'one', customer.id], customer);
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}

export function useUpdateCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<CustomerInput>) => api.patch<Customer>(`/customers/${encodeURIComponent(id)}`, input),
    onSuccess: (customer) => {
      queryClient.setQueryData(['customers', 'one', id], customer);
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', id] });
    },
  });
}

export function useDeleteCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/customers/${encodeURIComponent(id)}`),
    onSuccess: (_void, id) => {
      queryClient.removeQueries({ queryKey: ['customers', 'one', id] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}

export function useRevealCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<CustomerContact>(`/customers/${encodeURIComponent(id)}/reveal`, { reason }),
    onSuccess: (contact) => {
      // For the next 15 minutes the server answers this customer raw to this member: the profile shows
      // the contact now, and reopening it (or reloading) shows it again until then.
      queryClient.setQueryData<Customer | MergedCustomer>(['customers', 'one', id], (old) =>
        !old || isMerged(old)
          ? old
          : {
              ...old,
              email: contact.email,
              phone: contact.phone,
              contact_masked: false,
              contact_revealed_until: contact.revealed_until,
            },
      );
      // The reveal is on the timeline (who saw the contact).
      void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', id] });
    },
  });
}

/** What the server takes as a customer's image, and its limit (src/modules/images/image.process.ts). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** Sets or replaces the customer's image (the file is the raw body); answers the customer with its new image_url. */
export function useSetCustomerImage(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => api.putFile<Customer>(`/customers/${encodeURIComponent(id)}/image`, file),
    onSuccess: (customer) => {
      queryClient.setQueryData(['customers', 'one', id], customer);
      imageChanged(queryClient, id);
    },
  });
}

export function useRemoveCustomerImage(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`/customers/${encodeURIComponent(id)}/image`),
    onSuccess: () => {
      queryClient.setQueryData<Customer>(['customers', 'one', id], (old) => old && { ...old, image_url: null });
      imageChanged(queryClient, id);
    },
  });
}

function imageChanged(queryClient: QueryClient, id: string) {
  void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
  void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', id] });
}

/** POST /customers/{id}/erase: the personal data destroyed for good; payments and totals stay. */
export function useEraseCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<Customer & { scrubbed: boolean }>(`/customers/${encodeURIComponent(id)}/erase`, { reason }),
    onSuccess: ({ scrubbed: _scrubbed, ...customer }) => {
      queryClient.setQueryData(['customers', 'one', id], customer);
      // Notes, image, site account, timeline and lists all changed.
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
}
