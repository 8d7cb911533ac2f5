import { Type, type Static } from '@sinclair/typebox';
import { Customer } from '../customers/index.js';

export const CustomerEraseBody = Type.Object(
  {
    reason: Type.String({
      minLength: 3,
      maxLength: 500,
      description:
        'Why the personal data is erased (kept in the audit log; email addresses and phone numbers in it are masked)',
      examples: ['Erasure request by email, ticket 5120'],
    }),
  },
  { additionalProperties: false },
);
export type CustomerEraseBody = Static<typeof CustomerEraseBody>;

export const ErasedCustomer = Type.Composite(
  [
    Customer,
    Type.Object({
      scrubbed: Type.Boolean({
        description:
          'True when the old row versions were also removed from the database files (every table that held the ' +
          'person\'s rows rewritten, see SECURITY.md "Erasure"). False: the erase itself is done, but a table was ' +
          'over PAYDESK_ERASE_REWRITE_LIMIT_MB or the physical step failed, and it was logged; SECURITY.md gives ' +
          'the operator step that finishes it.',
      }),
    }),
  ],
  { title: 'ErasedCustomer' },
);
export type ErasedCustomerView = Static<typeof ErasedCustomer>;
