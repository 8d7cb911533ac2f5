import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf } from '../audit/index.js';
import type { RotationJob, RotationJobs } from './key-rotation.jobs.js';
import type { KeyStatusView, RotationJobView, RotationStartBodyType } from './key.schemas.js';
import { brandKeyStatus } from './key-status.service.js';

/* What the /api/v1/keys endpoints do, for the caller's brand (owners and admins). */

export async function getKeyStatus(ctx: AppContext, jobs: RotationJobs, principal: Principal): Promise<KeyStatusView> {
  requirePermission(principal, 'keys.read');
  const status = await brandKeyStatus(ctx, principal.merchantId);
  const job = jobs.current(principal.merchantId);
  return {
    object: 'key_status',
    merchant_id: status.merchantId,
    keys: status.keys.map((k) => ({
      key_id: k.keyId,
      purpose: k.purpose,
      state: k.state,
      created_at: k.createdAt.toISOString(),
      retired_at: k.retiredAt?.toISOString() ?? null,
      rows: k.rows,
    })),
    unfinished: status.unfinished,
    rotation: job ? toView(job) : null,
  };
}

/** Starts (or resumes) a rotation in the background; progress through currentKeyRotation. */
export async function startKeyRotation(
  jobs: RotationJobs,
  principal: Principal,
  body: RotationStartBodyType,
  ip: string | undefined,
): Promise<RotationJobView> {
  requirePermission(principal, 'keys.rotate');
  const job = await jobs.start({ actor: actorOf(principal), ip }, principal.merchantId, body.purpose, body.batch_size);
  return toView(job);
}

export function currentKeyRotation(jobs: RotationJobs, principal: Principal): RotationJobView {
  requirePermission(principal, 'keys.read');
  const job = jobs.current(principal.merchantId);
  if (!job) throw rotationNotFound();
  return toView(job);
}

/** Stops the running rotation after its current batch; starting again resumes it. */
export function stopKeyRotation(jobs: RotationJobs, principal: Principal): RotationJobView {
  requirePermission(principal, 'keys.rotate');
  const job = jobs.stop(principal.merchantId);
  if (!job) throw rotationNotFound();
  return toView(job);
}

function rotationNotFound(): DomainError {
  return new DomainError('rotation_not_found', 'This server has run no key rotation for this brand since it started');
}

function toView(job: RotationJob): RotationJobView {
  return {
    object: 'key_rotation',
    id: job.id,
    purpose: job.purpose,
    state: job.state,
    phase: job.phase,
    new_key: job.newKey,
    active_key_id: job.activeKeyId,
    old_key_ids: job.oldKeyIds,
    rows_done: job.done,
    rows_total: job.total,
    retired_key_ids: job.retiredKeyIds,
    pending_key_ids: job.pendingKeyIds,
    problems: job.problems.map((p) => ({
      customer_id: p.customerId,
      reason: p.reason,
      other_customer_id: p.otherCustomerId ?? null,
    })),
    started_at: job.startedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
    error: job.error,
  };
}
