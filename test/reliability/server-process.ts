import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, serverBuildStaleReason } from '../../scripts/server-build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The real server in a child process: its sources through tsx (tests: what they change is what
 * runs), or the compiled dist/main.js as `npm start` runs it (the benchmarks; build it first).
 */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What it printed on stdout and stderr so far (for failure messages). */
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Starts it with these variables (and PATH, HOME); resolves once it prints where it listens. */
export function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 180_000,
  run: 'sources' | 'compiled' = 'sources',
): Promise<ServerProcess> {
  if (run === 'compiled' && serverBuildStaleReason()) buildServer();
  const args = run === 'compiled' ? compiledServerArgs() : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Paydesk is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!.replace('localhost', '127.0.0.1'), child, output: () => output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });
}

/**
 * The node arguments of `npm run start:prod` (its V8 flags included), read from package.json so
 * the benchmarks measure the server exactly as it is started.
 */
export function compiledServerArgs(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = pkg.scripts['start:prod']!.split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod should run node, not ${command}`);
  return args;
}
