import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../config.js';
import type { Principal } from '../../modules/access/index.js';
import {
  importReport,
  MAX_IMPORT_BYTES,
  prepareImport,
  type CustomerImportView,
  type ImportMode,
  type ImportRequest,
  type ImportTally,
} from '../../modules/customer-imports/index.js';
import { CliError, UsageError, type CliCommand, type CliIo } from '../command.js';
import { EXIT, formatCount, ProgressPrinter, type Output } from '../output.js';
import { brandsOf, cliActor, runLocalOrRemote } from '../run-local-or-remote.js';
import type { ServerClient } from '../server-client.js';

const OPTIONS = {
  brand: { type: 'string' },
  mode: { type: 'string' },
  'update-existing': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  map: { type: 'string', multiple: true },
  report: { type: 'string' },
  server: { type: 'string' },
} as const;

/** Problem rows printed on stderr; --report FILE writes them all. */
const PROBLEMS_PRINTED = 20;

/**
 * `import FILE`: customers from a CSV file, through the same service as POST /customer-imports. Not
 * made with defineCommand: the file is a positional argument after the command's name.
 */
export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import FILE',
  summary:
    'Imports customers from a CSV file (UTF-8; Stripe, Shopify and WooCommerce exports are read as they come). ' +
    '--brand ID (with more than one brand); --mode all-or-nothing (default: any invalid row and nothing is ' +
    'written) or skip-invalid; --update-existing updates customers whose email the brand has (else they are ' +
    'skipped); --dry-run checks and reports without writing; --map "HEADER=FIELD" (repeatable; FIELD is name, ' +
    'first_name, last_name, email, phone, metadata.KEY or ignore); --report FILE writes the per-row report. ' +
    'Prints "imported N, updated N, skipped N, failed N"; exit 3 when rows failed, 1 when nothing was imported.',
  options: OPTIONS,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const [name, file, ...extra] = parsed.positionals;
    if (name !== 'import' || extra.length > 0) throw new UsageError(`Unknown command: ${parsed.positionals.join(' ')}`);
    if (!file) throw new UsageError('Name the CSV file: npm run paydesk -- import FILE --brand ID');
    const values = parsed.values;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`No file ${file}`);
    const request: ImportRequest = {
      mode: modeOf(values.mode),
      update_existing: values['update-existing'] ?? false,
      dry_run: values['dry-run'] ?? false,
      filename: path.basename(file),
      mapping: mappingOf(values.map ?? []),
    };
    const progress = new ImportProgress(io.err);
    const { job, report } = await runLocalOrRemote<{ job: CustomerImportView; report: string | null }>(
      parseConfig(io.env),
      io,
      {
        server: values.server,
        local: async (paydesk) => {
          const merchantId = oneBrand(await brandsOf(paydesk, values.brand));
          // The CLI stands for whoever may open the database: the owner, with the OS user in the audit log.
          const principal: Principal = { merchantId, role: 'owner', actor: cliActor() };
          const open = () => fs.createReadStream(file, { highWaterMark: 256 * 1024 });
          const prepared = await prepareImport(paydesk.ctx, principal, open, request);
          const job = await prepared.run({ signal: io.signal, onProgress: (t) => progress.show(t) });
          const done = { progress: () => undefined, ids: () => [] };
          const report = values.report ? (await importReport(paydesk.ctx, principal, job.id, done)).csv : null;
          return { job, report };
        },
        remote: (client) =>
          importThroughServer(client, io, { file, request, brand: values.brand, report: values.report, progress }),
      },
    );
    progress.done();
    if (report !== null && values.report) fs.writeFileSync(values.report, report);
    printOutcome(job, io, values.report);
    if (job.status === 'failed') return EXIT.error;
    return job.failed > 0 ? EXIT.needsAttention : EXIT.ok;
  },
};

async function importThroughServer(
  client: ServerClient,
  io: CliIo,
  p: {
    file: string;
    request: ImportRequest;
    brand: string | undefined;
    report: string | undefined;
    progress: ImportProgress;
  },
): Promise<{ job: CustomerImportView; report: string | null }> {
  io.err.write(`The server at ${client.baseUrl} holds the database; the file goes to the API key's brand.\n`);
  if (p.brand !== undefined) {
    const { body } = await client.call<{ id: string }>('GET', '/api/v1/brand');
    if (body.id !== p.brand) throw new CliError(`PAYDESK_API_KEY belongs to brand ${body.id}, not ${p.brand}`);
  }
  const size = fs.statSync(p.file).size;
  if (size > MAX_IMPORT_BYTES) {
    throw new CliError(
      `${p.file} is ${formatCount(size)} bytes; the server takes up to 50 MiB. Stop the server and run the import again (it then works on the database itself).`,
    );
  }
  const query = new URLSearchParams({
    mode: p.request.mode ?? 'all_or_nothing',
    update_existing: String(p.request.update_existing ?? false),
    dry_run: String(p.request.dry_run ?? false),
    filename: p.request.filename ?? '',
  });
  if (p.request.mapping) query.set('mapping', JSON.stringify(p.request.mapping));
  const started = await client.upload<CustomerImportView>(
    `/api/v1/customer-imports?${query.toString()}`,
    fs.readFileSync(p.file),
    'text/csv',
  );
  let job = started.body;
  while (job.status === 'running' || job.status === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, io.pollMs ?? 500));
    job = (await client.call<CustomerImportView>('GET', `/api/v1/customer-imports/${job.id}`)).body;
    p.progress.show({ ...job, rows_total: job.rows_total ?? 0 });
  }
  let report: string | null = null;
  if (p.report) {
    const chunks: Buffer[] = [];
    for await (const chunk of await client.download(`/api/v1/customer-imports/${job.id}/report`))
      chunks.push(chunk as Buffer);
    report = Buffer.concat(chunks).toString('utf8');
  }
  return { job, report };
}

function modeOf(text: string | undefined): ImportMode {
  if (text === undefined || text === 'all-or-nothing' || text === 'all_or_nothing') return 'all_or_nothing';
  if (text === 'skip-invalid' || text === 'skip_invalid') return 'skip_invalid';
  throw new UsageError(`--mode must be all-or-nothing or skip-invalid, not ${text}`);
}

/** `--map "E-mail address=email"`: the header may hold "=", so the last one splits. */
function mappingOf(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--map takes "HEADER=FIELD", not ${pair}`);
    mapping[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return mapping;
}

function oneBrand(brands: string[]): string {
  const [only, ...more] = brands;
  if (only === undefined) throw new CliError('No brands yet.');
  if (more.length > 0) {
    throw new CliError(
      `This installation has ${brands.length} brands; name one with --brand ID (${brands.join(', ')})`,
    );
  }
  return only;
}

function printOutcome(job: CustomerImportView, io: CliIo, reportFile: string | undefined): void {
  for (const row of job.problems.slice(0, PROBLEMS_PRINTED)) {
    const what = row.field ? `${row.field}: ${row.reason}` : row.reason;
    io.err.write(`line ${row.line}: ${row.status} — ${what}${row.customer ? ` (${row.customer})` : ''}\n`);
  }
  const more = job.report_rows - Math.min(job.report_rows, PROBLEMS_PRINTED);
  if (more > 0)
    io.err.write(`… and ${formatCount(more)} more rows in the report${reportFile ? '' : ' (--report FILE)'}\n`);
  if (job.unknown_columns.length > 0) io.err.write(`columns not imported: ${job.unknown_columns.join(', ')}\n`);
  if (reportFile) io.err.write(`report written to ${reportFile}\n`);
  if (job.dry_run) io.err.write('dry run: nothing was written\n');
  if (job.error) io.err.write(`${job.error}\n`);
  io.out.write(`imported ${job.imported}, updated ${job.updated}, skipped ${job.skipped}, failed ${job.failed}\n`);
}

/** Rows done of the total, rows/s and time left, on one line (a bar on a terminal). */
class ImportProgress {
  private readonly printer: ProgressPrinter;
  private readonly startedAt = Date.now();

  constructor(private readonly err: Output) {
    this.printer = new ProgressPrinter(err);
  }

  show(t: ImportTally & { rows_total: number }): void {
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? t.rows_done / seconds : 0;
    const share = t.rows_total > 0 ? Math.min(1, t.rows_done / t.rows_total) : 1;
    const left = rate > 0 ? Math.ceil((t.rows_total - t.rows_done) / rate) : null;
    const bar = this.err.isTTY ? `[${'#'.repeat(Math.round(share * 24)).padEnd(24, '-')}] ` : '';
    this.printer.update(
      `${bar}${formatCount(t.rows_done)}/${formatCount(t.rows_total)} rows (${Math.round(share * 100)}%) · ` +
        `${formatCount(Math.round(rate))} rows/s · ETA ${left === null ? '?' : `${left}s`}`,
      'import',
    );
  }

  done(): void {
    this.printer.done();
  }
}
