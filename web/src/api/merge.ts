import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { components } from './generated/openapi';
import type { Customer, RequestBody } from './types';

/* Duplicates and merge (GET /customers/duplicates, POST /customers/{id}/merge). */

/** What a merged customer's id answers: a pointer to the customer it was merged into. */
export type MergedCustomer = components['schemas']['MergedCustomer'];
export type DuplicatePair = components['schemas']['DuplicatePair'];
export type DuplicateReason = DuplicatePair['reason'];
export type DuplicateList = components['schemas']['DuplicateList'];
export type MergeInput = RequestBody<'mergeCustomers'>;
export type MergeField = NonNullable<MergeInput['take']>[number];

export function isMerged(customer: Customer | MergedCustomer): customer is MergedCustomer {
  return 'merged_into' in customer;
}

/** Suggested pairs, at most 100 (the server says when there are more: merge these, then look again). */
export function useDuplicates() {
  return useQuery({
    queryKey: ['customers', 'duplicates'],
    queryFn: () => api.get<DuplicateList>(withQuery('/customers/duplicates', { limit: 100 })),
  });
}

/** Merges `source_customer` into `survivor`; answers the survivor. */
export function useMergeCustomers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ survivor, ...input }: MergeInput & { survivor: string }) =>
      api.post<Customer>(`/customers/${encodeURIComponent(survivor)}/merge`, input),
    onSuccess: (customer, input) => {
      queryClient.setQueryData(['customers', 'one', customer.id], customer);
      queryClient.removeQueries({ queryKey: ['customers', 'one', input.source_customer] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}
