import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPaydesk, type TestPaydesk } from '../../test/support/harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REDOCLY = path.join(ROOT, 'node_modules', '.bin', 'redocly');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

let paydesk: TestPaydesk;
let dir: string;
beforeAll(async () => {
  paydesk = await startTestPaydesk('pglite');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-openapi-'));
});
afterAll(async () => {
  await paydesk?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// What a new user does first: lint the served document (redocly.yaml: the recommended rules and the
// ones an SDK generator depends on). Any error or warning fails, with every problem in the message.
it('the served OpenAPI document passes @redocly/cli lint with no errors and no warnings', async () => {
  const response = await paydesk.request(undefined, { method: 'GET', url: '/api/docs/json' });
  expect(response.statusCode).toBe(200);
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, response.body);

  const { stdout } = await promisify(execFile)(
    REDOCLY,
    ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json', '--max-problems', '1000'],
    { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    // Exit code 1 on errors: the report on stdout still says which.
    if (error.stdout) return { stdout: error.stdout };
    throw new Error(`redocly did not run: ${error.stderr ?? String(error)}`);
  });
  const report = JSON.parse(stdout) as LintReport;
  const problems = report.problems.map(
    (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`,
  );
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
});
