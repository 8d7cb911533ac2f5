import { spawn } from 'node:child_process';

export { isDatabaseEmpty } from './backup.repository.js';

/** pg_dump or pg_restore failed, or is not installed (`missing`). */
export class PgToolError extends Error {
  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

/**
 * `pg_dump -Fc`: one snapshot of the whole database (consistent while servers write), in the custom
 * format pg_restore reads. Every brand, every schema; personal data stays sealed without the master key.
 */
export function pgDump(databaseUrl: string, file: string): Promise<void> {
  return runTool('pg_dump', ['--format=custom', '--file', file], databaseUrl);
}

/**
 * `pg_restore` into an empty database, in one transaction (a failure leaves it empty). Owners and
 * grants are dropped: the restoring role owns what it creates.
 */
export function pgRestore(databaseUrl: string, file: string): Promise<void> {
  return runTool(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', file],
    databaseUrl,
  );
}

function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], databaseUrl: string): Promise<void> {
  // The password goes through the environment, not the command line (which `ps` shows).
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, '--dbname', url.toString()], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new PgToolError(`${tool} could not run: ${error.message}`, error.code === 'ENOENT'));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new PgToolError(`${tool} failed (exit ${code}): ${stderr.trim()}`, false));
    });
  });
}
