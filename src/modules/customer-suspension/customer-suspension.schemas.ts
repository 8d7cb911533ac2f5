import { Type, type Static } from '@sinclair/typebox';
import { SUSPENSION_REASONS } from '../customers/index.js';

// One source for validation, TypeScript types and the OpenAPI document.

export const SUSPENSION_NOTE_MAX_LENGTH = 1000;

export const SuspendBody = Type.Object(
  {
    reason: Type.Union(
      SUSPENSION_REASONS.map((r) => Type.Literal(r)),
      { description: `Why, as a closed code: ${SUSPENSION_REASONS.join(', ')}` },
    ),
    note: Type.Optional(
      Type.String({
        maxLength: SUSPENSION_NOTE_MAX_LENGTH,
        description:
          "Staff's own words, kept as an encrypted note on the customer (blank: none). Never shown to the payer.",
      }),
    ),
  },
  { additionalProperties: false, examples: [{ reason: 'chargebacks', note: 'Three disputes in May' }] },
);
export type SuspendBody = Static<typeof SuspendBody>;
