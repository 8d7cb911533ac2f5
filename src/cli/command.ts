import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, type Output } from './output.js';

/** What node:util parseArgs takes as `options`. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What a command runs with: the environment and outputs (process.* or buffers in tests) and Ctrl-C. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
  /** Aborted by the first Ctrl-C: a command stops cleanly (after its batch) and says how to resume. */
  signal: AbortSignal;
  /** Tests shorten the wait for other servers' key caches. */
  settleMs?: number | undefined;
  /** How often a command following the server's work asks for progress (tests shorten it). */
  pollMs?: number | undefined;
}

/** A failure the user can act on: its message is printed (no stack) and the process exits with exitCode. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}

/** Wrong arguments: printed with a pointer to --help, exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** One row of the command table (commands/index.ts). */
export interface CliCommand {
  /** The words that select it: `keys rotate`. */
  readonly name: string;
  /** As the help shows it, when it says more than the name: `reconcile [--fix]`. */
  readonly usage: string;
  /** The help's description of it. */
  readonly summary: string;
  /** Its options, as node:util parseArgs takes them (-h/--help is every command's). */
  readonly options: ParseArgsOptionsConfig;
  /** Parses the whole command line (name included) and runs; resolves to the exit status. */
  run(argv: string[], io: CliIo): Promise<number>;
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true }>
>['values'];

/** A table row from a command's options and a run function that gets them parsed and typed. */
export function defineCommand<const O extends ParseArgsOptionsConfig>(spec: {
  name: string;
  usage?: string;
  summary: string;
  options: O;
  run(values: Values<O>, io: CliIo): Promise<number>;
}): CliCommand {
  return {
    name: spec.name,
    usage: spec.usage ?? spec.name,
    summary: spec.summary,
    options: spec.options,
    run: async (argv, io) => {
      let parsed;
      try {
        parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (parsed.positionals.join(' ') !== spec.name) {
        throw new UsageError(`Unknown command: ${parsed.positionals.join(' ')}`);
      }
      return spec.run(parsed.values, io);
    },
  };
}
