import { parseArgs } from 'node:util';
import { createContext } from '../app.js';
import { ConfigError, parseConfig } from '../config.js';
import { DatabaseLockedError } from '../db/database.js';
import { reconcileBrand } from '../modules/reconcile/reconcile.service.js';
import { cliLogger, serverClient, type CliIo } from './keys.cli.js';
import { brandsOf, cliActor, CliError } from './keys.local.js';
import { EXIT, formatCount } from './keys.output.js';

interface BrandResult {
  merchant_id: string;
  customers_checked: number;
  drift: Array<{
    customer_id: string;
    stored: { transactions_count: number; total_spent_minor: number; last_payment_at: Date | string | null };
    ledger: { transactions_count: number; total_spent_minor: number; last_payment_at: Date | string | null };
  }>;
  fixed: number;
}

/**
 * `npm run paydesk -- reconcile [--fix] [--brand ID] [--json]`: every customer's aggregates against
 * the transactions ledger. Exit 0 when they agree (or were fixed), 3 when drift was found and left.
 */
export async function runReconcileCli(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        fix: { type: 'boolean' },
        brand: { type: 'string' },
        json: { type: 'boolean' },
        server: { type: 'string' },
      },
    }));
  } catch (error) {
    io.err.write(`${(error as Error).message}\nRun npm run paydesk -- --help for the commands.\n`);
    return EXIT.usage;
  }
  const fix = values.fix ?? false;
  try {
    const config = parseConfig(io.env);
    let results: BrandResult[];
    let paydesk;
    try {
      paydesk = await createContext(config, { logger: cliLogger(config, io.err) });
    } catch (error) {
      if (!(error instanceof DatabaseLockedError)) throw error;
    }
    if (paydesk) {
      try {
        results = [];
        for (const merchantId of await brandsOf(paydesk, values.brand)) {
          results.push(await reconcileBrand(paydesk.ctx, merchantId, { fix, actor: cliActor() }));
        }
      } finally {
        await paydesk.close();
      }
    } else {
      const client = serverClient(config, values.server);
      io.err.write(`The server at ${client.baseUrl} holds the database; it reconciles the API key's brand.\n`);
      const { body } = await client.call<BrandResult>('POST', '/api/v1/reconcile', { fix });
      if (values.brand !== undefined && values.brand !== body.merchant_id) {
        throw new CliError(`PAYDESK_API_KEY belongs to brand ${body.merchant_id}, not ${values.brand}`);
      }
      results = [body];
    }
    io.out.write(values.json ? JSON.stringify(results, null, 2) + '\n' : reportText(results, fix));
    const left = results.some((r) => r.drift.length > r.fixed);
    return left ? EXIT.needsAttention : EXIT.ok;
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) {
      io.err.write(`${error.message}\n`);
      return error instanceof ConfigError ? EXIT.usage : error.exitCode;
    }
    throw error;
  }
}

function reportText(results: BrandResult[], fix: boolean): string {
  if (results.length === 0) return 'No brands yet.\n';
  const lines: string[] = [];
  for (const r of results) {
    const verdict =
      r.drift.length === 0
        ? 'all agree with the ledger'
        : fix
          ? `${r.drift.length} drifted, ${r.fixed} fixed`
          : `${r.drift.length} drifted`;
    lines.push(`${r.merchant_id}: ${formatCount(r.customers_checked)} customers checked, ${verdict}`);
    for (const d of r.drift) {
      const diffs: string[] = [];
      if (d.stored.transactions_count !== d.ledger.transactions_count) {
        diffs.push(`transactions_count ${d.stored.transactions_count} → ${d.ledger.transactions_count}`);
      }
      if (d.stored.total_spent_minor !== d.ledger.total_spent_minor) {
        diffs.push(`total_spent ${d.stored.total_spent_minor} → ${d.ledger.total_spent_minor}`);
      }
      const last = (v: Date | string | null) => (v === null ? 'none' : new Date(v).toISOString());
      if (last(d.stored.last_payment_at) !== last(d.ledger.last_payment_at)) {
        diffs.push(`last_payment_at ${last(d.stored.last_payment_at)} → ${last(d.ledger.last_payment_at)}`);
      }
      lines.push(`  ${d.customer_id}: ${diffs.join(', ')} (stored → ledger)`);
    }
  }
  if (!fix && results.some((r) => r.drift.length > 0))
    lines.push('Run again with --fix to rewrite them from the ledger.');
  return lines.join('\n') + '\n';
}
