import { parseConfig } from '../../config.js';
import {
  SETTLE_AFTER_MS,
  SETTLE_EVERY_MS,
  settlePendingPayments,
  type SettleReport,
} from '../../modules/payments/index.js';
import { UsageError, defineCommand } from '../command.js';
import { EXIT } from '../output.js';
import { runLocalOrRemote } from '../run-local-or-remote.js';

const DEFAULT_MINUTES = SETTLE_AFTER_MS / 60_000;

/** What a running server does at start and every few minutes, on demand (all brands). */
export const settlePending = defineCommand({
  name: 'settle-pending',
  usage: 'settle-pending [--older-than MINUTES] [--json]',
  summary:
    'Settles card payments a crash left pending between the charge and its record: asks the payment gateway ' +
    'about each (by transaction id) and records it as succeeded, or as failed with its checkout or invoice freed. ' +
    `Only payments older than --older-than minutes (default ${DEFAULT_MINUTES}), so none still in flight is touched. ` +
    `A running server does this itself at start and every ${SETTLE_EVERY_MS / 60_000} minutes. Exit 3 when some are left.`,
  options: {
    'older-than': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const minutes = values['older-than'] === undefined ? DEFAULT_MINUTES : Number(values['older-than']);
    if (!Number.isFinite(minutes) || minutes < 0) throw new UsageError('--older-than takes a number of minutes');
    const report = await runLocalOrRemote<SettleReport>(parseConfig(io.env), io, {
      local: (paydesk) => settlePendingPayments(paydesk.ctx, { olderThanMs: minutes * 60_000 }),
      remote: {
        refused:
          'A Paydesk server holds the embedded database, and it settles pending payments itself ' +
          `(at start and every ${SETTLE_EVERY_MS / 60_000} minutes). Stop it to run this command.`,
      },
    });
    io.out.write(values.json ? JSON.stringify(report, null, 2) + '\n' : reportText(report));
    return report.left.length > 0 ? EXIT.needsAttention : EXIT.ok;
  },
});

function reportText(r: SettleReport): string {
  if (r.checked === 0) return 'No pending payments to settle.\n';
  const lines = [
    `${r.checked} pending: ${r.completed.length} recorded as succeeded, ${r.voided.length} voided, ${r.left.length} left`,
  ];
  for (const id of r.completed) lines.push(`  ${id}: charged at the gateway, recorded`);
  for (const id of r.voided) lines.push(`  ${id}: not charged (or refunded), voided`);
  for (const id of r.left) lines.push(`  ${id}: left pending (see the log); run again later`);
  return lines.join('\n') + '\n';
}
