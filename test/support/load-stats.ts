import v8 from 'node:v8';
import vm from 'node:vm';

export type FailureKind = '5xx' | 'unexpected_status' | 'network' | 'leak' | 'raw_contact';

/** Counts, latencies and failures of a load run; `summary()` is the one-line JSON the test prints. */
export class LoadStats {
  requests = 0;
  readonly byOperation: Record<string, number> = {};
  readonly byClass: Record<string, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  readonly failures: Record<FailureKind, number> = {
    '5xx': 0,
    unexpected_status: 0,
    network: 0,
    leak: 0,
    raw_contact: 0,
  };
  /** The first failures of each kind, to show in the assertion message. */
  readonly samples: string[] = [];
  private readonly latencies = new Map<string, number[]>();

  record(operation: string, status: number, ms: number): void {
    this.requests++;
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1;
    const statusClass = `${Math.floor(status / 100)}xx`;
    this.byClass[statusClass] = (this.byClass[statusClass] ?? 0) + 1;
    let list = this.latencies.get(operation);
    if (!list) this.latencies.set(operation, (list = []));
    list.push(ms);
  }

  fail(kind: FailureKind, message: string): void {
    this.failures[kind]++;
    if (this.samples.length < 30) this.samples.push(`${kind}: ${message}`);
  }

  /** Per operation, in milliseconds: the median, the 95th percentile and the slowest (a stall shows there). */
  percentiles(): Record<string, { p50: number; p95: number; max: number }> {
    const result: Record<string, { p50: number; p95: number; max: number }> = {};
    for (const [operation, list] of [...this.latencies].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...list].sort((a, b) => a - b);
      const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
      result[operation] = { p50: at(0.5), p95: at(0.95), max: at(1) };
    }
    return result;
  }
}

export interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
}

// A gc() without starting the worker with --expose-gc: V8 hands one to a fresh context once the flag
// is set. Without it (a runtime that refuses the flag) the samples are taken without a collection.
let collect: (() => void) | undefined;
try {
  v8.setFlagsFromString('--expose-gc');
  collect = vm.runInNewContext('gc') as () => void;
} catch {
  collect = undefined;
}
export const forcedGc = collect !== undefined;

export function memorySample(): MemorySample {
  collect?.();
  collect?.();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) };
}
