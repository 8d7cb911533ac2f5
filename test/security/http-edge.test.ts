import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../support/backends.js';
import { expectProblem } from '../support/customers.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../support/harness.js';

/* Issue 15: what reaches the app as bytes — encodings, content types, sizes (src/http/json-body.ts,
   request-limits.ts with clientErrorProblem). Every refusal is problem+json and changes nothing. */

describeBackends('the HTTP edge', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let origin: string;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    origin = await pd.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => pd?.close());

  const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
    pd.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });
  const customerCount = async () =>
    Number((await pd.rawQuery('SELECT count(*) AS n FROM customers WHERE merchant_id = $1', [brand.id]))[0]!.n);

  it('refuses a body that is not UTF-8 with 400 invalid_json, never storing U+FFFD', async () => {
    const before = await customerCount();
    const latin1 = Buffer.concat([
      Buffer.from('{"name":"Jos'),
      Buffer.from([0xe9]),
      Buffer.from('","email":"j@x.example"}'),
    ]);
    const surrogate = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    for (const bytes of [latin1, surrogate]) {
      const problem = expectProblem(await post(bytes), 400, 'invalid_json');
      expect(problem.detail).toMatch(/UTF-8/);
    }
    expect(await customerCount()).toBe(before);
    const utf8 = await post(JSON.stringify(customerBody({ name: 'José Ünïcødé 😀' })));
    expect(utf8.statusCode, utf8.body).toBe(201);
    expect(utf8.json<{ name: string }>().name).toBe('José Ünïcødé 😀');
  });

  it('refuses nesting past 64 levels, duplicate keys and __proto__ with 400', async () => {
    const deep = (depth: number) =>
      '{"name":"n","email":"d@x.example","metadata":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    expect(expectProblem(await post(deep(100)), 400, 'invalid_json').detail).toMatch(/deeper than 64/);
    expect(expectProblem(await post('['.repeat(10_000) + ']'.repeat(10_000)), 400, 'invalid_json').detail).toMatch(
      /deeper/,
    );
    const twice = '{"name":"A","email":"a@x.example","email":"b@x.example"}';
    expect(expectProblem(await post(twice), 400, 'invalid_json').detail).toMatch(/"email" appears twice/);
    const proto = '{"name":"A","email":"p@x.example","__proto__":{"admin":true}}';
    expect(expectProblem(await post(proto), 400, 'invalid_json').detail).toMatch(/__proto__/);
    expect(expectProblem(await post('{"name":'), 400, 'invalid_json').detail).toMatch(/not valid JSON/);
  });

  it('answers 415 unsupported_media_type for text/plain, forms and other types without a parser', async () => {
    const body = JSON.stringify(customerBody());
    for (const type of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'application/xml',
    ]) {
      const problem = expectProblem(await post(body, { 'content-type': type }), 415, 'unsupported_media_type');
      expect(problem.detail).toMatch(/application\/json/);
    }
  });

  it('refuses any Content-Encoding but identity with 415, saying so', async () => {
    const body = JSON.stringify(customerBody());
    for (const encoding of ['gzip', 'br', 'deflate']) {
      const problem = expectProblem(await post(body, { 'content-encoding': encoding }), 415, 'unsupported_media_type');
      expect(problem.detail).toMatch(new RegExp(`Content-Encoding ${encoding}`));
    }
    expect((await post(JSON.stringify(customerBody()), { 'content-encoding': 'identity' })).statusCode).toBe(201);
  });

  it('keeps the body limit: over 1 MiB is a 413', async () => {
    const big = JSON.stringify(customerBody({ metadata: { note: 'x'.repeat(1024 * 1024) } }));
    expectProblem(await post(big), 413, 'payload_too_large');
  });

  it('answers a URL over 8 KiB with 414 uri_too_long', async () => {
    const response = await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers?q=${'a'.repeat(9000)}` });
    expectProblem(response, 414, 'uri_too_long');
    expect(
      (await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers?q=${'a'.repeat(100)}` })).statusCode,
    ).toBe(200);
  });

  it('answers what Node refuses itself as problems: 414 for a huge request line, 431 for huge headers', async () => {
    const huge = await rawRequest(origin, `GET /api/v1/customers?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(huge.status).toBe(414);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 'uri_too_long', status: 414 });
    const headers = await rawRequest(
      origin,
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(headers.status).toBe(431);
    expect(headers.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(headers.body)).toMatchObject({ code: 'header_too_large', status: 431 });
  });
});

/** One request over a raw socket: what Node's HTTP parser answers before Fastify sees anything. */
function rawRequest(origin: string, text: string): Promise<{ status: number; head: string; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
  });
}
