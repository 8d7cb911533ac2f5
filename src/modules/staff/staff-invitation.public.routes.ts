import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { NO_AUTH } from '../../http/openapi-security.js';
import { problemResponses } from '../../http/problem.js';
import { cookieOptions } from './session.routes.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './session.tokens.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import { SessionView } from './staff.schemas.js';
import { acceptInvitation, previewInvitation } from './staff-invitation.accept.js';
import { InvitationAcceptBody, InvitationTokenParams, PublicInvitation } from './staff-invitation.schemas.js';

const errors = problemResponses(400, 404, 409, 410, 422, 429);
const tags = ['Staff and sign-in'];

/**
 * The invited person's side (served under /api/public): no session, the link's token is the credential.
 * The throttle is the server's sign-in throttle (built in app.ts), so a password guessed here counts there.
 */
export function invitationPublicRoutes(
  ctx: AppContext,
  { throttle }: { throttle: SignInThrottle },
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/invitations/:token',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'getStaffInvitation',
          summary: 'An invitation, as its accept page shows it',
          description:
            '404 invitation_not_found for an unknown link; 410 invitation_expired once used, revoked or expired.',
          params: InvitationTokenParams,
          response: { 200: PublicInvitation, ...errors },
        },
      },
      async (request) => previewInvitation(ctx, request.params.token),
    );

    app.post(
      '/invitations/:token/accept',
      {
        schema: {
          tags,
          security: NO_AUTH,
          operationId: 'acceptStaffInvitation',
          summary: 'Accept an invitation and sign in',
          description:
            'A new account: `{"name", "password"}` (12+ characters). An existing account: `{"password"}`, its own; a ' +
            'wrong one is a failed sign-in (422 on the field, and counted: 429 rate_limited after five). Joins the ' +
            'brand with the invited role, uses up the link, sets the session cookie like `POST /api/v1/session` and ' +
            'answers the session, active on the inviting brand.',
          params: InvitationTokenParams,
          body: InvitationAcceptBody,
          response: { 200: SessionView, ...errors },
        },
      },
      async (request, reply) => {
        const signedIn = await acceptInvitation(ctx, throttle, request.params.token, request.body, request.ip);
        reply.setCookie(SESSION_COOKIE, signedIn.token, {
          ...cookieOptions(request),
          maxAge: SESSION_ABSOLUTE_MS / 1000,
        });
        return signedIn.view;
      },
    );
  };
}
