/** Idempotency-Key replay for POSTs. */
export {
  beginIdempotent,
  finishIdempotent,
  type IdempotencyDecision,
  type IdempotentRequest,
} from './idempotency.service.js';
