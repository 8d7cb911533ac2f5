import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';
import { Customer, MergedCustomer } from '../customers/index.js';
import { Invoice } from '../invoices/index.js';
import { Order } from '../orders/index.js';
import { Transaction } from '../transactions/index.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

const EventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)),
  { title: 'WebhookEventType' },
);

const ContactData = Type.Union([Type.Literal('masked'), Type.Literal('full')], {
  description:
    'How email and phone appear in payloads: masked (the default, as a support role sees them) or full (raw; only an owner may choose it)',
});

export const WebhookEndpoint = Type.Object(
  {
    id: Type.String({ examples: ['we_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('webhook_endpoint'),
    url: Type.String({ format: 'uri' }),
    description: Nullable(Type.String()),
    events: Type.Array(Type.Union([EventType, Type.Literal('*')])),
    contact_data: ContactData,
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    disabled_reason: Nullable(
      Type.Union([Type.Literal('manual'), Type.Literal('failing')], {
        description: 'failing: Paydesk turned it off after its deliveries failed for three days',
      }),
    ),
    disabled_at: Nullable(Timestamp),
    failing_since: Nullable(Timestamp, { description: 'The first failed attempt since the last success' }),
    secret_rotation_ends_at: Nullable(Timestamp, {
      description: 'Until then the previous secret signs too (a second signature in webhook-signature)',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'WebhookEndpoint' },
);
export type WebhookEndpointView = Static<typeof WebhookEndpoint>;

export const WebhookEndpointWithSecret = Type.Intersect(
  [
    WebhookEndpoint,
    Type.Object({
      secret: Type.String({
        description: 'The signing secret (whsec_ + base64), shown only in this response; keep it with the receiver',
        examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      }),
    }),
  ],
  { title: 'WebhookEndpointWithSecret' },
);
export type WebhookEndpointWithSecretView = Static<typeof WebhookEndpointWithSecret>;

export const WebhookEndpointList = ListOf(WebhookEndpoint);
export type WebhookEndpointListView = Static<typeof WebhookEndpointList>;

const Url = Type.String({
  maxLength: 2048,
  description:
    'https, on a public address (checked now and at every delivery); http and private addresses only when the server runs with PAYDESK_WEBHOOK_ALLOW_PRIVATE=1',
  examples: ['https://shop.example.com/paydesk/webhooks'],
});
const Events = Type.Array(Type.Union([EventType, Type.Literal('*')]), {
  minItems: 1,
  maxItems: WEBHOOK_EVENT_TYPES.length,
  uniqueItems: true,
  description: 'The event types to send, or ["*"] for all, including types added later',
});
const Description = Nullable(Type.String({ maxLength: 500 }));

export const WebhookEndpointCreateBody = Type.Object(
  {
    url: Url,
    events: Events,
    contact_data: Type.Optional(ContactData),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
export type WebhookEndpointCreateBody = Static<typeof WebhookEndpointCreateBody>;

export const WebhookEndpointUpdateBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    contact_data: Type.Optional(ContactData),
    description: Type.Optional(Description),
    enabled: Type.Optional(
      Type.Boolean({ description: 'false turns it off; true turns it back on (a failing endpoint starts afresh)' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type WebhookEndpointUpdateBody = Static<typeof WebhookEndpointUpdateBody>;

export const SecretRotationBody = Type.Object(
  {
    overlap_hours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 168,
        default: 24,
        description: 'How long the old secret keeps signing beside the new one',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SecretRotationBody = Static<typeof SecretRotationBody>;

const DeletedObject = Type.Object(
  {
    id: Type.String(),
    object: Type.String({ examples: ['customer'] }),
    deleted: Type.Literal(true),
  },
  { title: 'DeletedObject', description: 'The object no longer exists (deleted since the event)' },
);

export const WebhookEvent = Type.Object(
  {
    id: Type.String({ examples: ['evt_06f9h2k1m3n4p5q6r7s8t9v0wx'], description: 'Stable: every attempt carries it' }),
    object: Type.Literal('event'),
    type: Type.Union([EventType, Type.Literal('webhook_endpoint.test')]),
    created_at: Timestamp,
    brand: Type.String({ description: 'The brand id' }),
    data: Type.Object({
      object: Type.Union([Customer, MergedCustomer, Transaction, Invoice, Order, WebhookEndpoint, DeletedObject], {
        description:
          'The object as the API returns it when the event is sent (or read), not a copy kept from when it happened: an erased customer shows nothing personal',
      }),
      merged_customer: Type.Optional(Type.String({ description: 'customer.merged: the id merged into this one' })),
    }),
  },
  { title: 'WebhookEvent' },
);
export type WebhookEventView = Static<typeof WebhookEvent>;

export const WebhookEventList = ListOf(WebhookEvent);
export type WebhookEventListView = Static<typeof WebhookEventList>;

export const EventListQuery = Type.Object(
  {
    ...PageQuery,
    type: Type.Optional(EventType),
    object_id: Type.Optional(Type.String({ maxLength: 100, description: 'Events about one object (cus_…, txn_…)' })),
  },
  { additionalProperties: false },
);
export type EventListQuery = Static<typeof EventListQuery>;

export const WebhookDelivery = Type.Object(
  {
    id: Type.String({ examples: ['whd_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('webhook_delivery'),
    endpoint_id: Type.String(),
    event_id: Type.String(),
    event_type: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')], {
      description: 'failed: every retry was spent (about three days); resend to try again',
    }),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(Timestamp),
    last_attempt_at: Nullable(Timestamp),
    last_status_code: Nullable(Type.Integer()),
    last_duration_ms: Nullable(Type.Integer()),
    last_error: Nullable(Type.String({ examples: ['timeout', 'connection_refused', 'status_500'] })),
    created_at: Timestamp,
  },
  { title: 'WebhookDelivery' },
);
export type WebhookDeliveryView = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = ListOf(WebhookDelivery);
export type WebhookDeliveryListView = Static<typeof WebhookDeliveryList>;

export const DeliveryListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
  },
  { additionalProperties: false },
);
export type DeliveryListQuery = Static<typeof DeliveryListQuery>;

export const EndpointDeliveryParams = Type.Object({ id: Type.String(), delivery: Type.String() });
