import type { Executor } from '../../db/database.js';
import type { PageCursor } from '../../db/keyset.js';
import type { CustomerRecord } from './customer.repository.js';
import { listTokenMatches, listTokenMatchesInWindow, type TokenFilter } from './customer-search.repository.js';

const FIRST_WINDOW = 1000;
/** Past this many rows to walk, the GIN plan is cheaper (measured in bench/search.bench.ts). */
const MAX_WINDOW = 8_000;
const MAX_BATCH = 500;

/**
 * Feeds search candidates newest first, choosing per step between two plans, because PostgreSQL
 * cannot estimate how many rows hold a set of tokens (intarray's estimate is a constant):
 * - a common term is found quickest by walking the newest rows (a window) and filtering;
 * - a rare term is found quickest through the GIN index, sorting the few rows it returns.
 * It starts with a small window, measures how often rows match, and then either sizes the next
 * window to fill the page or, when matches are too sparse, switches to the GIN plan for the rest.
 * Digit-only queries start on the GIN plan: runs of phone digits are rare by nature.
 */
export class CandidateScanner {
  private plan: 'window' | 'index';
  private window = FIRST_WINDOW;
  private windowRowsSeen = 0;
  private windowMatches = 0;
  exhausted = false;

  constructor(
    private readonly db: Executor,
    private readonly merchantId: string,
    private readonly filters: TokenFilter[],
    private readonly excludeIds: string[],
    /** Where the scan stands: candidates older than this are still to come. */
    public cursor: PageCursor | undefined,
    startWith: 'window' | 'index' = 'window',
  ) {
    this.plan = startWith;
  }

  /**
   * The next candidates; `wanted` is how many more results the page needs and `hitRate` the share
   * of candidates that really matched so far (tokens co-occurring out of order propose false
   * candidates), so that a sparse term asks for larger batches instead of many round trips.
   */
  async next(wanted: number, hitRate = 1): Promise<CustomerRecord[]> {
    const limit = Math.min(MAX_BATCH, Math.max(20, Math.ceil((wanted * 2) / Math.max(hitRate, 0.02))));
    const page = { limit, after: this.cursor, excludeIds: this.excludeIds };
    if (this.plan === 'index') {
      const rows = await listTokenMatches(this.db, this.merchantId, this.filters, page);
      this.advance(rows, rows.length < limit ? null : undefined);
      return rows;
    }
    const { rows, windowEnd } = await listTokenMatchesInWindow(this.db, this.merchantId, this.filters, {
      ...page,
      window: this.window,
    });
    if (rows.length === limit) {
      // The window holds more matches than asked for: continue inside it.
      this.advance(rows, undefined);
      return rows;
    }
    this.windowRowsSeen += this.window;
    this.windowMatches += rows.length;
    this.advance(rows, windowEnd);
    this.choosePlan(wanted - rows.length);
    return rows;
  }

  /** Moves the cursor past `rows`, or to `end` when given (null: nothing older is left). */
  private advance(rows: CustomerRecord[], end: PageCursor | null | undefined): void {
    if (end === null) {
      this.exhausted = true;
      return;
    }
    const last = rows.at(-1);
    if (end !== undefined) this.cursor = end;
    else if (last) this.cursor = { createdAt: last.created_at, id: last.id };
  }

  private choosePlan(stillWanted: number): void {
    const density = this.windowMatches / this.windowRowsSeen;
    const rowsToFill = density > 0 ? stillWanted / density : Infinity;
    if (rowsToFill <= MAX_WINDOW) this.window = Math.max(FIRST_WINDOW, Math.ceil(rowsToFill * 1.5));
    else this.plan = 'index';
  }
}
