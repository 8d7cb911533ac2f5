import type { AppContext } from '../../context.js';
import { recordAudit } from '../audit/index.js';
import {
  claimDueDeliveries,
  clearEndpointFailing,
  countEndpointFailure,
  recordAttempt,
  type AttemptOutcome,
  type ClaimedDelivery,
} from './webhook-delivery.repository.js';
import { findEndpointSecrets } from './webhook-endpoint.repository.js';
import { findWebhookEvent } from './webhook-event.repository.js';
import { endpointLens, renderEvent } from './webhook-payload.js';
import { retryAt, RETRY_DELAYS_MS } from './webhook-retry.js';
import { signingSecrets } from './webhook-secrets.js';
import { sendWebhook, type WebhookAttemptResult } from './webhook-sender.js';
import { signedHeaders } from './webhook-signing.js';

const DAY_MS = 86_400_000;

export interface WebhookDispatcherOptions {
  /** How often an idle dispatcher looks for due deliveries (250 ms: well inside the 1 s delay target). */
  pollMs?: number;
  /** Sends in flight per process. */
  concurrency?: number;
  /** The wait after each failed attempt; its length is the number of retries (about three days). */
  retryDelaysMs?: readonly number[];
  /** An endpoint failing this long without a success (and at least minFailures times) is turned off. */
  disableAfterMs?: number;
  minFailures?: number;
}

/**
 * Works the delivery queue: claims due deliveries (a claim is this process's for the attempt's
 * lease), renders each event for its endpoint, signs it, sends it, and records the outcome.
 * Built once in app.ts; several servers on one PostgreSQL share the queue through their claims.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly concurrency: number;
  private readonly leaseMs: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: WebhookDispatcherOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    // Longer than an attempt can take, so a claim never lapses while its request is in flight.
    this.leaseMs = ctx.config.webhooks.timeoutMs * 2 + 30_000;
  }

  start(): this {
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 250);
    this.timer.unref();
    this.wake();
    return this;
  }

  /** Stops claiming and waits for the sends in flight to be recorded. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.claiming;
    await Promise.all(this.inFlight);
  }

  /** Claims what the free slots allow; claims again at once when a claim came back full. */
  wake(): void {
    if (this.claiming || this.closed) return;
    this.claiming = this.claimAndSend()
      .catch((error: unknown) => this.ctx.logger.error({ err: error }, 'Claiming webhook deliveries failed'))
      .finally(() => {
        this.claiming = undefined;
      });
  }

  /** For tests and the CLI: until nothing is due, claim, send and record. */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await claimDueDeliveries(this.ctx.db, this.ctx.clock(), this.concurrency, this.leaseMs);
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    }
  }

  private async claimAndSend(): Promise<void> {
    for (;;) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0 || this.closed) return;
      const claimed = await claimDueDeliveries(this.ctx.db, this.ctx.clock(), free, this.leaseMs);
      for (const delivery of claimed) {
        const sending: Promise<void> = this.deliver(delivery).finally(() => {
          this.inFlight.delete(sending);
          this.wake();
        });
        this.inFlight.add(sending);
      }
      if (claimed.length < free) return;
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    try {
      const result = await this.attempt(delivery);
      await this.record(delivery, result);
    } catch (error) {
      // The claim's lease runs out and the delivery is tried again: at least once, never lost.
      this.ctx.logger.error({ err: error, delivery: delivery.id }, 'Webhook delivery failed to run');
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<WebhookAttemptResult> {
    const { ctx } = this;
    const [event, endpoint] = await Promise.all([
      findWebhookEvent(ctx.db, delivery.merchant_id, delivery.event_id),
      findEndpointSecrets(ctx.db, delivery.merchant_id, delivery.endpoint_id),
    ]);
    if (!event || !endpoint) return { ok: false, status: null, durationMs: 0, error: 'gone', responseBody: '' };
    const now = ctx.clock();
    const keys = await ctx.keyring.forBrand(ctx.db, delivery.merchant_id, [endpoint.data_key_id]);
    const body = JSON.stringify(
      await renderEvent(ctx, endpointLens(delivery.merchant_id, endpoint.contact_data), event),
    );
    const headers = {
      'content-type': 'application/json',
      ...signedHeaders({ eventId: event.id, at: now, body }, signingSecrets(keys, endpoint, now)),
    };
    return sendWebhook(
      { url: endpoint.url, headers, body },
      { allowPrivate: ctx.config.webhooks.allowPrivate, timeoutMs: ctx.config.webhooks.timeoutMs },
    );
  }

  private async record(delivery: ClaimedDelivery, result: WebhookAttemptResult): Promise<void> {
    const { ctx } = this;
    const at = ctx.clock();
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    const next: AttemptOutcome['next'] = result.ok
      ? { status: 'succeeded' }
      : delivery.attempts <= delays.length
        ? { status: 'pending', retryAt: retryAt(at, delays[delivery.attempts - 1]!) }
        : { status: 'failed' };
    const { merchant_id: merchantId, endpoint_id: endpointId } = delivery;
    await ctx.db.transaction().execute(async (trx) => {
      await recordAttempt(trx, {
        merchantId,
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        at,
        statusCode: result.status,
        durationMs: Math.round(result.durationMs),
        error: result.error,
        next,
      });
      if (result.ok) return clearEndpointFailing(trx, merchantId, endpointId);
      const disabled = await countEndpointFailure(trx, {
        merchantId,
        endpointId,
        at,
        disableAfterMs: this.options.disableAfterMs ?? 2.5 * DAY_MS,
        minFailures: this.options.minFailures ?? 10,
      });
      if (disabled) {
        await recordAudit(trx, {
          merchantId,
          actor: { type: 'system', id: 'webhooks' },
          action: 'webhook_endpoint.disabled',
          target: { type: 'webhook_endpoint', id: endpointId },
          details: { reason: 'failing' },
        });
        ctx.logger.warn({ endpoint: endpointId, merchantId }, 'Webhook endpoint turned off after failing for days');
      }
    });
  }
}
