import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { CheckoutSession, List, OfflineMethod, Order, OrderStatus, RequestBody } from './types';

/* Orders: line items for a customer or a new buyer, paid online (a checkout) or offline (recorded by staff). */

const PAGE = 25;

export function useOrders(filter: { status?: OrderStatus | ''; cursor?: string | undefined }) {
  return useQuery({
    queryKey: ['orders', 'list', filter],
    queryFn: () =>
      api.get<List<Order>>(withQuery('/orders', { status: filter.status, cursor: filter.cursor, limit: PAGE })),
    placeholderData: keepPreviousData,
  });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: ['orders', 'one', id],
    queryFn: () => api.get<Order>(`/orders/${encodeURIComponent(id)}`),
  });
}

export type OrderInput = RequestBody<'createOrder'>;

/** A new buyer's email may create a customer (the brand's orders switch): customers are read again too. */
export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OrderInput) => api.post<Order>('/orders', input),
    onSuccess: (order) => {
      queryClient.setQueryData(['orders', 'one', order.id], order);
      void queryClient.invalidateQueries({ queryKey: ['orders', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}

/** An order's state feeds its lists, its customer's profile and, once paid, the ledger. */
function refreshAfter(queryClient: QueryClient, order: Order) {
  queryClient.setQueryData(['orders', 'one', order.id], order);
  void queryClient.invalidateQueries({ queryKey: ['orders', 'list'] });
  void queryClient.invalidateQueries({ queryKey: ['customers'] });
  void queryClient.invalidateQueries({ queryKey: ['transactions'] });
}

export function useOrderAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'fulfil' | 'cancel' }) =>
      api.post<Order>(`/orders/${encodeURIComponent(id)}/${action}`),
    onSuccess: (order) => refreshAfter(queryClient, order),
  });
}

/** Money received outside Paydesk (cash on delivery, a bank transfer): the order is paid, the ledger has it. */
export function useRecordOrderPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, method, reference }: { id: string; method: OfflineMethod; reference?: string }) =>
      api.post<Order>(`/orders/${encodeURIComponent(id)}/payments`, reference ? { method, reference } : { method }),
    onSuccess: (order) => refreshAfter(queryClient, order),
  });
}

/** A checkout page (/checkout/{token}) the buyer pays the order on by card. */
export function useOrderCheckout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<CheckoutSession>(`/orders/${encodeURIComponent(id)}/checkout-session`),
    onSuccess: (_session, id) => void queryClient.invalidateQueries({ queryKey: ['orders', 'one', id] }),
  });
}
