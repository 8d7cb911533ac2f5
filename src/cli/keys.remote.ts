import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyPurpose } from '../crypto/keyring.js';
import type { KeyStatusView, RotationJobView } from '../modules/keys/key.schemas.js';
import { CliError, type LocalIo } from './keys.local.js';
import { EXIT, exitCodeOf, ProgressPrinter, statusText, summaryText, type RotationSummary } from './keys.output.js';

/*
 * The CLI when a server holds the embedded database: the same commands, run by the server
 * (POST /api/v1/keys/rotations) and followed from here. The API key decides the brand.
 */

export interface RemoteIo extends LocalIo {
  pollMs?: number | undefined;
}

export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError(
        `Another process holds the embedded database, and no Paydesk server answers at ${this.baseUrl} ` +
          `(${(error as Error).message}). If another paydesk command is running, wait for it; if a server crashed, ` +
          'its lock expires within 30 seconds; then run this again (or pass --server URL).',
      );
    }
    const parsed = (await response.json().catch(() => ({}))) as T & { detail?: string; code?: string };
    if (response.status >= 400 && response.status !== 409) {
      throw new CliError(
        `The server refused: ${parsed.detail ?? response.statusText} (${parsed.code ?? response.status})`,
      );
    }
    return { status: response.status, body: parsed };
  }
}

/** The brand the API key belongs to, checked against --brand. */
async function brandStatus(client: ServerClient, brand: string | undefined): Promise<KeyStatusView> {
  const { body } = await client.call<KeyStatusView>('GET', '/api/v1/keys');
  if (brand !== undefined && brand !== body.merchant_id) {
    throw new CliError(
      `PAYDESK_API_KEY belongs to brand ${body.merchant_id}, not ${brand}; through the server a command works on the key's own brand`,
    );
  }
  return body;
}

export async function remoteStatus(
  client: ServerClient,
  brand: string | undefined,
  json: boolean,
  io: RemoteIo,
): Promise<number> {
  const s = await brandStatus(client, brand);
  const shape = {
    merchantId: s.merchant_id,
    unfinished: s.unfinished,
    keys: s.keys.map((k) => ({
      keyId: k.key_id,
      purpose: k.purpose,
      state: k.state,
      createdAt: k.created_at,
      retiredAt: k.retired_at,
      rows: k.rows,
    })),
  };
  io.out.write(json ? JSON.stringify([shape], null, 2) + '\n' : statusText(shape));
  return EXIT.ok;
}

export async function remoteRotate(
  client: ServerClient,
  purpose: KeyPurpose,
  brand: string | undefined,
  batchSize: number | undefined,
  resumeCommand: (merchantId: string) => string,
  io: RemoteIo,
): Promise<number> {
  const { merchant_id: merchantId } = await brandStatus(client, brand);
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
    printer.update({ merchantId, purpose: job.purpose, phase: job.phase, done: job.rows_done, total: job.rows_total });
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
  io.out.write(summaryText(summary, resumeCommand(merchantId)));
  return exitCodeOf([summary]);
}
