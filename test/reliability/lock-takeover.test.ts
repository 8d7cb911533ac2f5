import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, openDatabase } from '../../src/db/database.js';

/*
 * A fresh lock (not yet stale) whose holder is named beside it: taken over at once only when the
 * holder is a process of this host that no longer exists (SIGKILL, then a restart).
 */
describe('the lock of a killed process does not keep the embedded database shut', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-takeover-'));
  const dataDir = path.join(root, 'pglite');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function leaveLock(holder: { pid: number; host: string }): void {
    fs.rmSync(`${dataDir}.lock`, { recursive: true, force: true });
    fs.mkdirSync(`${dataDir}.lock`);
    fs.writeFileSync(`${dataDir}.lock-holder`, JSON.stringify(holder));
  }

  it('refuses while the holder lives, or lives on another host', async () => {
    // pid 1 always exists; a pid of another host is not this host's to judge.
    leaveLock({ pid: 1, host: os.hostname() });
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
    leaveLock({ pid: deadPid(), host: `not-${os.hostname()}` });
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it('takes over the lock of a holder that died, and names itself the holder', async () => {
    leaveLock({ pid: deadPid(), host: os.hostname() });
    const database = await openDatabase({ dataDir });
    try {
      expect(JSON.parse(fs.readFileSync(`${dataDir}.lock-holder`, 'utf8'))).toEqual({
        pid: process.pid,
        host: os.hostname(),
      });
    } finally {
      await database.close();
    }
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    expect(fs.existsSync(`${dataDir}.lock-holder`)).toBe(false);
  }, 120_000);
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}
