import type { Executor } from '../../db/database.js';
import { inWalkPlan } from '../../db/walk-plan.js';
import type { ListPosition } from './customer.list-cursor.js';
import {
  countDriverIds,
  countTermInWalk,
  listDriverMatches,
  readWindow,
  type ListedCustomer,
} from './customer-list.repository.js';
import { driversOf, type Driver, type ListScope } from './customer-list.sql.js';
import { countCustomers } from './customer.repository.js';
import { isEmptyFilter } from './customer.list-params.js';
import { recentSize } from './customer.scan-sizes.js';

/**
 * How far one request walks. A walk newest/oldest first reads whole rows from one index; a ranked
 * walk also looks each row up in customers by primary key, about four times the cost a row, so
 * its windows and budget are smaller. `maxWindow`: past it a driver is cheaper (measured in
 * bench/search.bench.ts for the creation walk). `budget`: rows read per request at most; past it
 * the page ends early (fewer rows, a cursor to go on), so a filter or a search that matches little
 * of a large brand never makes a slow page.
 */
const WALKS = {
  created: { firstWindow: { search: 1000, filter: 250 }, maxWindow: 8_000, budget: 16_000 },
  ranked: { firstWindow: { search: 500, filter: 250 }, maxWindow: 2_000, budget: 4_000 },
};
const MAX_BATCH = 500;
/** A driver proposing at most this many ids is read whole and sorted (a few ms at this size). */
export const DRIVER_CAP = 2_000;
/** Rows of the walk sampled to tell a common search term in a filtered list (about 1 ms). */
const TERM_SAMPLE = 1_000;
/** Drivers tried (each counts up to DRIVER_CAP index entries) before walking on. */
const DRIVERS_TRIED = 3;

/**
 * Feeds the rows of a filtered or searched list in the sort's order, choosing per step between
 * two plans, because PostgreSQL cannot estimate how many rows hold a set of tokens (intarray's
 * estimate is a constant) nor, on this machine's stale statistics, how many pass a filter:
 * - a common term or a loose filter is found quickest by walking the sort's index (a window of
 *   rows after the cursor) and keeping the matching rows;
 * - a rare term or a narrow filter is found quickest from its own index (a driver: the GIN index,
 *   a tag's links, the suspended customers…), sorting the few rows it proposes.
 * It starts with a small window, measures how often rows match, and then either sizes the next
 * window to fill the page or, when matches are too sparse, switches to the driver proposing the
 * fewest ids if it proposes at most DRIVER_CAP. Without one it walks the rest of its budget in
 * one window, and the page may end early (`spent`).
 * Rows are only proposals for a search: the caller decrypts and checks each.
 */
export class CandidateScanner {
  private plan: 'window' | Driver;
  private readonly walk: (typeof WALKS)['created'];
  private readonly firstWindow: number;
  private window: number;
  private windowRowsSeen = 0;
  private windowMatches = 0;
  private driverChecked = false;
  /** Rows of the sort's index read so far (at most). */
  walked = 0;
  exhausted = false;

  constructor(
    private readonly db: Executor,
    private readonly scope: ListScope,
    /** Where the scan stands: rows after this one in the sort's order are still to come. */
    public cursor: ListPosition | undefined,
    startWith: 'window' | Driver = 'window',
  ) {
    this.plan = startWith;
    this.walk = scope.sort.key === 'created_at' ? WALKS.created : WALKS.ranked;
    this.firstWindow = scope.tokens ? this.walk.firstWindow.search : this.walk.firstWindow.filter;
    this.window = this.firstWindow;
  }

  /** True once this request has walked its budget: the page ends with what it has. */
  get spent(): boolean {
    return this.walked >= this.walk.budget;
  }

  /** The next rows (at most `limit`) satisfying the scope's conditions, in the sort's order. */
  async next(limit: number): Promise<ListedCustomer[]> {
    limit = Math.min(MAX_BATCH, limit);
    if (this.plan !== 'window') {
      const rows = await listDriverMatches(this.db, this.scope, this.plan, { after: this.cursor, limit });
      this.advance(rows, rows.length < limit ? null : undefined);
      return rows;
    }
    const { rows, end } = await inWalkPlan(this.db, (trx) =>
      readWindow(trx, this.scope, { after: this.cursor, walk: this.window, limit }),
    );
    this.walked += this.window;
    if (end === undefined) {
      // The window holds more matches than asked for: continue inside it.
      this.advance(rows, undefined);
      return rows;
    }
    this.windowRowsSeen += this.window;
    this.windowMatches += rows.length;
    this.advance(rows, end);
    if (!this.exhausted) await this.choosePlan(limit - rows.length);
    return rows;
  }

  /** Moves the cursor past `rows`, or to `end` when given (null: nothing further is left). */
  private advance(rows: ListedCustomer[], end: ListPosition | null | undefined): void {
    if (end === null) {
      this.exhausted = true;
      return;
    }
    const last = rows.at(-1);
    if (end !== undefined) this.cursor = end;
    else if (last) this.cursor = last.position;
  }

  private async choosePlan(stillWanted: number): Promise<void> {
    const density = this.windowMatches / this.windowRowsSeen;
    const rowsToFill = density > 0 ? stillWanted / density : Infinity;
    if (rowsToFill <= this.walk.maxWindow) {
      this.window = Math.min(this.walk.maxWindow, Math.max(this.firstWindow, Math.ceil(rowsToFill * 1.5)));
      return;
    }
    const driver = await this.narrowDriver();
    if (driver) this.plan = driver;
    // No driver: the rest of the budget in one window (one statement, not several of maxWindow,
    // and no row past the budget). next() is only called while some budget is left.
    else this.window = this.walk.budget - this.walked;
  }

  /**
   * Of the scope's drivers (its filters', its search's GIN index), the one proposing the fewest
   * ids if that is at most DRIVER_CAP (asked once). A common term within a narrowing filter is
   * sparse in the walk but not rare in the brand: its GIN proposal is too large, and the walk goes
   * on, under the caller's budget.
   */
  private async narrowDriver(): Promise<Driver | undefined> {
    if (this.driverChecked) return undefined;
    this.driverChecked = true;
    const { sizes, termIsCommon } = await inWalkPlan(this.db, async (trx) => {
      const found: Array<[Driver, number]> = [];
      for (const driver of driversOf(this.scope).slice(0, DRIVERS_TRIED)) {
        found.push([driver, await this.driverSize(trx, driver)]);
      }
      return { sizes: found, termIsCommon: this.scope.tokens ? await this.termIsCommon(trx) : true };
    });
    // No filter to drive by, and not one match in the windows walked: the term is rare, and its
    // proposal is read once rather than counted first (a GIN read and round trips saved).
    if (!termIsCommon && sizes.length === 0 && this.windowMatches === 0) return 'tokens';
    if (!termIsCommon) {
      const count = await inWalkPlan(this.db, (trx) => this.driverSize(trx, 'tokens'), 'gin');
      sizes.push(['tokens', count]);
    }
    const [smallest] = sizes.filter(([, n]) => n <= DRIVER_CAP).sort((a, b) => a[1] - b[1]);
    return smallest?.[0];
  }

  /** How many ids the driver proposes, up to DRIVER_CAP + 1 (a selection's ids are counted each time). */
  private driverSize(trx: Executor, driver: Driver): Promise<number> {
    const count = () => countDriverIds(trx, this.scope, driver, DRIVER_CAP);
    if (driver === 'ids') return count();
    const { merchantId, filter, tokens } = this.scope;
    const key = JSON.stringify([merchantId, driver, filter, driver === 'tokens' ? tokens : null]);
    return recentSize(key, count);
  }

  /**
   * Whether the term is far too common for its GIN proposal to be small: counting that proposal
   * builds a bitmap of every match (8 ms for a first name at 1M customers) only to find it over
   * DRIVER_CAP. Matches seen along the walk, times the brand's size (the maintained count),
   * estimate the term's rows. A filter thins those matches, so a common term could look rare: when
   * the walk's estimate says rare and a filter is set, a sample of the walk tests the term alone
   * (about 2 ms). A rare term is never taken for a common one.
   */
  private async termIsCommon(trx: Executor): Promise<boolean> {
    const { merchantId } = this.scope;
    const brandSize = await recentSize(JSON.stringify([merchantId]), () => countCustomers(trx, merchantId));
    const common = (density: number) => density * brandSize > DRIVER_CAP * 2;
    if (this.windowMatches > 0 && common(this.windowMatches / this.windowRowsSeen)) return true;
    if (isEmptyFilter(this.scope.filter)) return false;
    return common((await countTermInWalk(trx, this.scope, TERM_SAMPLE)) / TERM_SAMPLE);
  }
}
