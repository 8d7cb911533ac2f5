import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { Customer, CustomerCount, CustomerListParams, List } from './types';

export const PAGE_SIZE = 20;

/** The list's parameters as a query string's values (booleans as "true"/"false"). */
export function listQuery(params: CustomerListParams): Record<string, string | number | undefined> {
  const query: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(params)) {
    query[key] = typeof value === 'boolean' ? String(value) : (value as string | number | undefined);
  }
  return query;
}

/** One page of the list; params are normalised (no undefined keys), so equal lists share a cache entry. */
export const customerListKey = (params: CustomerListParams, cursor: string | undefined) =>
  ['customers', 'list', params, cursor ?? null] as const;

/** A page of customers: never more than PAGE_SIZE rows, whatever the brand's size. */
export function useCustomerList(params: CustomerListParams, cursor: string | undefined) {
  return useQuery({
    queryKey: customerListKey(params, cursor),
    queryFn: () => api.get<List<Customer>>(withQuery('/customers', { ...listQuery(params), cursor, limit: PAGE_SIZE })),
    placeholderData: keepPreviousData,
  });
}

/** How many match: a number when counting is cheap, null ("many") when the server would rather not. */
export function useCustomerCount(params: CustomerListParams) {
  return useQuery({
    queryKey: ['customers', 'count', params],
    queryFn: () => api.get<CustomerCount>(withQuery('/customers/count', listQuery(params))),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}
