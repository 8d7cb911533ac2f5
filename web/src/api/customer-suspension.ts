import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Customer, RequestBody, SuspensionReason } from './types';

/* Suspend (payments from the customer's email refused on every public page) and resume. */

function useCustomerAction<Input>(id: string, send: (path: string, input: Input) => Promise<Customer>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => send(`/customers/${encodeURIComponent(id)}`, input),
    onSuccess: (customer) => {
      queryClient.setQueryData(['customers', 'one', id], customer);
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'count'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', id] });
    },
  });
}

export const SUSPENSION_REASON_LABELS: Record<SuspensionReason, string> = {
  fraudulent: 'Fraudulent payments',
  chargebacks: 'Chargebacks',
  abuse: 'Abuse',
  requested_by_customer: 'Requested by the customer',
  other: 'Other',
};

export function useSuspendCustomer(id: string) {
  return useCustomerAction(id, (path, input: RequestBody<'suspendCustomer'>) =>
    api.post<Customer>(`${path}/suspend`, input),
  );
}

export function useResumeCustomer(id: string) {
  return useCustomerAction(id, (path, _input: void) => api.post<Customer>(`${path}/resume`, {}));
}
