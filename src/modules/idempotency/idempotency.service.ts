import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { IndexKeys } from '../../crypto/keyring.js';
import { DomainError } from '../../errors.js';
import { claimIdempotencyKey, recordIdempotentOutcome } from './idempotency.repository.js';

const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface IdempotentRequest {
  merchantId: string;
  key: string;
  /** What makes two requests "the same": operation name and parsed body. */
  operation: string;
  body: unknown;
  now: Date;
}

export type IdempotencyDecision = { kind: 'proceed' } | { kind: 'replay'; statusCode: number; resourceId: string };

/**
 * Decides, inside the caller's transaction, whether to do the work or replay an earlier outcome.
 * The request fingerprint is keyed, because the body holds personal data.
 */
export async function beginIdempotent(
  trx: Transaction<DB>,
  keys: IndexKeys,
  request: IdempotentRequest,
): Promise<IdempotencyDecision> {
  const requestHash = crypto
    .createHmac('sha256', keys.requestHash)
    .update(request.operation)
    .update('\0')
    .update(canonicalJson(request.body))
    .digest();
  const claim = await claimIdempotencyKey(
    trx,
    { merchant_id: request.merchantId, key: request.key, request_hash: requestHash, created_at: request.now },
    new Date(request.now.getTime() - KEY_LIFETIME_MS),
  );
  if (claim.claimed) return { kind: 'proceed' };
  if (!claim.request_hash.equals(requestHash)) {
    throw new DomainError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with different parameters; use a new key for a new request',
    );
  }
  if (claim.status_code === null || claim.resource_id === null) {
    // A transaction that claimed the key committed without an outcome: cannot happen by design.
    throw new Error('idempotency key committed without an outcome');
  }
  return { kind: 'replay', statusCode: claim.status_code, resourceId: claim.resource_id };
}

export async function finishIdempotent(
  trx: Transaction<DB>,
  request: Pick<IdempotentRequest, 'merchantId' | 'key'>,
  outcome: { statusCode: number; resourceId: string },
): Promise<void> {
  await recordIdempotentOutcome(trx, request.merchantId, request.key, {
    status_code: outcome.statusCode,
    resource_id: outcome.resourceId,
  });
}

/** JSON with object keys sorted, so key order in a retried body does not matter. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
