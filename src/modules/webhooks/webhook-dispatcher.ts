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
import { findEndpointsSecrets } from './webhook-endpoint.repository.js';
import { findWebhookEvents } from './webhook-event.repository.js';
import { endpointLens, renderEvents } from './webhook-payload.js';
import { retryAt, RETRY_DELAYS_MS } from './webhook-retry.js';
import { signingSecrets } from './webhook-secrets.js';
import { sendWebhook, type WebhookAttemptResult } from './webhook-sender.js';
import { signedHeaders } from './webhook-signing.js';

const DAY_MS = 86_400_000;

interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

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

  private async claimAndSend(): Promise<void> {
    for (;;) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0 || this.closed) return;
      const claimed = await claimDueDeliveries(this.ctx.db, this.ctx.clock(), free, this.leaseMs);
      if (claimed.length === 0) return;
      const requests = await this.prepare(claimed);
      for (const delivery of claimed) {
        const sending: Promise<void> = this.deliver(delivery, requests.get(delivery.id)).finally(() => {
          this.inFlight.delete(sending);
          this.wake();
        });
        this.inFlight.add(sending);
      }
      if (claimed.length < free) return;
    }
  }

  /**
   * Each claimed delivery's signed request, built for the batch at once: its events, endpoints and
   * customers are read in a few statements per brand, not a dozen per delivery. A delivery whose
   * event or endpoint is gone has none.
   */
  private async prepare(claimed: readonly ClaimedDelivery[]): Promise<Map<string, SignedRequest>> {
    const { ctx } = this;
    const requests = new Map<string, SignedRequest>();
    const now = ctx.clock();
    for (const [merchantId, deliveries] of groupBy(claimed, (d) => d.merchant_id)) {
      const [events, endpoints] = await Promise.all([
        findWebhookEvents(ctx.db, merchantId, unique(deliveries.map((d) => d.event_id))),
        findEndpointsSecrets(ctx.db, merchantId, unique(deliveries.map((d) => d.endpoint_id))),
      ]);
      const eventById = new Map(events.map((e) => [e.id, e]));
      const endpointById = new Map(endpoints.map((e) => [e.id, e]));
      const keys = await ctx.keyring.forBrand(
        ctx.db,
        merchantId,
        endpoints.map((e) => e.data_key_id),
      );
      for (const contactData of ['masked', 'full'] as const) {
        const mine = deliveries.filter((d) => endpointById.get(d.endpoint_id)?.contact_data === contactData);
        const wanted = unique(mine.map((d) => d.event_id)).flatMap((id) => eventById.get(id) ?? []);
        if (wanted.length === 0) continue;
        const bodies = await renderEvents(ctx, endpointLens(merchantId, contactData), wanted);
        for (const delivery of mine) {
          const endpoint = endpointById.get(delivery.endpoint_id)!;
          const event = bodies.get(delivery.event_id);
          if (!event) continue;
          const body = JSON.stringify(event);
          requests.set(delivery.id, {
            url: endpoint.url,
            body,
            headers: {
              'content-type': 'application/json',
              ...signedHeaders({ eventId: event.id, at: now, body }, signingSecrets(keys, endpoint, now)),
            },
          });
        }
      }
    }
    return requests;
  }

  private async deliver(delivery: ClaimedDelivery, request: SignedRequest | undefined): Promise<void> {
    try {
      const result = request
        ? await sendWebhook(request, {
            allowPrivate: this.ctx.config.webhooks.allowPrivate,
            timeoutMs: this.ctx.config.webhooks.timeoutMs,
          })
        : { ok: false, status: null, durationMs: 0, error: 'gone', responseBody: '' };
      await this.record(delivery, result);
    } catch (error) {
      // The claim's lease runs out and the delivery is tried again: at least once, never lost.
      this.ctx.logger.error({ err: error, delivery: delivery.id }, 'Webhook delivery failed to run');
    }
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
    const outcome: AttemptOutcome = {
      merchantId,
      deliveryId: delivery.id,
      attempt: delivery.attempts,
      at,
      statusCode: result.status,
      durationMs: Math.round(result.durationMs),
      error: result.error,
      next,
    };
    if (result.ok) {
      // One statement on the common path; the endpoint row is written only when it was failing.
      await recordAttempt(ctx.db, outcome);
      await clearEndpointFailing(ctx.db, merchantId, endpointId);
      return;
    }
    await ctx.db.transaction().execute(async (trx) => {
      // The endpoint row first, then the delivery's: the order a deletion of the endpoint takes them
      // in (its cascade), so the two never wait on each other in a circle.
      const disabled = await countEndpointFailure(trx, {
        merchantId,
        endpointId,
        at,
        disableAfterMs: this.options.disableAfterMs ?? 2.5 * DAY_MS,
        minFailures: this.options.minFailures ?? 10,
      });
      await recordAttempt(trx, outcome);
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
