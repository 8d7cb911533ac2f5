import { Type, type Static } from '@sinclair/typebox';

export const PasswordResetStarted = Type.Object(
  {
    object: Type.Literal('staff_password_reset'),
    staff_id: Type.String({ description: 'stf_…: whose password the link sets' }),
    reset_url: Type.String({
      description:
        'The one-time link to pass on to the person (`/reset-password/{token}`, relative to this server). Shown ' +
        'only in this answer: only a hash of its token is stored. Paydesk sends no email yet.',
    }),
    expires_at: Type.String({ format: 'date-time', description: '24 hours after it was started' }),
  },
  {
    title: 'StaffPasswordResetStarted',
    examples: [
      {
        object: 'staff_password_reset',
        staff_id: 'stf_01jd3q8z6y2k9v4w7x5t1r0n2m',
        reset_url: '/reset-password/q3Yb9sJ0kZr4x1T6uVw8yA2cE5fH7iK9mN0pQ3sU6vX',
        expires_at: '2026-12-04T12:00:00.000Z',
      },
    ],
  },
);

export const PasswordResetTokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const PublicPasswordReset = Type.Object(
  {
    object: Type.Literal('staff_password_reset_preview'),
    email: Type.String({ description: 'The account whose password the link sets: the email it signs in with' }),
    name: Type.String(),
    expires_at: Type.String({ format: 'date-time' }),
  },
  {
    title: 'PublicStaffPasswordReset',
    examples: [
      {
        object: 'staff_password_reset_preview',
        email: 'rumana@example.com',
        name: 'Rumana Khan',
        expires_at: '2026-12-04T12:00:00.000Z',
      },
    ],
  },
);

export const PasswordResetBody = Type.Object(
  {
    password: Type.String({ maxLength: 4096, description: 'The new password: at least 12 characters' }),
  },
  { additionalProperties: false, examples: [{ password: 'a long new passphrase' }] },
);

export type PasswordResetStartedView = Static<typeof PasswordResetStarted>;
export type PublicPasswordResetView = Static<typeof PublicPasswordReset>;
