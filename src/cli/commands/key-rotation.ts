import { setTimeout as sleep } from 'node:timers/promises';
import type { PaydeskContext } from '../../app.js';
import { parseConfig } from '../../config.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import { rotateBrandKey, type RotationJobView } from '../../modules/keys/index.js';
import { defineCommand, type CliCommand, type CliIo } from '../command.js';
import { ProgressPrinter } from '../output.js';
import { brandsOf, cliActor, runLocalOrRemote } from '../run-local-or-remote.js';
import type { ServerClient } from '../server-client.js';
import { exitCodeOf, progressText, summaryText, type RotationSummary } from './key-rotation.output.js';
import { KEYS_OPTIONS, keysArguments, remoteBrandStatus } from './keys-shared.js';

interface RotationRun {
  purpose: KeyPurpose;
  brand: string | undefined;
  batchSize: number | undefined;
  /** The command that resumes a stopped or unfinished rotation of a brand. */
  resume: (merchantId: string) => string;
}

/** `keys rotate` and `keys rotate-index`: the same run, for the data key or the index key. */
export function rotationCommand(spec: { name: string; purpose: KeyPurpose; summary: string }): CliCommand {
  return defineCommand({
    name: spec.name,
    summary: spec.summary,
    options: KEYS_OPTIONS,
    async run(values, io) {
      const { brand, batchSize } = keysArguments(values);
      const resume = (merchantId: string) =>
        `npm run paydesk -- ${spec.name} --brand ${merchantId}${batchSize === undefined ? '' : ` --batch ${batchSize}`}`;
      const rotation: RotationRun = { purpose: spec.purpose, brand, batchSize, resume };
      const onAbort = () => io.err.write('\nStopping after the current batch… (Ctrl-C again to quit at once)\n');
      io.signal.addEventListener('abort', onAbort, { once: true });
      try {
        return await runLocalOrRemote(parseConfig(io.env), io, {
          server: values.server,
          local: (paydesk) => rotateHere(paydesk, rotation, io),
          remote: (client) => rotateInServer(client, rotation, io),
        });
      } finally {
        io.signal.removeEventListener('abort', onAbort);
      }
    },
  });
}

async function rotateHere(paydesk: PaydeskContext, rotation: RotationRun, io: CliIo): Promise<number> {
  const { purpose, batchSize, resume } = rotation;
  const brandIds = await brandsOf(paydesk, rotation.brand);
  // Holding the embedded database's lock, this process is its only user: no other server can hold
  // stale keys, so nothing needs waiting out before old keys are retired.
  const settleMs = io.settleMs ?? (paydesk.database.kind === 'pglite' ? 0 : undefined);
  const printer = new ProgressPrinter(io.err);
  const summaries: RotationSummary[] = [];
  for (const merchantId of brandIds) {
    if (io.signal.aborted) break;
    const { plan, outcome } = await rotateBrandKey(paydesk.ctx, { actor: cliActor() }, merchantId, purpose, {
      batchSize,
      signal: io.signal,
      settleMs,
      onProgress: (p) => printer.update(progressText(p), p.phase),
    });
    printer.done();
    if (!plan.started) {
      io.err.write(`${merchantId}: resumed the unfinished rotation to ${purpose} key ${plan.activeKeyId}\n`);
    }
    const summary: RotationSummary = { ...outcome, resumed: !plan.started };
    summaries.push(summary);
    io.out.write(summaryText(summary, resume(merchantId)));
  }
  return exitCodeOf(summaries);
}

/** The server runs the rotation (POST /api/v1/keys/rotations); this follows it, and Ctrl-C stops it there. */
async function rotateInServer(client: ServerClient, rotation: RotationRun, io: CliIo): Promise<number> {
  const { purpose, batchSize } = rotation;
  const { merchant_id: merchantId } = await remoteBrandStatus(client, rotation.brand);
  io.err.write(`The server at ${client.baseUrl} holds the database; it runs the rotation of ${merchantId}.\n`);
  const started = await client.call<RotationJobView & { code?: string }>('POST', '/api/v1/keys/rotations', {
    purpose,
    ...(batchSize === undefined ? {} : { batch_size: batchSize }),
  });
  if (started.status === 409) io.err.write('A rotation is already running in the server; following it.\n');
  else if (!started.body.new_key)
    io.err.write(`Resuming the unfinished rotation to ${purpose} key ${started.body.active_key_id}.\n`);

  const printer = new ProgressPrinter(io.err);
  let stopRequested = false;
  let job: RotationJobView;
  for (;;) {
    if (io.signal.aborted && !stopRequested) {
      stopRequested = true;
      await client.call('DELETE', '/api/v1/keys/rotations/current');
    }
    job = (await client.call<RotationJobView>('GET', '/api/v1/keys/rotations/current')).body;
    if (job.state !== 'running' && job.state !== 'stopping') break;
    const progress = { merchantId, purpose: job.purpose, phase: job.phase, done: job.rows_done, total: job.rows_total };
    printer.update(progressText(progress), progress.phase);
    await sleep(io.pollMs ?? 500);
  }
  printer.done();
  const summary: RotationSummary = {
    merchantId,
    purpose: job.purpose,
    status: job.state === 'failed' ? 'failed' : (job.state as RotationSummary['status']),
    resumed: !job.new_key,
    activeKeyId: job.active_key_id,
    done: job.rows_done,
    total: job.rows_total,
    retiredKeyIds: job.retired_key_ids,
    pendingKeyIds: job.pending_key_ids,
    problems: job.problems.map((p) => ({
      customerId: p.customer_id,
      reason: p.reason,
      otherCustomerId: p.other_customer_id,
    })),
    error: job.error,
  };
  io.out.write(summaryText(summary, rotation.resume(merchantId)));
  return exitCodeOf([summary]);
}
