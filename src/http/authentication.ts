import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { DomainError } from '../errors.js';
import { authenticateApiKey } from '../modules/api-keys/index.js';
import {
  authenticateSession,
  CSRF_HEADER,
  csrfTokenMatches,
  SESSION_COOKIE,
  type StaffSession,
} from '../modules/staff/index.js';

// Kept apart from auth.ts (principalOf, sessionOf, the request fields): route plugins import that
// file, and this one imports the staff and api-keys modules, routes included — together, a cycle.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api/v1 route needs a principal: from `Authorization: Bearer` (an API key) or, without that
 * header, from the staff session cookie. Both give the same Principal, so no service knows which.
 * A cookie is sent by the browser on its own, so cookie requests that change state must also carry
 * the session's CSRF token; a bearer key is never sent by the browser unasked, so it needs none.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('staffSession', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/') || request.routeOptions.config?.public) return;
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (request.headers.authorization !== undefined || !cookie) {
      request.principal = await authenticateApiKey(ctx, request.headers.authorization);
      return;
    }
    let session: StaffSession;
    try {
      session = await authenticateSession(ctx, cookie);
    } catch (error) {
      if (error instanceof DomainError) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw error;
    }
    if (
      !SAFE_METHODS.has(request.method) &&
      !csrfTokenMatches(session.token, headerValue(request.headers[CSRF_HEADER]))
    ) {
      throw new DomainError('csrf_failed', 'Send the csrf_token of GET /api/v1/session as the X-CSRF-Token header');
    }
    request.staffSession = session;
    request.principal = session.principal;
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
