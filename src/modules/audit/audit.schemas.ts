import { Type, type Static } from '@sinclair/typebox';
import { AUDIT_ACTIONS } from './audit.service.js';

export const AuditEvent = Type.Object(
  {
    id: Type.String({ examples: ['aud_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('audit_event'),
    occurred_at: Type.String({ format: 'date-time' }),
    actor: Type.Object({
      type: Type.String({ description: 'api_key, staff, system or cli' }),
      id: Type.String({ description: 'The key id (key_…), staff id, or the operating-system user for cli' }),
    }),
    action: Type.String({ examples: ['customer.reveal'] }),
    target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()], { description: "The caller's address; null for the CLI" }),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description:
        "Identifiers, counts, states; a reveal's reason (with emails and phone numbers masked). Never personal data.",
    }),
  },
  { title: 'AuditEvent' },
);
export type AuditEventView = Static<typeof AuditEvent>;

export const AuditList = Type.Object(
  {
    object: Type.Literal('list'),
    data: Type.Array(AuditEvent),
    has_more: Type.Boolean(),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next (older) page' }),
  },
  { title: 'AuditEventList' },
);
export type AuditListView = Static<typeof AuditList>;

export const AuditListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(
      Type.Union(
        AUDIT_ACTIONS.map((action) => Type.Literal(action)),
        { description: 'Only this action' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AuditListQuery = Static<typeof AuditListQuery>;
