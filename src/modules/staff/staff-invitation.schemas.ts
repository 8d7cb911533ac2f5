import { Type, type Static } from '@sinclair/typebox';
import { type Role, ROLES } from '../access/index.js';

const RoleSchema = Type.Unsafe<Role>(Type.String({ enum: [...ROLES], description: 'Role in the brand' }));

export const StaffInviteBody = Type.Object(
  {
    email: Type.String({ maxLength: 320, description: 'Who is invited; trimmed and lower-cased' }),
    role: RoleSchema,
  },
  {
    additionalProperties: false,
    description:
      'Only the email and the role: the person chooses their own name and password when they accept ' +
      '(`name` or `password` here answer 422).',
    examples: [{ email: 'rumana@example.com', role: 'support' }],
  },
);

export const StaffInvitation = Type.Object(
  {
    object: Type.Literal('staff_invitation'),
    id: Type.String({ description: 'sinv_…' }),
    email: Type.String(),
    role: RoleSchema,
    status: Type.Union([Type.Literal('pending'), Type.Literal('expired')], {
      description: 'pending until accepted, revoked or expired (7 days); accepted and revoked ones are not listed',
    }),
    expires_at: Type.String({ format: 'date-time' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { title: 'StaffInvitation' },
);

export const StaffInvitationCreated = Type.Composite(
  [
    StaffInvitation,
    Type.Object({
      accept_url: Type.String({
        description:
          'The one-time link to pass on to the person (`/invite/{token}`, relative to this server). Shown only in ' +
          'this answer: only a hash of its token is stored. Paydesk sends no email yet.',
      }),
    }),
  ],
  { title: 'StaffInvitationCreated' },
);

export const StaffInvitationList = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(StaffInvitation) },
  { title: 'StaffInvitationList' },
);

export const StaffInvitationIdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });

export const InvitationTokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const PublicInvitation = Type.Object(
  {
    object: Type.Literal('staff_invitation_preview'),
    brand: Type.Object({ name: Type.String() }),
    role: RoleSchema,
    email: Type.String({ description: 'The invited email: the account the person signs in with' }),
    account: Type.Union([Type.Literal('new'), Type.Literal('existing')], {
      description:
        '`new`: accepting creates the account (send `name` and `password`); `existing`: the email already has an ' +
        'account, and accepting needs its `password`. Told only to whoever holds the link.',
    }),
    expires_at: Type.String({ format: 'date-time' }),
  },
  { title: 'PublicStaffInvitation' },
);

export const InvitationAcceptBody = Type.Object(
  {
    name: Type.Optional(
      Type.String({ maxLength: 200, description: 'Your name: for a new account only (required there)' }),
    ),
    password: Type.String({
      maxLength: 4096,
      description: 'A new account: the password to set (at least 12 characters). An existing account: its password.',
    }),
  },
  { additionalProperties: false, examples: [{ name: 'Rumana Khan', password: 'a long passphrase of mine' }] },
);

export type StaffInvitationView = Static<typeof StaffInvitation>;
export type StaffInvitationCreatedView = Static<typeof StaffInvitationCreated>;
export type PublicInvitationView = Static<typeof PublicInvitation>;
export type InvitationAcceptBodyType = Static<typeof InvitationAcceptBody>;
