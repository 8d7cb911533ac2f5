import { parseConfig } from '../../config.js';
import { reconcileBrand } from '../../modules/reconcile/index.js';
import { CliError, defineCommand } from '../command.js';
import { EXIT, formatCount } from '../output.js';
import { brandsOf, cliActor, runLocalOrRemote } from '../run-local-or-remote.js';

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

/** Every customer's aggregates against the transactions ledger; exit 3 when drift was found and left. */
export const reconcile = defineCommand({
  name: 'reconcile',
  usage: 'reconcile [--fix]',
  summary:
    "Checks every customer's transactions count, total spent and last payment against the transactions ledger " +
    'and lists any drift; --fix rewrites the drifted ones from the ledger. Exit 3 when drift is left.',
  options: {
    fix: { type: 'boolean' },
    brand: { type: 'string' },
    json: { type: 'boolean' },
    server: { type: 'string' },
  },
  async run(values, io) {
    const fix = values.fix ?? false;
    const results = await runLocalOrRemote<BrandResult[]>(parseConfig(io.env), io, {
      server: values.server,
      local: async (paydesk) => {
        const results: BrandResult[] = [];
        for (const merchantId of await brandsOf(paydesk, values.brand)) {
          results.push(await reconcileBrand(paydesk.ctx, merchantId, { fix, actor: cliActor() }));
        }
        return results;
      },
      remote: async (client) => {
        io.err.write(`The server at ${client.baseUrl} holds the database; it reconciles the API key's brand.\n`);
        const { body } = await client.call<BrandResult>('POST', '/api/v1/reconcile', { fix });
        if (values.brand !== undefined && values.brand !== body.merchant_id) {
          throw new CliError(`PAYDESK_API_KEY belongs to brand ${body.merchant_id}, not ${values.brand}`);
        }
        return [body];
      },
    });
    io.out.write(values.json ? JSON.stringify(results, null, 2) + '\n' : reportText(results, fix));
    const left = results.some((r) => r.drift.length > r.fixed);
    return left ? EXIT.needsAttention : EXIT.ok;
  },
});

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
