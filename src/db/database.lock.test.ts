import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, isDataDirLocked, openDatabase } from './database.js';

describe('the embedded database directory is one process’s', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-lock-'));
  const dataDir = path.join(root, 'pglite');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a second opener is refused while the first holds it, and may open it once it is closed', async () => {
    expect(await isDataDirLocked(dataDir)).toBe(false);
    const first = await openDatabase({ dataDir });
    try {
      expect(await isDataDirLocked(dataDir)).toBe(true);
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
    } finally {
      await first.close();
    }
    expect(await isDataDirLocked(dataDir)).toBe(false);
    const second = await openDatabase({ dataDir });
    await second.close();
  });

  it('a lock left by a process that died (no longer kept fresh) is taken over', async () => {
    const lock = `${dataDir}.lock`;
    fs.mkdirSync(lock);
    const longAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, longAgo, longAgo);
    const db = await openDatabase({ dataDir });
    await db.close();
    expect(fs.existsSync(lock)).toBe(false);
  });
});
