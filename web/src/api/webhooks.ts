import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { components } from './generated/openapi';
import type { List, RequestBody } from './types';

/* The brand's webhook endpoints and their deliveries (owners and admins: webhooks.manage). */

type Schemas = components['schemas'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
/** An endpoint as created or rotated: the only answers that carry its signing secret. */
export type WebhookEndpointWithSecret = Schemas['WebhookEndpointWithSecret'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type WebhookContactData = WebhookEndpoint['contact_data'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryStatus = WebhookDelivery['status'];

const ENDPOINTS = ['webhook-endpoints'] as const;
const deliveriesKey = (endpointId: string) => ['webhook-deliveries', endpointId] as const;
const endpointPath = (id: string) => `/webhook-endpoints/${encodeURIComponent(id)}`;

/** A brand has a handful of endpoints: one page of the most the API gives is all of them. */
export function useWebhookEndpoints() {
  return useQuery({
    queryKey: ENDPOINTS,
    queryFn: () => api.get<List<WebhookEndpoint>>('/webhook-endpoints?limit=100'),
  });
}

/** The answer's secret is shown once: the server keeps it sealed and never sends it again. */
export function useCreateWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBody<'createWebhookEndpoint'>) =>
      api.post<WebhookEndpointWithSecret>('/webhook-endpoints', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ENDPOINTS }),
  });
}

/** Changes, turns off (enabled: false) or turns on an endpoint. */
export function useUpdateWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: RequestBody<'updateWebhookEndpoint'> & { id: string }) =>
      api.patch<WebhookEndpoint>(endpointPath(id), input),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ENDPOINTS }),
  });
}

export function useDeleteWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(endpointPath(id)),
    onSuccess: (_void, id) => {
      queryClient.removeQueries({ queryKey: deliveriesKey(id) });
      void queryClient.invalidateQueries({ queryKey: ENDPOINTS });
    },
  });
}

/** A new secret, shown once; the previous one keeps signing for the overlap (24 h by default). */
export function useRotateWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<WebhookEndpointWithSecret>(`${endpointPath(id)}/rotate-secret`, {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ENDPOINTS }),
  });
}

/** The newest deliveries first; polled while one is still on its way, so its outcome appears by itself. */
export function useWebhookDeliveries(
  endpointId: string,
  params: { status?: WebhookDeliveryStatus | undefined; cursor?: string | undefined },
) {
  return useQuery({
    queryKey: [...deliveriesKey(endpointId), params],
    queryFn: () =>
      api.get<List<WebhookDelivery>>(withQuery(`${endpointPath(endpointId)}/deliveries`, { limit: 10, ...params })),
    refetchInterval: (query) => (query.state.data?.data.some((d) => d.status === 'pending') ? 2000 : false),
  });
}

/**
 * Sending a test event and resending a delivery both queue a delivery the dispatcher sends within about
 * a second: the list is read again then (and again every 2 s while anything is pending).
 */
function useQueueDelivery<Input>(send: (input: Input) => Promise<WebhookDelivery>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (delivery) => {
      const refresh = () => void queryClient.invalidateQueries({ queryKey: deliveriesKey(delivery.endpoint_id) });
      refresh();
      window.setTimeout(refresh, 1000);
    },
  });
}

export function useSendTestWebhook() {
  return useQueueDelivery((endpointId: string) => api.post<WebhookDelivery>(`${endpointPath(endpointId)}/test`));
}

export function useResendWebhookDelivery() {
  return useQueueDelivery(({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) =>
    api.post<WebhookDelivery>(`${endpointPath(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/resend`),
  );
}
