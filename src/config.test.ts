import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

const KEY = Buffer.alloc(32, 9).toString('base64');

function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('has defaults for an empty environment: port 3000 on 127.0.0.1, PGlite under ./data, a demo BD brand', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      masterKey: undefined,
      demo: true,
      apiKey: undefined,
      logLevel: 'info',
      firstBrand: { name: 'Demo Brand', country: 'BD', currency: 'BDT' },
    });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('reads every variable, trimming white space', () => {
    const apiKey = `pdk_${'a'.repeat(20)}`;
    const config = parseConfig({
      PORT: ' 8080 ',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://paydesk:secret@db:5432/paydesk',
      PAYDESK_DATA_DIR: '/var/lib/paydesk',
      PAYDESK_MASTER_KEY: ` ${KEY} `,
      PAYDESK_DEMO: 'false',
      PAYDESK_API_KEY: apiKey,
      LOG_LEVEL: 'warn',
      PAYDESK_BRAND_NAME: 'Dhaka Shop',
      PAYDESK_BRAND_COUNTRY: 'us',
      PAYDESK_BRAND_CURRENCY: 'usd',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://paydesk:secret@db:5432/paydesk',
      dataDir: '/var/lib/paydesk',
      demo: false,
      apiKey,
      logLevel: 'warn',
      firstBrand: { name: 'Dhaka Shop', country: 'US', currency: 'USD' },
    });
    expect(config.masterKey?.equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ PORT: '', DATABASE_URL: '  ', PAYDESK_MASTER_KEY: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      masterKey: undefined,
    });
  });

  it('is frozen, nested parts too', () => {
    const config = parseConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.firstBrand)).toBe(true);
  });

  it.each(['0', '65535', '1'])('accepts PORT %s', (port) => {
    expect(parseConfig({ PORT: port }).port).toBe(Number(port));
  });

  it.each(['abc', '65536', '-1', '80.5', '1e3', '0x50', '3000abc'])(
    'rejects PORT %j, saying what is allowed and what it got',
    (port) => {
      const error = configErrorOf({ PORT: port });
      expect(error.variable).toBe('PORT');
      expect(error.message).toBe(`PORT: must be a whole number from 0 to 65535, got "${port}"`);
    },
  );

  it.each(['postgres://localhost/paydesk', 'postgresql://u:p@h:5432/d'])('accepts DATABASE_URL %s', (url) => {
    expect(parseConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('accepts DATABASE_READ_URL beside DATABASE_URL; without it (the embedded database has no replica) it is an error', () => {
    const read = 'postgres://u:hunter2@replica:5432/d';
    expect(parseConfig({ DATABASE_URL: 'postgres://h/d', DATABASE_READ_URL: read }).databaseReadUrl).toBe(read);
    expect(parseConfig({ DATABASE_URL: 'postgres://h/d' }).databaseReadUrl).toBeUndefined();
    const alone = configErrorOf({ DATABASE_READ_URL: read });
    expect(alone.variable).toBe('DATABASE_READ_URL');
    expect(alone.message).toMatch(/needs DATABASE_URL/);
    const wrong = configErrorOf({ DATABASE_URL: 'postgres://h/d', DATABASE_READ_URL: 'mysql://u:hunter2@h/d' });
    expect(wrong.message).toMatch(/^DATABASE_READ_URL: must start with postgres:\/\/ or postgresql:\/\//);
    expect(wrong.message).not.toContain('hunter2');
  });

  it.each(['mysql://u:hunter2@h/d', 'localhost:5432', 'http://u:hunter2@h/d'])(
    'rejects DATABASE_URL %j without echoing it (it may hold a password)',
    (url) => {
      const error = configErrorOf({ DATABASE_URL: url });
      expect(error.variable).toBe('DATABASE_URL');
      expect(error.message).toMatch(/^DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\//);
      expect(error.message).not.toContain('hunter2');
    },
  );

  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['too long', Buffer.alloc(33, 1).toString('base64')],
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['hex, not base64', Buffer.alloc(32, 1).toString('hex')],
    ['not base64 at all', 'correct horse battery staple!!!!!!!!!!!!!!!'],
    ['base64url alphabet', Buffer.alloc(32, 0xfb).toString('base64url')],
  ])('rejects a PAYDESK_MASTER_KEY that is %s, without echoing it', (_why, key) => {
    const error = configErrorOf({ PAYDESK_MASTER_KEY: key });
    expect(error.variable).toBe('PAYDESK_MASTER_KEY');
    expect(error.message).toBe('PAYDESK_MASTER_KEY: must be 32 bytes in base64 (openssl rand -base64 32)');
    expect(error.message).not.toContain(key);
  });

  it.each([
    ['PAYDESK_DEMO', 'yes'],
    ['LOG_LEVEL', 'verbose'],
    ['PAYDESK_API_KEY', 'pdk_short'],
    ['PAYDESK_API_KEY', `sk_${'a'.repeat(20)}`],
    ['PAYDESK_BRAND_COUNTRY', 'XX'],
    ['PAYDESK_BRAND_COUNTRY', 'BGD'],
    ['PAYDESK_BRAND_CURRENCY', 'XYZ'],
    ['PAYDESK_WEBHOOK_ALLOW_PRIVATE', 'yes'],
    ['DATABASE_PREPARED_STATEMENTS', 'off'],
    ['PAYDESK_WEBHOOK_TIMEOUT_MS', '50'],
    ['PAYDESK_WEBHOOK_RETRY_DELAYS_MS', '50,,50'],
    ['PAYDESK_WEBHOOK_RETRY_DELAYS_MS', '1.5'],
    ['PAYDESK_WEBHOOK_RETRY_DELAYS_MS', '-100'],
    ['PAYDESK_WEBHOOK_RETRY_DELAYS_MS', '30s'],
  ])('rejects %s=%j naming the variable', (variable, value) => {
    const error = configErrorOf({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });

  it('prepares the payment statements unless DATABASE_PREPARED_STATEMENTS=0 (behind a transaction pooler)', () => {
    expect(parseConfig({}).databasePreparedStatements).toBe(true);
    expect(parseConfig({ DATABASE_PREPARED_STATEMENTS: '0' }).databasePreparedStatements).toBe(false);
  });

  it('trusts no proxy and limits requests by default (6,000 a minute per key, 300 per address)', () => {
    expect(parseConfig({})).toMatchObject({
      trustProxy: false,
      rateLimits: { perKeyPerMinute: 6000, perAddressPerMinute: 300, syncMs: 1000 },
    });
  });

  it('sends webhooks to public https addresses only, 10 s an attempt, unless told otherwise', () => {
    expect(parseConfig({}).webhooks).toEqual({ allowPrivate: false, timeoutMs: 10_000 });
    expect(parseConfig({ PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1', PAYDESK_WEBHOOK_TIMEOUT_MS: '500' }).webhooks).toEqual({
      allowPrivate: true,
      timeoutMs: 500,
    });
  });

  it('keeps the built-in webhook retry schedule unless PAYDESK_WEBHOOK_RETRY_DELAYS_MS gives one (tests, staging)', () => {
    expect(parseConfig({}).webhooks.retryDelaysMs).toBeUndefined();
    const { retryDelaysMs } = parseConfig({ PAYDESK_WEBHOOK_RETRY_DELAYS_MS: ' 50, 0,200 ' }).webhooks;
    expect(retryDelaysMs).toEqual([50, 0, 200]);
    expect(Object.isFrozen(retryDelaysMs)).toBe(true);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    [' 10.0.0.0/8 , loopback,2001:db8::/32 ', ['10.0.0.0/8', 'loopback', '2001:db8::/32']],
  ])('reads PAYDESK_TRUST_PROXY=%j', (text, expected) => {
    expect(parseConfig({ PAYDESK_TRUST_PROXY: text }).trustProxy).toEqual(expected);
  });

  it.each(['yes', '10.0.0.1/33', '10.0.0.0/8/1', 'proxy.internal', '10.0.0.1,', '::1/129', '1000'])(
    'rejects PAYDESK_TRUST_PROXY=%j, naming the entry',
    (text) => {
      const error = configErrorOf({ PAYDESK_TRUST_PROXY: text });
      expect(error.variable).toBe('PAYDESK_TRUST_PROXY');
      expect(error.message).toMatch(
        /^PAYDESK_TRUST_PROXY: must be true, false, a number of proxy hops, or a comma-separated list/,
      );
    },
  );

  it('reads the request limits, 0 turning one off', () => {
    expect(
      parseConfig({
        PAYDESK_RATE_LIMIT_PER_KEY: '0',
        PAYDESK_RATE_LIMIT_PER_IP: '50',
        PAYDESK_RATE_LIMIT_SYNC_MS: '250',
      }).rateLimits,
    ).toEqual({ perKeyPerMinute: 0, perAddressPerMinute: 50, syncMs: 250 });
  });

  it.each([
    ['PAYDESK_RATE_LIMIT_PER_KEY', '-1'],
    ['PAYDESK_RATE_LIMIT_PER_IP', '10/min'],
    ['PAYDESK_RATE_LIMIT_SYNC_MS', '10'],
    ['PAYDESK_ERASE_REWRITE_LIMIT_MB', '1.5'],
  ])('rejects %s=%j naming the variable', (variable, text) => {
    const error = configErrorOf({ [variable]: text });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: must be a whole number of at least \\d+, got "`));
  });

  it('rewrites tables of up to 64 MB on erase unless told otherwise, 0 meaning none', () => {
    expect(parseConfig({}).eraseRewriteLimitMb).toBe(64);
    expect(parseConfig({ PAYDESK_ERASE_REWRITE_LIMIT_MB: '0' }).eraseRewriteLimitMb).toBe(0);
  });

  it('does not echo a malformed PAYDESK_API_KEY', () => {
    const secret = 'pdk_secret!secret!secret';
    expect(configErrorOf({ PAYDESK_API_KEY: secret }).message).not.toContain(secret);
  });

  it.each([
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('reads PAYDESK_DEMO=%s as %s', (value, demo) => {
    expect(parseConfig({ PAYDESK_DEMO: value }).demo).toBe(demo);
  });
});
