import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compiledServerArgs } from './reliability/server-process.js';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const readme = fs.readFileSync('README.md', 'utf8');

// The heap limit keeps a busy server's RSS down (README "Deploy"): every way the compiled server
// is started must pass it, or a deployment or a benchmark runs a different server.
describe('the compiled server is started one way', () => {
  const prod = pkg.scripts['start:prod']!;

  it('start:prod runs node with the heap limit', () => {
    expect(prod).toMatch(/^node .*--max-old-space-size=\d+ .*dist\/main\.js$/);
  });

  it('this Node.js accepts its flags (a V8 flag it does not know stops node before the server)', () => {
    const flags = compiledServerArgs().filter((arg) => arg.startsWith('--'));
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('npm start ends in the same command', () => {
    expect(pkg.scripts.start!.endsWith(`&& ${prod}`)).toBe(true);
  });

  it("the README's start:prod comment and systemd unit show the same command", () => {
    expect(readme).toContain(`npm run start:prod          # ${prod}`);
    expect(readme).toContain(`ExecStart=/usr/bin/${prod}`);
  });
});
