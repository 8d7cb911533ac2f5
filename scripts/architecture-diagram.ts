import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run architecture` redraws the module diagram in ARCHITECTURE.md from the imports themselves
// (dependency-cruiser, the same tool that enforces the rules); `--check` fails when it is out of date,
// so the picture can never drift from the code.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = path.join(ROOT, 'ARCHITECTURE.md');
const START = '<!-- module-diagram:start (npm run architecture) -->';
const END = '<!-- module-diagram:end -->';

const depcruise = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const result = spawnSync(
  process.execPath,
  [
    depcruise,
    'src/modules',
    '--config',
    '.dependency-cruiser.cjs',
    '--include-only',
    '^src/modules/',
    '--exclude',
    '\\.test\\.ts$',
    '--collapse',
    '^src/modules/[^/]+',
    '--output-type',
    'mermaid',
  ],
  { cwd: ROOT, encoding: 'utf8' },
);
if (result.status !== 0) {
  process.stderr.write(result.stderr || result.stdout);
  process.exit(result.status ?? 1);
}

const diagram = ['```mermaid', result.stdout.trim(), '```'].join('\n');
const doc = fs.readFileSync(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) throw new Error(`ARCHITECTURE.md has no ${START} … ${END} block`);
const next = `${doc.slice(0, from + START.length)}\n${diagram}\n${doc.slice(to)}`;

if (process.argv.includes('--check')) {
  if (next !== doc) {
    process.stderr.write('ARCHITECTURE.md: the module diagram is out of date; run `npm run architecture`.\n');
    process.exit(1);
  }
} else if (next !== doc) {
  fs.writeFileSync(DOC, next);
  process.stdout.write('ARCHITECTURE.md: module diagram redrawn.\n');
}
