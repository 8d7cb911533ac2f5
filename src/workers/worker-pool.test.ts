import { afterEach, describe, expect, it } from 'vitest';
import type { EchoTask } from '../../test/support/echo-worker.js';
import { siblingModuleUrl, WorkerPool } from './worker-pool.js';

const ECHO = siblingModuleUrl(new URL('../../test/support/x.ts', import.meta.url).href, 'echo-worker');

describe('worker pool', () => {
  let pool: WorkerPool<EchoTask, string> | undefined;
  afterEach(() => pool?.close());

  it('runs every task once on at most `size` workers and answers each with its own result', async () => {
    pool = new WorkerPool<EchoTask, string>(ECHO, 2);
    const texts = Array.from({ length: 20 }, (_, i) => `task ${i}`);
    const results = await Promise.all(texts.map((text) => pool!.run({ kind: 'echo', text })));
    expect(results).toEqual(texts.map((t) => t.toUpperCase()));
  });

  it('rejects a task that throws with its message, and keeps serving the next ones', async () => {
    pool = new WorkerPool<EchoTask, string>(ECHO, 1);
    await expect(pool.run({ kind: 'fail' })).rejects.toThrow('worker task failed: failed on purpose');
    await expect(pool.run({ kind: 'echo', text: 'after' })).resolves.toBe('AFTER');
  });

  it('rejects the task of a worker that dies, and starts another for the next task', async () => {
    pool = new WorkerPool<EchoTask, string>(ECHO, 1);
    await expect(pool.run({ kind: 'exit' })).rejects.toThrow('worker exited with code 3');
    await expect(pool.run({ kind: 'echo', text: 'again' })).resolves.toBe('AGAIN');
  });

  it('refuses work once closed, and rejects what was still queued', async () => {
    pool = new WorkerPool<EchoTask, string>(ECHO, 1);
    const running = pool.run({ kind: 'echo', text: 'first' }).catch(() => 'stopped'); // done or cut short: either
    const queued = expect(pool.run({ kind: 'echo', text: 'second' })).rejects.toThrow('worker pool is closed');
    await pool.close();
    await queued;
    await expect(pool.run({ kind: 'echo', text: 'late' })).rejects.toThrow('worker pool is closed');
    expect(['FIRST', 'stopped']).toContain(await running);
  });
});
