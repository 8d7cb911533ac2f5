import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { Customer, List, RequestBody, SiteUser } from './types';

/* Site users: the merchant's storefront accounts (their backend registers them), and their customer links. */

export const USERS_PAGE = 25;

export interface UserFilter {
  q?: string;
  linked?: boolean | undefined;
  customer?: string;
  suggested_customer?: string;
  cursor?: string | undefined;
  limit?: number;
}

export function useUsers(filter: UserFilter, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['users', 'list', filter],
    queryFn: () =>
      api.get<List<SiteUser>>(
        withQuery('/users', {
          q: filter.q,
          linked: filter.linked === undefined ? undefined : String(filter.linked),
          customer: filter.customer,
          suggested_customer: filter.suggested_customer,
          cursor: filter.cursor,
          limit: filter.limit ?? USERS_PAGE,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** "Given Family", or the given name alone for people with one name. */
export function userName(user: Pick<SiteUser, 'given_name' | 'family_name'>): string {
  return `${user.given_name} ${user.family_name}`.trim();
}

export function useUser(id: string | null) {
  return useQuery({
    queryKey: ['users', 'one', id],
    queryFn: () => api.get<SiteUser>(`/users/${encodeURIComponent(id!)}`),
    enabled: id !== null,
  });
}

export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/users/${encodeURIComponent(id)}`),
    onSuccess: (_void, id) => {
      queryClient.removeQueries({ queryKey: ['users', 'one', id] });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      // The linked customer stays, unlinked.
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}

type CustomerChanges = RequestBody<'updateCustomer'>;

/**
 * Links a site user to the customer (replacing the customer's previous one), or unlinks with null. A user
 * linked to another customer is refused (409 user_linked, with its customer_id): unlink it there first.
 */
export function useLinkUser(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: string | null) =>
      api.patch<Customer>(`/customers/${encodeURIComponent(customerId)}`, { user } satisfies CustomerChanges),
    onSuccess: (customer) => {
      queryClient.setQueryData(['customers', 'one', customerId], customer);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
    },
  });
}
