import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from './web-build.js';

// `npm run build`, the production build: the server compiled from src/ to dist/ (tests left out),
// which `npm run start:prod` runs with plain node, and the dashboard built into web/dist.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

// A fresh dist/: tsc never removes the output of a source file that is gone.
fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
process.stdout.write('Compiling the server into dist/…\n');
const tsc = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
  { cwd: ROOT, stdio: 'inherit' },
);
if (tsc.status !== 0) {
  process.stderr.write(`tsc failed (exit ${tsc.status ?? tsc.signal})\n`);
  process.exit(1);
}
process.stdout.write('Building the dashboard into web/dist/…\n');
buildWeb();
process.stdout.write('Built. Run it with: npm run start:prod (node dist/main.js)\n');
