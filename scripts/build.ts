import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateApiTypes } from './generate-api-types.js';
import { buildServer } from './server-build.js';
import { buildWeb } from './web-build.js';

// `npm run build`, the production build: the server type-checked by tsc and compiled from src/ to
// dist/ (tests left out) by esbuild, which `npm run start:prod` runs with plain node, and the
// dashboard built into web/dist after it is type-checked against API types generated from the
// server's OpenAPI document.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function tsc(project: string): void {
  const result = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, project)], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`tsc -p ${project} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}

process.stdout.write('Checking the server…\n');
tsc('tsconfig.build.json');
process.stdout.write('Compiling the server into dist/…\n');
buildServer();
process.stdout.write('Checking the dashboard against the API types of the OpenAPI document…\n');
await generateApiTypes();
tsc('web');
process.stdout.write('Building the dashboard into web/dist/…\n');
buildWeb();
process.stdout.write('Built. Run it with: npm run start:prod (node dist/main.js)\n');
