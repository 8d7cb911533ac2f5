import os from 'node:os';
import type { PaydeskContext } from '../app.js';
import type { KeyPurpose } from '../crypto/keyring.js';
import type { AuditActor } from '../modules/audit/audit.service.js';
import { findBrand, listBrandIds } from '../modules/brands/brand.repository.js';
import { brandKeyStatus } from '../modules/keys/key-status.service.js';
import { rotateBrandKey } from '../modules/keys/key-rotation.service.js';
import { rotateMasterKey } from '../modules/keys/master-rotation.service.js';
import {
  EXIT,
  exitCodeOf,
  ProgressPrinter,
  statusText,
  summaryText,
  type Output,
  type RotationSummary,
  type StatusShape,
} from './keys.output.js';

/* The CLI working on the database itself: PostgreSQL (beside running servers) or PGlite (no server). */

export interface LocalIo {
  out: Output;
  err: Output;
  signal: AbortSignal;
  /** Tests shorten the wait for other servers' key caches. */
  settleMs?: number | undefined;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}

export function cliActor(): AuditActor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit row still says it came from the CLI.
  }
  return { type: 'cli', id: user };
}

/** The brands a command covers: the one named, or all. */
export async function brandsOf(paydesk: PaydeskContext, brand: string | undefined): Promise<string[]> {
  if (brand === undefined) return listBrandIds(paydesk.ctx.db);
  if (!(await findBrand(paydesk.ctx.db, brand))) throw new CliError(`No brand ${brand}`);
  return [brand];
}

export async function localStatus(
  paydesk: PaydeskContext,
  brandIds: string[],
  json: boolean,
  io: LocalIo,
): Promise<number> {
  if (brandIds.length === 0) {
    io.out.write(json ? '[]\n' : 'No brands yet: the server creates the first one when it first starts.\n');
    return EXIT.ok;
  }
  const shapes: StatusShape[] = [];
  for (const merchantId of brandIds) {
    const s = await brandKeyStatus(paydesk.ctx, merchantId);
    shapes.push({
      merchantId,
      unfinished: s.unfinished,
      keys: s.keys.map((k) => ({
        ...k,
        createdAt: k.createdAt.toISOString(),
        retiredAt: k.retiredAt?.toISOString() ?? null,
      })),
    });
  }
  io.out.write(json ? JSON.stringify(shapes, null, 2) + '\n' : shapes.map(statusText).join('\n'));
  return EXIT.ok;
}

export async function localRotate(
  paydesk: PaydeskContext,
  purpose: KeyPurpose,
  brandIds: string[],
  batchSize: number | undefined,
  resumeCommand: (merchantId: string) => string,
  io: LocalIo,
): Promise<number> {
  const printer = new ProgressPrinter(io.err);
  const summaries: RotationSummary[] = [];
  for (const merchantId of brandIds) {
    if (io.signal.aborted) break;
    const { plan, outcome } = await rotateBrandKey(paydesk.ctx, { actor: cliActor() }, merchantId, purpose, {
      batchSize,
      signal: io.signal,
      settleMs: io.settleMs,
      onProgress: (p) => printer.update(p),
    });
    printer.done();
    if (!plan.started) {
      io.err.write(`${merchantId}: resumed the unfinished rotation to ${purpose} key ${plan.activeKeyId}\n`);
    }
    const summary: RotationSummary = { ...outcome, resumed: !plan.started };
    summaries.push(summary);
    io.out.write(summaryText(summary, resumeCommand(merchantId)));
  }
  return exitCodeOf(summaries);
}

export async function localRotateMaster(paydesk: PaydeskContext, io: LocalIo): Promise<number> {
  const { ctx, master } = paydesk;
  const result = await rotateMasterKey(ctx, { actor: cliActor() }, master, ctx.config.newMasterKey);
  const lines = [
    `Master key rotated: ${count(result.keys, 'key')} of ${count(result.brands, 'brand')} re-wrapped ` +
      `(fingerprint ${result.oldFingerprint} -> ${result.newFingerprint}).`,
  ];
  if (result.keyFile) {
    lines.push(`The new master key is in ${result.keyFile}; the old one is destroyed. Start Paydesk again.`);
  } else {
    lines.push(
      'Now restart every Paydesk server with PAYDESK_MASTER_KEY set to the new key (the value of PAYDESK_NEW_MASTER_KEY),',
      'and drop PAYDESK_NEW_MASTER_KEY. Servers still running on the old key keep serving with the keys they hold,',
      'but cannot load new ones, create brands or rotate keys until they are restarted.',
    );
  }
  io.out.write(lines.join('\n') + '\n');
  return EXIT.ok;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
