import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, it } from 'vitest';
import { initDataDirApart } from './pglite-initdb.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-initdb-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('creates a new data directory in another process, and leaves an existing one alone', async () => {
  const dataDir = path.join(root, 'pglite');
  await initDataDirApart(dataDir, PGlite.defaultStartParams);
  const version = path.join(dataDir, 'PG_VERSION');
  expect(fs.readFileSync(version, 'utf8').trim()).toMatch(/^\d+$/);
  const before = fs.statSync(version).mtimeMs;
  await initDataDirApart(dataDir, PGlite.defaultStartParams);
  expect(fs.statSync(version).mtimeMs).toBe(before);
}, 60_000);

it('says which directory it could not create, with the child\u2019s error', async () => {
  const notADirectory = path.join(root, 'a-file');
  fs.writeFileSync(notADirectory, 'x');
  await expect(initDataDirApart(path.join(notADirectory, 'pglite'), PGlite.defaultStartParams)).rejects.toThrow(
    /creating the PGlite database in .*a-file\/pglite failed \(exit 1\): .+/,
  );
}, 60_000);
