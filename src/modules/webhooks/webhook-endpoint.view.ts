import type { WebhookEndpointRecord } from './webhook-endpoint.repository.js';
import type { WebhookEndpointView } from './webhook.schemas.js';

export function toEndpointView(row: WebhookEndpointRecord): WebhookEndpointView {
  const rotationEnds = row.previous_secret_expires_at;
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    description: row.description,
    events: row.events as WebhookEndpointView['events'],
    contact_data: row.contact_data,
    status: row.enabled ? 'enabled' : 'disabled',
    disabled_reason: row.enabled ? null : row.disabled_reason,
    disabled_at: row.enabled ? null : (row.disabled_at?.toISOString() ?? null),
    failing_since: row.failing_since?.toISOString() ?? null,
    secret_rotation_ends_at: rotationEnds?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
