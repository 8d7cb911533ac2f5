import fs from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { writePgliteTemplate } from './pglite-template.js';

/**
 * Writes the migrated PGlite every test copies (pglite-template.ts), then decides which database
 * backends the suite runs on and says so. PGlite always; PostgreSQL when TEST_DATABASE_URL is set.
 * With PAYDESK_TEST_STRICT=1 (CI) a missing backend is a failure.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const template = await writePgliteTemplate();
  project.provide('pgliteTemplate', template);
  const teardown = () => fs.rmSync(template, { force: true });
  await checkPostgres();
  return teardown;
}

async function checkPostgres(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const strict = process.env.PAYDESK_TEST_STRICT === '1';
  if (!url) {
    const message = 'PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set (tests ran on PGlite only).';
    if (strict) throw new Error(`${message} PAYDESK_TEST_STRICT=1 forbids skipping.`);
    process.stdout.write(
      `\n  ${message}\n  Run them with TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n\n`,
    );
    return;
  }
  // Extensions live in public, created once here so parallel test files do not race to create them.
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS intarray;');
  } finally {
    await client.end();
  }
}
