import { Type, type Static } from '@sinclair/typebox';
import type { KeyPurpose } from '../../crypto/keyring.js';

// One enum rather than a union of literals: a wrong value is then one error, not one per branch.
const Purpose = Type.Unsafe<KeyPurpose>(
  Type.String({
    enum: ['data', 'index'],
    description: '`data`: the key that encrypts personal fields. `index`: the key of blind indexes and search tokens.',
  }),
);

export const RotationStartBody = Type.Object(
  {
    purpose: Purpose,
    batch_size: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 5000, description: 'Rows per transaction (default 500)' }),
    ),
  },
  { additionalProperties: false },
);

export const RotationJob = Type.Object(
  {
    object: Type.Literal('key_rotation'),
    id: Type.String(),
    purpose: Purpose,
    state: Type.Union(
      ['running', 'stopping', 'stopped', 'completed', 'needs_attention', 'failed'].map((s) => Type.Literal(s)),
      { description: '`needs_attention`: rows could not be moved (see `problems`), so the old key is kept' },
    ),
    phase: Type.Union([Type.Null(), ...['starting', 'sweeping', 'settling', 'retiring'].map((s) => Type.Literal(s))]),
    new_key: Type.Boolean({ description: 'false when an unfinished rotation was resumed' }),
    active_key_id: Type.Union([Type.Integer(), Type.Null()]),
    old_key_ids: Type.Array(Type.Integer()),
    rows_done: Type.Integer(),
    rows_total: Type.Integer(),
    retired_key_ids: Type.Array(Type.Integer()),
    pending_key_ids: Type.Array(Type.Integer()),
    problems: Type.Array(
      Type.Object({
        customer_id: Type.String(),
        reason: Type.Union([Type.Literal('duplicate_email'), Type.Literal('undecryptable')]),
        other_customer_id: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    started_at: Type.String({ format: 'date-time' }),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'KeyRotation' },
);

export const KeyStatus = Type.Object(
  {
    object: Type.Literal('key_status'),
    merchant_id: Type.String(),
    keys: Type.Array(
      Type.Object({
        key_id: Type.Integer(),
        purpose: Purpose,
        state: Type.Union([Type.Literal('active'), Type.Literal('decrypt_only'), Type.Literal('retired')]),
        created_at: Type.String({ format: 'date-time' }),
        retired_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        rows: Type.Integer({ description: 'Customers under this key' }),
      }),
    ),
    unfinished: Type.Array(Purpose, { description: 'Purposes whose rotation has not finished' }),
    rotation: Type.Union([RotationJob, Type.Null()], {
      description: 'The latest rotation this server ran for the brand',
    }),
  },
  { title: 'KeyStatus' },
);

export type RotationStartBodyType = Static<typeof RotationStartBody>;
export type RotationJobView = Static<typeof RotationJob>;
export type KeyStatusView = Static<typeof KeyStatus>;
