import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { CARDS, createPaymentLink, pay, payer } from '../../../test/support/payments.js';
import { DomainError } from '../../errors.js';
import { createRateLimits } from '../rate-limits/index.js';
import { DECLINE_LIMITS, DeclineGuard } from './decline-guard.js';

describeBackends('DeclineGuard (%s)', (backend) => {
  let pd: TestPaydesk;
  // Ahead of the real clock: the server's own clean-up (real time) deletes windows that ended before it.
  let now = new Date('2031-01-01T00:00:00Z');
  let guard: DeclineGuard;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    const limits = createRateLimits({
      db: pd.ctx.db,
      clock: () => now,
      logger: pd.ctx.logger,
      secret: Buffer.alloc(32, 1),
    });
    guard = new DeclineGuard(limits.failures);
  });
  afterAll(() => pd.close());

  it('refuses an address after too many declines until the window has passed; successes never count', async () => {
    const decline = () => Promise.reject(new DomainError('card_declined', 'no'));
    for (let i = 0; i < 50; i++) await guard.attempt('10.0.0.1', () => Promise.resolve('ok'));
    for (let i = 0; i < DECLINE_LIMITS.perAddress; i++)
      await expect(guard.attempt('10.0.0.1', decline)).rejects.toThrow('no');
    await expect(guard.attempt('10.0.0.1', () => Promise.resolve('ok'))).rejects.toMatchObject({
      code: 'rate_limited',
      extra: { retry_after: DECLINE_LIMITS.windowMs / 1000 },
    });
    await expect(guard.attempt('10.0.0.2', () => Promise.resolve('ok'))).resolves.toBe('ok');
    now = new Date(now.getTime() + DECLINE_LIMITS.windowMs + 1000);
    await expect(guard.attempt('10.0.0.1', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('does not count other errors (a typo in the form is not card testing)', async () => {
    for (let i = 0; i < DECLINE_LIMITS.perAddress + 5; i++) {
      await expect(
        guard.attempt('10.0.0.3', () => Promise.reject(new DomainError('validation_failed', 'bad'))),
      ).rejects.toThrow('bad');
    }
    await expect(guard.attempt('10.0.0.3', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('never refuses payments in flight from one address for one another (many payers behind one NAT)', async () => {
    const slowSuccess = () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 5));
    const results = await Promise.all(
      Array.from({ length: DECLINE_LIMITS.perAddress * 2 }, () => guard.attempt('10.0.0.4', slowSuccess)),
    );
    expect(results.every((r) => r === 'ok')).toBe(true);
  });
});

describeBackends('card testing on a public page (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  it('answers 429 with Retry-After after 20 declines from one address, before charging anything', async () => {
    const link = await createPaymentLink(pd, brand);
    for (let i = 0; i < DECLINE_LIMITS.perAddress; i++) {
      expect((await pay(pd, link.url, payer({ card: CARDS.declined }))).statusCode).toBe(402);
    }
    const [before] = await pd.rawQuery('SELECT count(*)::int AS n FROM transactions WHERE merchant_id = $1', [
      brand.id,
    ]);
    const refused = await pay(pd, link.url, payer());
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const [after] = await pd.rawQuery('SELECT count(*)::int AS n FROM transactions WHERE merchant_id = $1', [brand.id]);
    expect(after!.n).toBe(before!.n);
  });
});
