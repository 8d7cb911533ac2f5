import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { startWebhookReceiver, type ReceivedWebhook } from '../../../test/support/webhook-receiver.js';

interface EndpointJson {
  id: string;
  secret: string;
  status: string;
  disabled_reason: string | null;
  secret_rotation_ends_at: string | null;
}
interface EventJson {
  id: string;
  type: string;
  brand: string;
  data: { object: Record<string, unknown> };
}

describeBackends('Webhook delivery (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  // The receiver's answers: a queue of statuses to give before 200s.
  let failures: number[] = [];
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => failures.shift() ?? 200);
    paydesk = await startTestPaydesk(
      backend,
      { PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1', PAYDESK_WEBHOOK_TIMEOUT_MS: '2000' },
      { webhooks: { pollMs: 20, retryDelaysMs: [50, 50, 50, 50, 50, 50] } },
    );
    brand = await paydesk.newBrand();
  });
  afterAll(async () => {
    await paydesk?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    failures = [];
    receiver.received.length = 0;
  });

  const createEndpoint = async (body: Record<string, unknown>, token = brand.token) => {
    const response = await paydesk.request(token, { method: 'POST', url: '/api/v1/webhook-endpoints', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<EndpointJson>();
  };
  const removeEndpoint = async (id: string) => {
    const response = await paydesk.request(brand.token, { method: 'DELETE', url: `/api/v1/webhook-endpoints/${id}` });
    expect(response.statusCode, response.body).toBe(204);
  };
  const eventOf = (hit: ReceivedWebhook) => JSON.parse(hit.body) as EventJson;

  it('signs each event per Standard Webhooks, and the standardwebhooks package verifies it', async () => {
    const endpoint = await createEndpoint({ url: receiver.url, events: ['customer.created'] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const customer = await newCustomer(paydesk, brand, { email: 'signed.payload@example.com' });
    const [hit] = await receiver.waitFor(1);
    const verified = new Webhook(endpoint.secret).verify(hit!.body, hit!.headers) as EventJson;
    expect(verified).toMatchObject({
      type: 'customer.created',
      brand: brand.id,
      data: { object: { id: customer.id } },
    });
    expect(hit!.headers['webhook-id']).toBe(verified.id);
    // Another secret does not verify it.
    const other = await createEndpoint({ url: receiver.url, events: ['invoice.paid'] });
    expect(() => new Webhook(other.secret).verify(hit!.body, hit!.headers)).toThrow();
    await removeEndpoint(endpoint.id);
    await removeEndpoint(other.id);
  });

  it('masks email and phone for a masked endpoint (the default), shows them to an owner’s full one', async () => {
    const masked = await createEndpoint({ url: receiver.url, events: ['customer.created'] });
    const full = await createEndpoint({ url: `${receiver.url}?full`, events: ['*'], contact_data: 'full' });
    await newCustomer(paydesk, brand, { email: 'private.person@example.com', phone: '+8801712345678' });
    const hits = await receiver.waitFor(2);
    const maskedHit = hits.find((h) => !h.headers['webhook-signature']?.includes(' ') && h.body.includes('•'))!;
    expect(hits.filter((h) => h.body.includes('private.person@example.com'))).toHaveLength(1);
    expect(hits.filter((h) => h.body.includes('+8801712345678'))).toHaveLength(1);
    expect(maskedHit).toBeDefined();
    expect(maskedHit.body).not.toContain('private.person@example.com');
    expect(maskedHit.body).not.toContain('8801712345678');
    expect(eventOf(maskedHit).data.object).toMatchObject({ contact_masked: true });
    await removeEndpoint(masked.id);
    await removeEndpoint(full.id);
  });

  it('only an owner may ask for full contact data', async () => {
    const admin = await paydesk.keyFor(brand, 'admin');
    const response = await paydesk.request(admin, {
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: receiver.url, events: ['*'], contact_data: 'full' },
    });
    expect(response.statusCode).toBe(403);
    const support = await paydesk.keyFor(brand, 'support');
    const list = await paydesk.request(support, { method: 'GET', url: '/api/v1/webhook-endpoints' });
    expect(list.statusCode).toBe(403);
  });

  it('retries a failing receiver with the same event id until it answers 2xx', async () => {
    const endpoint = await createEndpoint({ url: receiver.url, events: ['customer.created'] });
    failures = [500, 503, 404, 500, 302];
    await newCustomer(paydesk, brand);
    const hits = await receiver.waitFor(6);
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    for (const hit of hits) expect(() => new Webhook(endpoint.secret).verify(hit.body, hit.headers)).not.toThrow();
    const deliveries = await paydesk.request(brand.token, {
      method: 'GET',
      url: `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`,
    });
    await expect
      .poll(async () => {
        const list = await paydesk.request(brand.token, {
          method: 'GET',
          url: `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`,
        });
        return list.json<{ data: { status: string; attempts: number; last_status_code: number }[] }>().data[0];
      })
      .toMatchObject({ status: 'succeeded', attempts: 6, last_status_code: 200 });
    expect(deliveries.statusCode).toBe(200);
    await removeEndpoint(endpoint.id);
  });

  it('gives up after the last retry, and a resend sends the same event again', async () => {
    const endpoint = await createEndpoint({ url: receiver.url, events: ['customer.created'] });
    failures = Array.from({ length: 7 }, () => 500);
    await newCustomer(paydesk, brand);
    const hits = await receiver.waitFor(7);
    const url = `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`;
    await expect
      .poll(
        async () =>
          (await paydesk.request(brand.token, { method: 'GET', url })).json<{ data: { status: string }[] }>().data[0]
            ?.status,
      )
      .toBe('failed');
    const delivery = (await paydesk.request(brand.token, { method: 'GET', url })).json<{ data: { id: string }[] }>()
      .data[0]!;
    const resend = await paydesk.request(brand.token, { method: 'POST', url: `${url}/${delivery.id}/resend` });
    expect(resend.statusCode).toBe(202);
    const [, , , , , , , again] = await receiver.waitFor(8);
    expect(again!.headers['webhook-id']).toBe(hits[0]!.headers['webhook-id']);
    await removeEndpoint(endpoint.id);
  });

  it('signs with both secrets during a rotation overlap, then with the new one alone', async () => {
    const endpoint = await createEndpoint({ url: receiver.url, events: ['customer.created'] });
    const rotate = (overlap: number) =>
      paydesk.request(brand.token, {
        method: 'POST',
        url: `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`,
        payload: { overlap_hours: overlap },
      });
    const rotated = await rotate(24);
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json<EndpointJson>();
    expect(next.secret).not.toBe(endpoint.secret);
    expect(next.secret_rotation_ends_at).not.toBeNull();
    const first = await newCustomer(paydesk, brand);
    const hit = await receiver.waitForOne((h) => h.body.includes(first.id));
    // Which endpoints sent what, should this ever fail again (it did twice under a full CI-like load).
    const endpoints = await paydesk.rawQuery(
      'SELECT id, events, previous_secret_enc IS NOT NULL AS overlapping FROM webhook_endpoints',
    );
    const seen = receiver.received.map((h) => [
      h.headers['webhook-id'],
      h.headers['webhook-signature']?.split(' ').length,
    ]);
    expect(hit.headers['webhook-signature']!.split(' '), JSON.stringify({ endpoints, seen })).toHaveLength(2);
    expect(() => new Webhook(endpoint.secret).verify(hit.body, hit.headers)).not.toThrow();
    expect(() => new Webhook(next.secret).verify(hit.body, hit.headers)).not.toThrow();

    const last = (await rotate(0)).json<EndpointJson>();
    const later = await newCustomer(paydesk, brand);
    const second = await receiver.waitForOne((h) => h.body.includes(later.id));
    expect(() => new Webhook(last.secret).verify(second.body, second.headers)).not.toThrow();
    expect(() => new Webhook(next.secret).verify(second.body, second.headers)).toThrow();
    expect(() => new Webhook(endpoint.secret).verify(second.body, second.headers)).toThrow();
    await removeEndpoint(endpoint.id);
  });

  it('sends a test event to one endpoint on request', async () => {
    const endpoint = await createEndpoint({ url: receiver.url, events: ['invoice.paid'] });
    const response = await paydesk.request(brand.token, {
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${endpoint.id}/test`,
    });
    expect(response.statusCode).toBe(202);
    const hit = await receiver.waitForOne((h) => eventOf(h).type === 'webhook_endpoint.test');
    expect(eventOf(hit)).toMatchObject({ type: 'webhook_endpoint.test', data: { object: { id: endpoint.id } } });
    await removeEndpoint(endpoint.id);
  });

  it('refuses endpoint URLs on link-local and metadata addresses, and plain http to public ones', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'https://[fd00:ec2::254]/',
      'http://93.184.216.34/hooks',
      'https://user:pw@127.0.0.1/hooks',
      'not a url',
    ]) {
      const response = await paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/webhook-endpoints',
        payload: { url, events: ['*'] },
      });
      expect(response.statusCode, url).toBe(422);
      expect(response.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('url');
    }
  });

  it("keeps brands apart: another brand's endpoint, event or delivery is 404", async () => {
    const endpoint = await createEndpoint({ url: receiver.url, events: ['customer.created'] });
    const other = await paydesk.newBrand({ name: 'Other' });
    for (const url of [
      `/api/v1/webhook-endpoints/${endpoint.id}`,
      `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`,
    ]) {
      expect((await paydesk.request(other.token, { method: 'GET', url })).statusCode).toBe(404);
    }
    await newCustomer(paydesk, other);
    const events = await paydesk.request(brand.token, { method: 'GET', url: '/api/v1/events?limit=100' });
    expect(events.json<{ data: EventJson[] }>().data.every((e) => e.brand === brand.id)).toBe(true);
    await removeEndpoint(endpoint.id);
  });
});
