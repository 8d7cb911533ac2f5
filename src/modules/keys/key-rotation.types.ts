import type { KeyPurpose } from '../../crypto/keyring.js';
import type { AuditActor } from '../audit/index.js';

// The shapes a rotation and its sweep share, apart from both so neither imports the other for them.

/** Who asked, for the audit log. */
export interface Initiator {
  actor: AuditActor;
  ip?: string | undefined;
}

export interface RotationPlan {
  merchantId: string;
  purpose: KeyPurpose;
  activeKeyId: number;
  /** Keys rows are being moved off (state decrypt_only). */
  oldKeyIds: number[];
  /** True when this call made the new key; false when it picks up an unfinished rotation. */
  started: boolean;
}

export type RotationPhase = 'sweeping' | 'settling' | 'retiring';

export interface RotationProgress {
  merchantId: string;
  purpose: KeyPurpose;
  phase: RotationPhase;
  done: number;
  total: number;
}

/** A row the sweep could not move; it keeps its old key, which therefore is not retired. */
export interface RowProblem {
  customerId: string;
  /** duplicate_email: another customer of the brand has the same email (merge them). */
  reason: 'duplicate_email' | 'undecryptable';
  otherCustomerId?: string | undefined;
}

export interface RotationOutcome {
  merchantId: string;
  purpose: KeyPurpose;
  activeKeyId: number;
  status: 'completed' | 'stopped' | 'needs_attention';
  done: number;
  total: number;
  retiredKeyIds: number[];
  /** Old keys still decrypt_only, because rows use them. */
  pendingKeyIds: number[];
  problems: RowProblem[];
}

export interface SweepOptions {
  batchSize?: number | undefined;
  /** Stops after the current batch; everything done so far stays done. */
  signal?: AbortSignal | undefined;
  settleMs?: number | undefined;
  onProgress?: ((progress: RotationProgress) => void | Promise<void>) | undefined;
}
