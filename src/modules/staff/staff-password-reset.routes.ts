import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { NO_AUTH } from '../../http/openapi-security.js';
import { problemResponses } from '../../http/problem.js';
import { cookieOptions } from './session.routes.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './session.tokens.js';
import { SessionView, StaffIdParams } from './staff.schemas.js';
import { completePasswordReset, previewPasswordReset, startPasswordReset } from './staff-password-reset.service.js';
import {
  PasswordResetBody,
  PasswordResetStarted,
  PasswordResetTokenParams,
  PublicPasswordReset,
} from './staff-password-reset.schemas.js';

const tags = ['Staff and sign-in'];

/** An owner or admin starts a reset for a member (under /api/v1). */
export function passwordResetRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/staff/:id/password-reset',
      {
        schema: {
          tags,
          operationId: 'startStaffPasswordReset',
          summary: "Start a reset of a staff member's password",
          description:
            'Answers a one-time link (`reset_url`, shown only here; Paydesk sends no email yet, so pass it on yourself) ' +
            'with which the person sets a new password within 24 hours; it signs out all their sessions. Until it is ' +
            'used nothing changes. Starting another replaces the pending link. Not for yourself (409 ' +
            'password_reset_self: use `POST /api/v1/session/password`); only an owner may reset an owner; and the ' +
            'caller must manage the person in every brand they belong to (403 otherwise). Audited as ' +
            '`staff.password_reset_started`.',
          params: StaffIdParams,
          response: { 201: PasswordResetStarted, ...problemResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await startPasswordReset(ctx, principalOf(request), request.params.id, request.ip)),
    );
  };
}

/** The person's side (under /api/public): no session, the link's token is the credential. */
export function passwordResetPublicRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const errors = problemResponses(400, 404, 410, 422);
  return async (app) => {
    app.get(
      '/password-resets/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'getStaffPasswordReset',
          summary: 'A password reset, as its page shows it',
          description:
            '404 password_reset_not_found for an unknown link; 410 password_reset_expired once used, replaced by a ' +
            'newer one, past its 24 hours, or when the person left the brand that started it.',
          params: PasswordResetTokenParams,
          response: { 200: PublicPasswordReset, ...errors },
        },
      },
      async (request) => previewPasswordReset(ctx, request.params.token),
    );

    app.post(
      '/password-resets/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'completeStaffPasswordReset',
          summary: 'Set a new password from a reset link and sign in',
          description:
            '`{"password"}`: at least 12 characters (422 on the field otherwise). Uses up the link, signs out every ' +
            'session of the person, sets the session cookie like `POST /api/v1/session` and answers the new session, ' +
            'active on the brand that started the reset. Audited as `staff.password_reset` in each of their brands.',
          params: PasswordResetTokenParams,
          body: PasswordResetBody,
          response: { 200: SessionView, ...errors },
        },
      },
      async (request, reply) => {
        const signedIn = await completePasswordReset(ctx, request.params.token, request.body, request.ip);
        reply.setCookie(SESSION_COOKIE, signedIn.token, {
          ...cookieOptions(request),
          maxAge: SESSION_ABSOLUTE_MS / 1000,
        });
        return signedIn.view;
      },
    );
  };
}
