import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { Principal } from '../modules/access/index.js';
import type { StaffSession } from '../modules/staff/index.js';

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
