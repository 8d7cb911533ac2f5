import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskReply, TaskRequest } from './worker-task.js';

/**
 * A few worker threads running one module's task function (see serveTasks), for CPU work that
 * would hold the event loop for long: a million-row export decrypts three fields a row. Workers
 * start on the first task and stay; they keep the process alive only while a task is in flight.
 */
export class WorkerPool<Task, Result> {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Array<{ request: TaskRequest<Task>; pending: Pending<Result> }> = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly moduleUrl: URL,
    readonly size: number,
    private readonly youngGenerationMb: number = DEFAULT_YOUNG_GENERATION_MB,
  ) {}

  run(task: Task): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, task }, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('worker pool is closed'));
    await Promise.all(this.workers.splice(0).map((w) => w.thread.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = this.workers.find((w) => w.busy === undefined) ?? this.startWorker();
      if (!idle) return;
      const { request, pending } = this.queue.shift()!;
      idle.busy = pending as Pending<unknown>;
      idle.thread.ref();
      idle.thread.postMessage(request);
    }
  }

  private startWorker(): PoolWorker | undefined {
    if (this.workers.length >= this.size) return undefined;
    const worker: PoolWorker = {
      thread: startModuleWorker(this.moduleUrl, { maxYoungGenerationSizeMb: this.youngGenerationMb }),
      busy: undefined,
    };
    worker.thread.unref();
    worker.thread.on('message', (reply: TaskReply<unknown>) => {
      const pending = worker.busy;
      worker.busy = undefined;
      worker.thread.unref();
      if (reply.error === undefined) pending?.resolve(reply.result);
      else pending?.reject(new Error(`worker task failed: ${reply.error}`));
      this.dispatch();
    });
    // A worker that dies takes its task with it; the next task starts a new one.
    const lost = (error: Error) => {
      const at = this.workers.indexOf(worker);
      if (at >= 0) this.workers.splice(at, 1);
      worker.busy?.reject(error);
      worker.busy = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.thread.on('error', lost);
    worker.thread.on('exit', (code) => lost(new Error(`worker exited with code ${code}`)));
    this.workers.push(worker);
    return worker;
  }
}

/** tsx's ESM API (its package's `exports`): require.resolve would give the CommonJS build. */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

/**
 * The URL of a worker module beside the caller, with the caller's own extension: `.ts` when the
 * source runs (tsx, tests), `.js` in the production build.
 */
export function siblingModuleUrl(callerUrl: string, name: string): URL {
  const extension = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, callerUrl);
}

/** One worker per core: the event loop and PostgreSQL share them, and the workers wait on neither. */
export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism());
}

interface Pending<Result> {
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface PoolWorker {
  thread: Worker;
  busy: Pending<unknown> | undefined;
}

/**
 * A worker's batch makes much short-lived garbage (a decipher and a few buffers per field); a larger
 * young generation collects it less often. Measured on the export of 1,000,000 rows: 46,000 → 50,000–53,000
 * rows/s, for about 60 MB more RSS per pool. A pool may ask for less (the import's sealing: same speed
 * with 16 MB, 80 MB less RSS).
 */
const DEFAULT_YOUNG_GENERATION_MB = 64;

/**
 * Starts a worker on a module given as the URL of its source. The production build runs compiled
 * JavaScript (dist/…/x.js); `npm start`, the tests and the benches run the TypeScript source, which a
 * worker thread cannot load by itself (loader hooks do not reach workers on Node 20), so it is
 * loaded through tsx's API there.
 */
function startModuleWorker(moduleUrl: URL, resourceLimits: { maxYoungGenerationSizeMb: number }): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { resourceLimits });
  const tsxApi = tsxEsmApiUrl();
  const code = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(moduleUrl.href)}, ${JSON.stringify(moduleUrl.href)}))`;
  return new Worker(code, { eval: true, resourceLimits });
}

/** The process's worker pools, one per worker module, started on first use and closed with the app. */
export class WorkerPools {
  private readonly pools = new Map<string, WorkerPool<unknown, unknown>>();

  constructor(private readonly size: number = defaultPoolSize()) {}

  /** The pool of `moduleUrl` (its options count when it starts, on first use). */
  pool<Task, Result>(moduleUrl: URL, options: { youngGenerationMb?: number } = {}): WorkerPool<Task, Result> {
    let pool = this.pools.get(moduleUrl.href);
    if (!pool) {
      pool = new WorkerPool<unknown, unknown>(moduleUrl, this.size, options.youngGenerationMb);
      this.pools.set(moduleUrl.href, pool);
    }
    return pool as WorkerPool<Task, Result>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }
}
