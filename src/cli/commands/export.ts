import fs from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseConfig } from '../../config.js';
import { exportCustomers, type CustomerExportFilter } from '../../modules/customers/index.js';
import type { Principal } from '../../modules/access/index.js';
import { CliError, defineCommand } from '../command.js';
import { EXIT, formatCount, type Output } from '../output.js';
import { brandsOf, cliActor, runLocalOrRemote } from '../run-local-or-remote.js';

/** The brand's customers as CSV (GET /api/v1/customers/export), to a file or stdout. */
export const exportCommand = defineCommand({
  name: 'export',
  usage: 'export [--out FILE]',
  summary:
    "Writes a brand's customers as CSV (the columns of GET /api/v1/customers/export) to --out FILE or stdout; " +
    '--q TEXT searches like the list, --created-gte / --created-lt ISO limit the creation time. With more than ' +
    'one brand, --brand ID names it.',
  options: {
    brand: { type: 'string' },
    q: { type: 'string' },
    'created-gte': { type: 'string' },
    'created-lt': { type: 'string' },
    out: { type: 'string' },
    server: { type: 'string' },
  },
  async run(values, io) {
    const filter: CustomerExportFilter = {
      q: values.q,
      created_gte: values['created-gte'],
      created_lt: values['created-lt'],
    };
    const rows = await runLocalOrRemote<number>(parseConfig(io.env), io, {
      server: values.server,
      local: async (paydesk) => {
        const merchantId = await exportedBrand(await brandsOf(paydesk, values.brand));
        // The CLI stands for whoever may open the database: the owner, with the OS user in the audit log.
        const principal: Principal = { merchantId, role: 'owner', actor: cliActor() };
        const { csv } = await exportCustomers(paydesk.ctx, principal, filter);
        // Read to the end here: the database is closed when this returns.
        return writeCsv(csv, values.out, io.out);
      },
      remote: async (client) => {
        io.err.write(`The server at ${client.baseUrl} holds the database; it exports the API key's brand.\n`);
        if (values.brand !== undefined) {
          const { body } = await client.call<{ id: string }>('GET', '/api/v1/brand');
          if (body.id !== values.brand) {
            throw new CliError(`PAYDESK_API_KEY belongs to brand ${body.id}, not ${values.brand}`);
          }
        }
        const query = new URLSearchParams();
        for (const [name, value] of Object.entries(filter)) if (value !== undefined) query.set(name, String(value));
        const search = query.size > 0 ? `?${query.toString()}` : '';
        return writeCsv(await client.download(`/api/v1/customers/export${search}`), values.out, io.out);
      },
    });
    if (values.out !== undefined) io.err.write(`exported ${formatCount(rows)} customers to ${values.out}\n`);
    return EXIT.ok;
  },
});

function exportedBrand(brands: string[]): string {
  const [only, ...more] = brands;
  if (only === undefined) throw new CliError('No brands yet.');
  if (more.length > 0) {
    throw new CliError(
      `This installation has ${brands.length} brands; name one with --brand ID (${brands.join(', ')})`,
    );
  }
  return only;
}

/**
 * The CSV to the file (through FILE.part, renamed once complete, so a failed export leaves no
 * file that looks whole) or to stdout, as it arrives; resolves to its rows, header excluded.
 */
async function writeCsv(csv: Readable, out: string | undefined, stdout: Output): Promise<number> {
  csv.setEncoding('utf8');
  const counter = new CsvRowCounter();
  async function* counted(source: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const chunk of source) {
      counter.add(chunk);
      yield chunk;
    }
  }
  if (out === undefined) {
    const toStdout = new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, done) {
        stdout.write(chunk);
        done();
      },
    });
    await pipeline(csv, counted, toStdout);
    return counter.rows;
  }
  const part = `${out}.part`;
  try {
    await pipeline(csv, counted, fs.createWriteStream(part));
    await fs.promises.rename(part, out);
  } catch (error) {
    await fs.promises.rm(part, { force: true });
    throw error;
  }
  return counter.rows;
}

/** Records in a CSV as it streams: line ends outside quotes (a quoted cell may hold a newline; "" toggles twice). */
class CsvRowCounter {
  private lineEnds = 0;
  private quoted = false;

  add(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x22) this.quoted = !this.quoted;
      else if (c === 0x0a && !this.quoted) this.lineEnds++;
    }
  }

  /** The header's line is not a customer. */
  get rows(): number {
    return Math.max(0, this.lineEnds - 1);
  }
}
