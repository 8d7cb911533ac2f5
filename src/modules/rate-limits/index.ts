/** Rate counters shared on the database: exact failure limits and per-minute request limits. */
export { FailureAttempt, FailureLimits, type FailureRule } from './failure-limits.js';
export { RequestLimiter, type RequestDecision } from './request-limiter.js';
export { installAddressLimits, installPrincipalLimits, type RequestLimitSettings } from './request-limits.hooks.js';
export { createRateLimits, type RateLimits } from './rate-limits.service.js';
