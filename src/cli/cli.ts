import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { KeyringError } from '../crypto/keyring.js';
import { DomainError } from '../errors.js';
import { DEFAULT_BATCH_SIZE, MasterRotationError } from '../modules/keys/index.js';
import { CliError, UsageError, type CliCommand, type CliIo, type ParseArgsOptionsConfig } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT } from './output.js';

export type { CliIo } from './command.js';

const USAGE_WIDTH = 28;
const HELP_WIDTH = 100;

/** The help: the command table, then the options and how the commands find the database. */
export function helpText(commands: readonly CliCommand[] = COMMANDS): string {
  const rows = commands.map((c) => `  ${c.usage.padEnd(USAGE_WIDTH)}${wrap(c.summary, USAGE_WIDTH + 2)}`);
  return `Usage: npm run paydesk -- <command> [options]

Commands:
${rows.join('\n')}

Options:
  --brand ID                  Only this brand (default: every brand).
  --batch N                   Rows per transaction (default ${DEFAULT_BATCH_SIZE}).
  --json                      keys status / reconcile as JSON.
  --server URL                The server to ask when it holds the embedded database
                              (default: the address it published in the data directory).
  -h, --help                  This help.

Configuration comes from the same environment as the server (DATABASE_URL, PAYDESK_DATA_DIR,
PAYDESK_MASTER_KEY, ...).
  PostgreSQL (DATABASE_URL): the command works on the database itself, beside running servers.
  Embedded database (PGlite): a server that is running holds it, so the command asks that server,
  authenticated with PAYDESK_API_KEY (an owner or admin key; it decides the brand). keys
  rotate-master needs the server stopped (it has to restart with the new key anyway).

Exit status: 0 done, 1 error, 2 usage, 3 rows need a person (see the output), 130 stopped.
`;
}

/** `paydesk <command> [options]`: finds the command in the table and runs it; resolves to the exit status. */
export async function runCli(argv: string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  // A first, lenient pass finds the command words wherever the options are; the command's own parse is strict.
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...everyOption(commands), help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: false,
  });
  if (values.help || positionals.length === 0) {
    io.out.write(helpText(commands));
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const command = commands
    .filter((c) => c.name.split(' ').every((word, i) => positionals[i] === word))
    .sort((a, b) => b.name.length - a.name.length)[0];
  try {
    if (!command) throw new UsageError(`Unknown command: ${positionals.join(' ')}`);
    return await command.run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`${error.message}\nRun npm run paydesk -- --help for the commands.\n`);
      return EXIT.usage;
    }
    if (
      error instanceof CliError ||
      error instanceof ConfigError ||
      error instanceof KeyringError ||
      error instanceof MasterRotationError ||
      error instanceof DomainError
    ) {
      io.err.write(`${error.message}\n`);
      return error instanceof CliError ? error.exitCode : error instanceof ConfigError ? EXIT.usage : EXIT.error;
    }
    throw error;
  }
}

function everyOption(commands: readonly CliCommand[]): ParseArgsOptionsConfig {
  return Object.assign({}, ...commands.map((c) => c.options)) as ParseArgsOptionsConfig;
}

/** Words up to HELP_WIDTH columns; continuation lines indented to the summary column. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}
