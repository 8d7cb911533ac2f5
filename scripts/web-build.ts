import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard's build: shared by `npm start` (scripts/build-if-needed.ts) and the browser tests. */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = path.join(ROOT, 'web');
export const WEB_INDEX = path.join(WEB, 'dist', 'index.html');
// What the bundle is made from; a change to any of them makes web/dist stale.
const SOURCES = [
  path.join(WEB, 'src'),
  path.join(WEB, 'public'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.ts'),
];

/** Why web/dist needs building, or null when it is newer than every source file. */
export function webBuildStaleReason(): string | null {
  if (!fs.existsSync(WEB_INDEX)) return 'web/dist/index.html is missing';
  const built = fs.statSync(WEB_INDEX).mtimeMs;
  const newer = SOURCES.flatMap(filesUnder).find((file) => fs.statSync(file).mtimeMs > built);
  return newer ? `${path.relative(ROOT, newer)} changed since the last build` : null;
}

/**
 * Runs `vite build` in a child process (never inside a process that already runs Vite, like Vitest). The
 * bundle needs no API types (they are erased); `npm run typecheck` and `npm run build` generate and check them.
 */
export function buildWeb(): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite))
    throw new Error('Vite is not installed: run npm install (the dashboard is built with dev dependencies)');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(WEB, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // Vitest sets NODE_ENV=test, which would give React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
}

export function filesUnder(entry: string): string[] {
  if (!fs.existsSync(entry)) return [];
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return fs
    .readdirSync(entry, { recursive: true, withFileTypes: true })
    .filter((dirent) => dirent.isFile())
    .map((dirent) => path.join(dirent.parentPath, dirent.name));
}
