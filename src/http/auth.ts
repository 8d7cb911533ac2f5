import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { DomainError } from '../errors.js';
import type { Principal } from '../modules/access/principal.js';
import { authenticateApiKey } from '../modules/api-keys/api-key.service.js';
import { authenticateSession, type StaffSession } from '../modules/staff/session.service.js';
import { CSRF_HEADER, csrfTokenMatches, SESSION_COOKIE } from '../modules/staff/session.tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the request authenticated with the staff session cookie. */
    staffSession: StaffSession | null;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (sign-in). */
    public?: boolean;
  }
}

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

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal) return request.principal;
  if (request.staffSession) {
    throw new DomainError('forbidden', 'No active brand: choose one with POST /api/v1/session/active-brand');
  }
  throw new DomainError('unauthenticated', 'Authentication required');
}

/** The staff session of a cookie request; API keys have none. */
export function sessionOf(request: FastifyRequest): StaffSession {
  if (!request.staffSession) {
    throw new DomainError('unauthenticated', 'This needs a staff session: sign in with POST /api/v1/session');
  }
  return request.staffSession;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
