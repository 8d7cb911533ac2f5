import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.js';
import { counterKeyHasher } from './counter-key.js';
import { FailureLimits } from './failure-limits.js';
import { RequestLimiter } from './request-limiter.js';

export interface RateLimits {
  /** Exact failure counts (sign-ins, declines), one statement per attempt. */
  failures: FailureLimits;
  /** Request counts per minute, kept in memory and shared on an interval. */
  requests: RequestLimiter;
}

/** Both limiters on one database, with counter keys hashed under `secret` (a system subkey). */
export function createRateLimits(deps: {
  db: Database;
  clock: () => Date;
  logger: FastifyBaseLogger;
  secret: Buffer;
}): RateLimits {
  const hash = counterKeyHasher(deps.secret);
  return {
    failures: new FailureLimits(deps.db, deps.clock, hash),
    requests: new RequestLimiter({ db: deps.db, clock: deps.clock, hash, logger: deps.logger }),
  };
}
