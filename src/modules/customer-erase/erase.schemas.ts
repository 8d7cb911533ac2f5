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
          'True when the old row versions were also removed from the database files (VACUUM and page scrub, see ' +
          'SECURITY.md "Erasure"). False: the erase itself is done, the physical step failed and was logged; ' +
          'see SECURITY.md for the operator step that finishes it.',
      }),
    }),
  ],
  { title: 'ErasedCustomer' },
);
export type ErasedCustomerView = Static<typeof ErasedCustomer>;
