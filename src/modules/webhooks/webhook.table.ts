import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A brand's receiver (migration 0015). The secrets are sealed with the field cipher under data_key_id. */
export interface WebhookEndpointTable {
  merchant_id: string;
  id: string;
  url: string;
  description: string | null;
  /** Event types, or ['*'] for all of them. */
  events: string[];
  contact_data: 'masked' | 'full';
  enabled: boolean;
  disabled_reason: 'manual' | 'failing' | null;
  disabled_at: Date | null;
  secret_enc: Buffer;
  /** The secret before the last rotation: it still signs until previous_secret_expires_at. */
  previous_secret_enc: Buffer | null;
  previous_secret_expires_at: Date | null;
  data_key_id: number;
  /** The first failed attempt since the last success; null while the endpoint answers. */
  failing_since: Date | null;
  consecutive_failures: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

/** The outbox: written by triggers in the transaction of each change; ids and closed facts only. */
export interface WebhookEventTable {
  merchant_id: string;
  id: string;
  type: string;
  object_type: 'customer' | 'transaction' | 'invoice' | 'order' | 'webhook_endpoint';
  object_id: string;
  /** `merged_customer` for customer.merged, `user` for customer.user_linked. */
  refs: ColumnType<Record<string, string | null>, string | undefined, string>;
  created_at: Date;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** The queue: one row per event and endpoint; due when pending and next_attempt_at has passed. */
export interface WebhookDeliveryTable {
  merchant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  created_at: Date;
}

export interface WebhookAttemptTable {
  merchant_id: string;
  delivery_id: string;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type NewWebhookEndpointRow = Insertable<WebhookEndpointTable>;
export type WebhookEventRow = Selectable<WebhookEventTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;
