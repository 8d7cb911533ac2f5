import type { AppContext } from '../../context.js';
import type { Principal } from '../access/index.js';
import { failInterruptedBulkJobs } from './customer-bulk.repository.js';
import { runBulkJob } from './customer-bulk.run.js';
import type { BulkBody, CustomerBulkJobView } from './customer-bulk.schemas.js';
import { prepareBulk } from './customer-bulk.service.js';

/**
 * A job runs in the process that started it. On PostgreSQL it writes a heartbeat (updated_at) each
 * batch; one silent this long died with its process. PGlite has one process: a job it does not run
 * is dead.
 */
export const BULK_STALE_MS = 2 * 60_000;

export const INTERRUPTED =
  'Interrupted: the process running it stopped. Run the action again for the customers it had not reached.';

interface Entry {
  controller: AbortController;
  finished: Promise<unknown>;
}

/**
 * Bulk actions a server runs in the background (POST /customers/bulk with more than 100 ids, or a
 * view). Built once in app.ts; the durable state is the job row, written after every batch.
 */
export class CustomerBulkJobs {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ctx: AppContext) {}

  /**
   * Checks the request and creates the job. A selection of up to 100 ids runs here and is answered
   * finished (`queued: false`); an export needs no run; anything else is started in the background.
   */
  async start(
    principal: Principal,
    body: BulkBody,
    options: { ip?: string | undefined } = {},
  ): Promise<{ job: CustomerBulkJobView; queued: boolean }> {
    const prepared = await prepareBulk(this.ctx, principal, body);
    const { row, plan } = prepared;
    if (!plan) return { job: prepared.view, queued: false };
    if (plan.inline) return { job: await runBulkJob(this.ctx, principal, row, plan, options), queued: false };

    const controller = new AbortController();
    const entry: Entry = { controller, finished: Promise.resolve() };
    this.entries.set(row.id, entry);
    entry.finished = runBulkJob(this.ctx, principal, row, plan, { ...options, signal: controller.signal })
      .catch((error: unknown) =>
        this.ctx.logger.error({ err: error, bulkJobId: row.id }, 'customer bulk action failed'),
      )
      .finally(() => this.entries.delete(row.id));
    return { job: prepared.view, queued: true };
  }

  isLive(id: string): boolean {
    return this.entries.has(id);
  }

  /** Marks failed the unfinished jobs no process runs any more (at start, and before a job is read). */
  async failInterrupted(merchantId?: string): Promise<number> {
    const now = this.ctx.clock();
    return failInterruptedBulkJobs(this.ctx.db, {
      merchantId,
      staleBefore: this.ctx.databaseKind === 'pglite' ? null : new Date(now.getTime() - BULK_STALE_MS),
      except: [...this.entries.keys()],
      now,
      error: INTERRUPTED,
    });
  }

  /** Server shutdown: each job stops after its batch and says how far it got. */
  async close(): Promise<void> {
    for (const entry of this.entries.values()) entry.controller.abort();
    await Promise.all([...this.entries.values()].map((e) => e.finished));
  }
}
