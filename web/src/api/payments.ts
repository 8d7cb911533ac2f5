import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type {
  ExchangeRates,
  Invoice,
  InvoiceStatus,
  List,
  Money,
  PaymentLink,
  RequestBody,
  Transaction,
  TransactionStatus,
} from './types';

/* Transactions, invoices, payment links and exchange rates (docs/payments-api.md). */

const PAGE = 25;

export function useTransactions(filter: { status?: TransactionStatus | ''; cursor?: string | undefined }) {
  return useQuery({
    queryKey: ['transactions', 'list', filter],
    queryFn: () =>
      api.get<List<Transaction>>(
        withQuery('/transactions', { status: filter.status, cursor: filter.cursor, limit: PAGE }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** A refund changes the payment, the customer's totals and the lists: everything is read again. */
export function useRefund() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, amount }: { id: string; amount?: number }) =>
      api.post<Transaction>(`/transactions/${encodeURIComponent(id)}/refunds`, amount === undefined ? {} : { amount }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['transactions'] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}

export function useInvoices(filter: { status?: InvoiceStatus | ''; cursor?: string | undefined }) {
  return useQuery({
    queryKey: ['invoices', 'list', filter],
    queryFn: () =>
      api.get<List<Invoice>>(withQuery('/invoices', { status: filter.status, cursor: filter.cursor, limit: PAGE })),
    placeholderData: keepPreviousData,
  });
}

export type InvoiceInput = RequestBody<'createInvoice'>;

export function useCreateInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InvoiceInput) => api.post<Invoice>('/invoices', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['invoices'] }),
  });
}

export function useInvoiceAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'finalize' | 'void' }) =>
      api.post<Invoice>(`/invoices/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'invoices'] });
    },
  });
}

export function usePaymentLinks(cursor: string | undefined) {
  return useQuery({
    queryKey: ['payment-links', 'list', cursor],
    queryFn: () => api.get<List<PaymentLink>>(withQuery('/payment-links', { cursor, limit: PAGE })),
    placeholderData: keepPreviousData,
  });
}

export type PaymentLinkInput = RequestBody<'createPaymentLink'>;

export function useCreatePaymentLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PaymentLinkInput) => api.post<PaymentLink>('/payment-links', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['payment-links'] }),
  });
}

export function useUpdatePaymentLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; active?: boolean; title?: string; description?: string | null }) =>
      api.patch<PaymentLink>(`/payment-links/${encodeURIComponent(id)}`, patch),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['payment-links'] }),
  });
}

export function useExchangeRates() {
  return useQuery({ queryKey: ['exchange-rates'], queryFn: () => api.get<ExchangeRates>('/exchange-rates') });
}

export function useSaveExchangeRates() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rates: Record<string, string>) => api.put<ExchangeRates>('/exchange-rates', { rates }),
    onSuccess: (rates) => queryClient.setQueryData(['exchange-rates'], rates),
  });
}

/** The amount a refund may still take back. */
export function refundable(transaction: Transaction): Money {
  return {
    amount: transaction.amount.amount - transaction.amount_refunded.amount,
    currency: transaction.amount.currency,
  };
}
