import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import { beginRotation, finishRotation } from './key-rotation.service.js';
import type { Initiator, RotationOutcome, RotationPhase, RowProblem } from './key-rotation.types.js';

export interface RotationJob {
  id: string;
  merchantId: string;
  purpose: KeyPurpose;
  state: 'running' | 'stopping' | 'stopped' | 'completed' | 'needs_attention' | 'failed';
  phase: RotationPhase | 'starting' | null;
  /** False when the job picked up an unfinished rotation instead of making a new key. */
  newKey: boolean;
  activeKeyId: number | null;
  oldKeyIds: number[];
  done: number;
  total: number;
  retiredKeyIds: number[];
  pendingKeyIds: number[];
  problems: RowProblem[];
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

interface Entry {
  job: RotationJob;
  controller: AbortController;
  finished: Promise<void>;
}

/**
 * Rotations a server runs in the background for its brands (with PGlite the CLI cannot open the
 * database while the server has it, so it asks the server). One job per brand at a time; the last
 * one is kept for GET …/current. Progress lives here; the durable state is in the database, so a
 * job lost with its server is resumed by starting another.
 */
export class RotationJobs {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ctx: AppContext,
    private readonly options: { settleMs?: number | undefined } = {},
  ) {}

  async start(by: Initiator, merchantId: string, purpose: KeyPurpose, batchSize?: number): Promise<RotationJob> {
    const running = this.entries.get(merchantId);
    if (running && (running.job.state === 'running' || running.job.state === 'stopping')) {
      throw new DomainError('rotation_in_progress', `A ${running.job.purpose} key rotation is running for this brand`, {
        rotation_id: running.job.id,
      });
    }
    const job: RotationJob = {
      id: newId('rot'),
      merchantId,
      purpose,
      state: 'running',
      phase: 'starting',
      newKey: false,
      activeKeyId: null,
      oldKeyIds: [],
      done: 0,
      total: 0,
      retiredKeyIds: [],
      pendingKeyIds: [],
      problems: [],
      startedAt: this.ctx.clock(),
      finishedAt: null,
      error: null,
    };
    const controller = new AbortController();
    // Claimed before the first await, so two concurrent starts cannot both pass the check above.
    const entry: Entry = { job, controller, finished: Promise.resolve() };
    this.entries.set(merchantId, entry);
    try {
      const plan = await beginRotation(this.ctx, by, merchantId, purpose);
      Object.assign(job, { newKey: plan.started, activeKeyId: plan.activeKeyId, oldKeyIds: plan.oldKeyIds });
    } catch (error) {
      this.entries.delete(merchantId);
      throw error;
    }
    entry.finished = this.run(entry, by, batchSize);
    return { ...job };
  }

  current(merchantId: string): RotationJob | undefined {
    const entry = this.entries.get(merchantId);
    return entry && { ...entry.job };
  }

  /** Asks the job to stop after its current batch. */
  stop(merchantId: string): RotationJob | undefined {
    const entry = this.entries.get(merchantId);
    if (!entry) return undefined;
    if (entry.job.state === 'running') {
      entry.job.state = 'stopping';
      entry.controller.abort();
    }
    return { ...entry.job };
  }

  /** Server shutdown: every job stops after its batch; they resume when started again. */
  async close(): Promise<void> {
    for (const merchantId of this.entries.keys()) this.stop(merchantId);
    await Promise.all([...this.entries.values()].map((e) => e.finished));
  }

  private async run(entry: Entry, by: Initiator, batchSize: number | undefined): Promise<void> {
    const { job, controller } = entry;
    try {
      const outcome: RotationOutcome = await finishRotation(this.ctx, by, job.merchantId, job.purpose, {
        batchSize,
        signal: controller.signal,
        settleMs: this.options.settleMs,
        onProgress: (p) => {
          Object.assign(job, { phase: p.phase, done: p.done, total: p.total });
        },
      });
      Object.assign(job, {
        state: outcome.status,
        done: outcome.done,
        total: outcome.total,
        retiredKeyIds: outcome.retiredKeyIds,
        pendingKeyIds: outcome.pendingKeyIds,
        problems: outcome.problems,
      });
    } catch (error) {
      // The message may carry SQL details: it goes to the log, the API shows where to look.
      this.ctx.logger.error({ err: error, rotation: job.id, merchantId: job.merchantId }, 'key rotation failed');
      job.state = 'failed';
      job.error = `The rotation failed (see the server log, rotation ${job.id}); starting it again resumes it`;
    } finally {
      job.phase = null;
      job.finishedAt = this.ctx.clock();
    }
  }
}
