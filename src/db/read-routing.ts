import { sql } from 'kysely';
import type { Database } from './database.js';

/**
 * Which database a caller's read goes to when DATABASE_READ_URL names a streaming replica.
 *
 * Read-your-writes by WAL position: after a caller's write request the primary's WAL insert position
 * is remembered for that caller (`noteWrite`); its reads go to the replica only once the replica has
 * replayed that far (`pg_last_wal_replay_lsn()`), else to the primary. A caller with no write
 * pending reads the replica without any extra query. The insert position (not the write or flush
 * position) is taken because it is past every commit record already made, whatever
 * synchronous_commit says; at worst it is a few bytes past the last record, which keeps the caller on
 * the primary until the next WAL record arrives.
 *
 * The marks live in this process. Several server processes behind one balancer keep the guarantee
 * when a caller's requests reach one process (sticky by session or key); otherwise a read on another
 * process may miss a write made a moment before (see README, "Read replica").
 */
export interface ReadRoutingOptions {
  /** How long a replay position read from the replica is reused (one query per window, not per read). */
  replayCacheMs?: number;
  /** After the replica failed, how long every read goes to the primary before trying it again. */
  downMs?: number;
  /** When the primary's position could not be read after a write: how long that caller stays on the primary. */
  pinMs?: number;
  /** Told when the replica fails and reads fall back to the primary. */
  onReplicaDown?: (error: unknown) => void;
  now?: () => number;
}

interface WriteMark {
  /** The primary's WAL insert position after the write; null: unknown, pinned to the primary until `at + pinMs`. */
  lsn: bigint | null;
  at: number;
}

export class ReadRouter {
  private readonly marks = new Map<string, WriteMark>();
  private replayed: { lsn: bigint | null; at: number } | undefined;
  private refreshing: Promise<bigint | null | undefined> | undefined;
  private downUntil = 0;
  private readonly options: Required<Omit<ReadRoutingOptions, 'onReplicaDown'>> &
    Pick<ReadRoutingOptions, 'onReplicaDown'>;

  constructor(
    readonly primary: Database,
    /** Undefined without DATABASE_READ_URL: every read goes to the primary. */
    readonly replica: Database | undefined,
    options: ReadRoutingOptions = {},
  ) {
    this.options = { replayCacheMs: 5, downMs: 5_000, pinMs: 10_000, now: Date.now, ...options };
  }

  /** After a write request by `caller`: its reads stay on the primary until the replica has replayed it. */
  async noteWrite(caller: string): Promise<void> {
    if (!this.replica) return;
    const at = this.options.now();
    let lsn: bigint | null;
    try {
      const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`.execute(
        this.primary,
      );
      lsn = parseLsn(rows[0]!.lsn);
    } catch {
      lsn = null;
    }
    // Two writes of one caller noted out of order: the later position stands, and a pin holds.
    const previous = this.marks.get(caller);
    if (previous && lsn !== null && (previous.lsn === null || previous.lsn > lsn)) lsn = previous.lsn;
    this.marks.set(caller, { lsn, at });
  }

  /** Where this caller's next list, search or profile read goes. */
  async readerFor(caller: string | undefined): Promise<Database> {
    const { replica } = this;
    if (!replica || this.options.now() < this.downUntil) return this.primary;
    const mark = caller === undefined ? undefined : this.marks.get(caller);
    if (!mark) return replica;
    if (mark.lsn === null) {
      if (this.options.now() - mark.at < this.options.pinMs) return this.primary;
      this.forget(caller!, mark);
      return replica;
    }
    const replayed = await this.replayPosition();
    if (replayed === undefined || replayed === null || replayed < mark.lsn) return this.primary;
    this.forget(caller!, mark);
    return replica;
  }

  /** A read on the replica failed for want of a connection: the primary serves every read for a while. */
  replicaFailed(error: unknown): void {
    if (this.options.now() >= this.downUntil) this.options.onReplicaDown?.(error);
    this.downUntil = this.options.now() + this.options.downMs;
    this.replayed = undefined;
  }

  /** Callers still waiting for the replica (tests; the map holds at most one entry per recent writer). */
  get pendingCallers(): number {
    return this.marks.size;
  }

  /** A newer write of the caller may have replaced the mark meanwhile: only this one is dropped. */
  private forget(caller: string, mark: WriteMark): void {
    if (this.marks.get(caller) === mark) this.marks.delete(caller);
  }

  /**
   * The replica's replay position, read at most once per replayCacheMs (concurrent reads share one
   * query). Null: the server is not in recovery, so it cannot say; undefined: unreachable.
   */
  private async replayPosition(): Promise<bigint | null | undefined> {
    const cached = this.replayed;
    if (cached && this.options.now() - cached.at < this.options.replayCacheMs) return cached.lsn;
    this.refreshing ??= this.readReplayPosition().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async readReplayPosition(): Promise<bigint | null | undefined> {
    const at = this.options.now();
    try {
      const { rows } = await sql<{
        lsn: string | null;
      }>`SELECT pg_last_wal_replay_lsn()::text AS lsn`.execute(this.replica!);
      const text = rows[0]?.lsn ?? null;
      const lsn = text === null ? null : parseLsn(text);
      this.replayed = { lsn, at };
      if (lsn !== null) this.dropReplayedMarks(lsn);
      return lsn;
    } catch (error) {
      this.replicaFailed(error);
      return undefined;
    }
  }

  /** Marks the replica has passed are dropped as soon as it is seen to pass them, so the map stays small. */
  private dropReplayedMarks(replayed: bigint): void {
    for (const [caller, mark] of this.marks) {
      if (mark.lsn !== null && mark.lsn <= replayed) this.marks.delete(caller);
    }
  }
}

/** A WAL position as PostgreSQL prints it (`16/B374D848`: two hex halves of a 64-bit number). */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text);
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}
