import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';

// One source for validation, TypeScript types and the OpenAPI document.

const ExternalId = Type.String({
  maxLength: 1000,
  description: "Your site's id for the account (1–200 characters); registering it again answers the same user",
  examples: ['shop-user-1042'],
});
const Email = Type.String({ maxLength: 1000, description: 'Stored lower-cased', examples: ['nusrat@example.com'] });
const EmailVerified = Type.Boolean({
  description:
    'True only when your site has proven the person controls this email (a link they clicked). Only a verified ' +
    'email links the user to an existing customer on its own; an unverified match is a suggestion staff confirm.',
});
const GivenName = Type.String({ maxLength: 1000, description: '1–100 characters', examples: ['Nusrat'] });
const FamilyName = Type.String({
  maxLength: 1000,
  description: 'Up to 100 characters; may be empty (people with one name)',
  examples: ['Jahan'],
});
const Phone = Type.String({
  maxLength: 100,
  description: "Any common format; a number without +country code is read in the brand's country. Stored as E.164.",
  examples: ['01812345678'],
});

export const SiteUser = Type.Object(
  {
    id: Type.String({ examples: ['usr_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('user'),
    external_id: Type.String(),
    email: Type.String({ description: 'Masked (`n•••@example.com`) when contact_masked is true' }),
    email_verified: Type.Boolean(),
    given_name: Type.String(),
    family_name: Type.String(),
    phone: Nullable(Type.String({ description: 'E.164; masked when contact_masked is true' })),
    contact_masked: Type.Boolean(),
    customer: Nullable(Type.String({ description: 'The customer linked to this user (one each way)' })),
    suggested_customer: Nullable(
      Type.String({
        description:
          'A customer with the same email, not linked because the email is not verified: staff confirm it (PATCH /customers/{id} with user)',
      }),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    title: 'SiteUser',
    examples: [
      {
        id: 'usr_06f9h2k1m3n4p5q6r7s8t9v0wx',
        object: 'user',
        external_id: 'shop-user-1042',
        email: 'nusrat@example.com',
        email_verified: true,
        given_name: 'Nusrat',
        family_name: 'Jahan',
        phone: '+8801812345678',
        contact_masked: false,
        customer: 'cus_06f9h2k1m3n4p5q6r7s8t9v0wy',
        suggested_customer: null,
        created_at: '2026-12-01T09:30:00.000Z',
        updated_at: '2026-12-01T09:30:00.000Z',
      },
    ],
  },
);
export type SiteUserView = Static<typeof SiteUser>;

export const SiteUserList = ListOf(SiteUser);
export type SiteUserListView = Static<typeof SiteUserList>;

export const UserCreateBody = Type.Object(
  {
    external_id: ExternalId,
    email: Email,
    email_verified: Type.Optional(EmailVerified),
    given_name: GivenName,
    family_name: FamilyName,
    phone: Type.Optional(Nullable(Phone)),
  },
  {
    additionalProperties: false,
    examples: [
      {
        external_id: 'shop-user-1042',
        email: 'Nusrat@Example.com',
        email_verified: true,
        given_name: 'Nusrat',
        family_name: 'Jahan',
        phone: '01812345678',
      },
    ],
  },
);
export type UserCreateBody = Static<typeof UserCreateBody>;

export const UserUpdateBody = Type.Object(
  {
    email: Type.Optional(Email),
    email_verified: Type.Optional(EmailVerified),
    given_name: Type.Optional(GivenName),
    family_name: Type.Optional(FamilyName),
    phone: Type.Optional(Nullable(Phone, { description: 'null removes the phone' })),
  },
  { additionalProperties: false, examples: [{ family_name: 'Rahman' }] },
);
export type UserUpdateBody = Static<typeof UserUpdateBody>;

export const UserListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Search: part of a name, or for roles that see contact data, of an email or phone; an exact email always matches',
      }),
    ),
    external_id: Type.Optional(Type.String({ maxLength: 1000, description: 'Exactly this external id' })),
    customer: Type.Optional(Type.String({ maxLength: 100, description: 'The user linked to this customer' })),
    suggested_customer: Type.Optional(
      Type.String({ maxLength: 100, description: 'Users suggested for this customer (unverified email match)' }),
    ),
    linked: Type.Optional(
      Type.Boolean({ description: 'Only users linked (true) or not linked (false) to a customer' }),
    ),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;
