import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../errors.js';
import type { RequestDecision, RequestLimiter } from './request-limiter.js';

/** Requests per minute; 0 turns a limit off. */
export interface RequestLimitSettings {
  perKeyPerMinute: number;
  perAddressPerMinute: number;
}

/**
 * Before authentication: requests that carry no credentials (sign-in, the public pay pages, the API
 * without a key) count against the client address. A request with a key or a session cookie is
 * counted against its principal once authenticated, unless authentication refuses it (401): a
 * wrong key counts against the address, so guessing keys is limited too.
 */
export function installAddressLimits(
  app: FastifyInstance,
  limiter: RequestLimiter,
  settings: RequestLimitSettings,
  sessionCookie: string,
): void {
  const limit = settings.perAddressPerMinute;
  if (limit === 0) return;
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const credentials = request.headers.authorization !== undefined || Boolean(request.cookies?.[sessionCookie]);
    if (credentials && request.url.startsWith('/api/v1/') && !request.routeOptions.config?.public) return;
    counted.add(request);
    enforce(reply, limiter.hit(`address:${request.ip}`, limit), 'from this address');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401 && !counted.has(request) && request.url.startsWith('/api/')) {
      limiter.count(`address:${request.ip}`);
    }
  });
}

/** After authentication: every /api/v1 request with a principal counts against its API key or staff member. */
export function installPrincipalLimits(
  app: FastifyInstance,
  limiter: RequestLimiter,
  settings: RequestLimitSettings,
): void {
  const limit = settings.perKeyPerMinute;
  if (limit === 0) return;
  app.addHook('onRequest', async (request, reply) => {
    const key = principalKey(request);
    if (key !== undefined) enforce(reply, limiter.hit(key, limit), 'for this key');
  });
}

function principalKey(request: FastifyRequest): string | undefined {
  if (request.principal) return `principal:${request.principal.actor.type}:${request.principal.actor.id}`;
  if (request.staffSession) return `principal:staff:${request.staffSession.staffId}`;
  return undefined;
}

function enforce(reply: FastifyReply, decision: RequestDecision, whose: string): void {
  // The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers), cheap to send on every answer.
  reply.header('ratelimit-limit', String(decision.limit));
  reply.header('ratelimit-remaining', String(decision.remaining));
  reply.header('ratelimit-reset', String(decision.resetSeconds));
  if (!decision.allowed) {
    throw new DomainError('rate_limited', `Too many requests ${whose}; try again in ${decision.resetSeconds} seconds`, {
      retry_after: decision.resetSeconds,
    });
  }
}
