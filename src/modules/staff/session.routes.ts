import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { sessionOf } from '../../http/auth.js';
import { NO_AUTH, SESSION_READ, SESSION_WRITE } from '../../http/openapi-security.js';
import { problemResponses } from '../../http/problem.js';
import { changePassword, describeSession, signIn, signOut, switchActiveBrand } from './session.service.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './session.tokens.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import { ActiveBrandBody, PasswordChangeBody, SessionView, SignInBody } from './staff.schemas.js';

const errors = problemResponses(400, 401, 403, 404, 422, 429);
const tags = ['Staff and sign-in'];

/**
 * Staff sign-in with an HTTP-only session cookie; the session's active brand makes the principal.
 * The throttle is the server's (built in app.ts): its failure counts outlive this plugin.
 */
export function sessionRoutes(ctx: AppContext, { throttle }: { throttle: SignInThrottle }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/session',
      {
        config: { public: true },
        schema: {
          tags,
          operationId: 'signIn',
          summary: 'Sign in',
          description:
            'Sets the HTTP-only `paydesk_session` cookie and answers the session, with the `csrf_token` to send as ' +
            '`X-CSRF-Token` on every state-changing request made with the cookie. Within 15 minutes, five failures for one ' +
            'email from one address, twenty from one address, or fifty for one email from any addresses answer 429 ' +
            '`rate_limited` with Retry-After.',
          security: NO_AUTH,
          body: SignInBody,
          response: { 200: SessionView, ...errors },
        },
      },
      async (request, reply) => {
        const signedIn = await signIn(ctx, throttle, request.body, request.ip);
        reply.setCookie(SESSION_COOKIE, signedIn.token, {
          ...cookieOptions(request),
          maxAge: SESSION_ABSOLUTE_MS / 1000,
        });
        return signedIn.view;
      },
    );

    app.get(
      '/session',
      {
        schema: {
          tags,
          operationId: 'getSession',
          security: SESSION_READ,
          summary: 'The signed-in staff member, their brands and the CSRF token',
          response: { 200: SessionView, ...errors },
        },
      },
      async (request) => describeSession(ctx, sessionOf(request)),
    );

    app.delete(
      '/session',
      {
        schema: {
          tags,
          operationId: 'signOut',
          security: SESSION_WRITE,
          summary: 'Sign out',
          response: { 204: { type: 'null', description: 'Signed out' }, ...errors },
        },
      },
      async (request, reply) => {
        await signOut(ctx, sessionOf(request), request.ip);
        return reply.clearCookie(SESSION_COOKIE, cookieOptions(request)).code(204).send();
      },
    );

    app.post(
      '/session/active-brand',
      {
        schema: {
          tags,
          operationId: 'switchActiveBrand',
          security: SESSION_WRITE,
          summary: 'Switch the active brand',
          description:
            'Every later call of this session acts on that brand, with the role held there. A brand you are not in answers 404.',
          body: ActiveBrandBody,
          response: { 200: SessionView, ...errors },
        },
      },
      async (request) => switchActiveBrand(ctx, sessionOf(request), request.body.brand_id),
    );

    app.post(
      '/session/password',
      {
        schema: {
          tags,
          operationId: 'changePassword',
          security: SESSION_WRITE,
          summary: 'Change your password',
          description:
            'Needs the current password; the new one has at least 12 characters. Every other session of yours is signed out.',
          body: PasswordChangeBody,
          response: { 204: { type: 'null', description: 'Changed' }, ...errors },
        },
      },
      async (request, reply) => {
        await changePassword(ctx, throttle, sessionOf(request), request.body, request.ip);
        return reply.code(204).send();
      },
    );
  };
}

/**
 * Secure whenever the browser reached us over https: directly, or through a proxy trusted by
 * PAYDESK_TRUST_PROXY (Fastify reads its X-Forwarded-Proto into request.protocol). The header from
 * anyone else is ignored: it is not ours to believe.
 */
export function cookieOptions(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https' };
}
