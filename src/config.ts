import net from 'node:net';
import path from 'node:path';
import { isSupportedCountry } from 'libphonenumber-js';

/** Everything Paydesk reads from the environment, parsed once at start and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL connection string; undefined means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  /**
   * DATABASE_READ_URL: a streaming replica of DATABASE_URL. Customer list, search, count and profile
   * reads go there unless the caller's own write has not reached it yet (src/db/read-routing.ts).
   */
  readonly databaseReadUrl: string | undefined;
  /**
   * DATABASE_PREPARED_STATEMENTS=0: no named prepared statements (payments, event and import inserts, the API key,
   * brand and customer lookups), for a pooler in
   * transaction mode (PgBouncer before 1.21, or without max_prepared_statements). README "Behind PgBouncer".
   */
  readonly databasePreparedStatements: boolean;
  readonly dataDir: string;
  /** Base64 of 32 bytes; undefined means the key file under dataDir. */
  readonly masterKey: Buffer | undefined;
  /** Base64 of 32 bytes: the key `paydesk keys rotate-master` moves to (PAYDESK_NEW_MASTER_KEY). */
  readonly newMasterKey: Buffer | undefined;
  readonly demo: boolean;
  /** Fixed API key for the demo brand, for scripts. */
  readonly apiKey: string | undefined;
  /** The brand created on first start of an empty database. */
  readonly firstBrand: { readonly name: string; readonly country: string; readonly currency: string };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** PAYDESK_ADMIN_EMAIL / PAYDESK_ADMIN_PASSWORD: the owner staff account of the first brand. */
  readonly admin: { readonly email: string | undefined; readonly password: string | undefined };
  /**
   * PAYDESK_ERASE_REWRITE_LIMIT_MB: an erase rewrites (VACUUM FULL) each table that held the person's
   * rows while the table with its indexes is at most this size; the rewrite locks it meanwhile
   * (3.5 s for customers at 100,000, 161 MB). Larger tables are left to the operator (SECURITY.md "Erasure").
   */
  readonly eraseRewriteLimitMb: number;
  /** PAYDESK_TEST_GATEWAY_DELAY_MS: how long the test gateway's "fails after a delay" card takes. */
  readonly testGatewayDelayMs: number;
  /**
   * PAYDESK_TRUST_PROXY: Fastify's `trustProxy`. false (default): the socket's address is the client;
   * true: any proxy; a hop count; or the proxies' addresses and CIDRs. Only a trusted proxy's
   * X-Forwarded-For and X-Forwarded-Proto set request.ip and request.protocol.
   */
  readonly trustProxy: boolean | number | readonly string[];
  /** Requests per minute (0 = off), shared between server processes every `syncMs`. */
  readonly rateLimits: {
    /** PAYDESK_RATE_LIMIT_PER_KEY: per API key or staff member on /api/v1. */
    readonly perKeyPerMinute: number;
    /** PAYDESK_RATE_LIMIT_PER_IP: per client address without credentials (sign-in, /api/public, the API without a key). */
    readonly perAddressPerMinute: number;
    /** PAYDESK_RATE_LIMIT_SYNC_MS: how often a process adds its counts to the database. */
    readonly syncMs: number;
  };
  readonly webhooks: {
    /**
     * PAYDESK_WEBHOOK_ALLOW_PRIVATE=1: endpoints on loopback and private addresses (and plain http to
     * them) are allowed, for local development and tests. Link-local and metadata addresses never are.
     */
    readonly allowPrivate: boolean;
    /** PAYDESK_WEBHOOK_TIMEOUT_MS: how long one attempt may take, connection to response (default 10 s). */
    readonly timeoutMs: number;
    /**
     * PAYDESK_WEBHOOK_RETRY_DELAYS_MS, for tests and staging: the waits after each failed attempt, in
     * ms, comma-separated (`50,50,200`: three retries). Unset: the built-in schedule, about three days.
     */
    readonly retryDelaysMs: readonly number[] | undefined;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseConfig(env: Env = process.env): Config {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, got "${portText}"`);
  }

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const databaseReadUrl = value('DATABASE_READ_URL');
  if (databaseReadUrl !== undefined && databaseUrl === undefined) {
    throw new ConfigError(
      'DATABASE_READ_URL',
      'needs DATABASE_URL: a read replica is a copy of a PostgreSQL primary, and the embedded database has none',
    );
  }
  if (databaseReadUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseReadUrl)) {
    throw new ConfigError('DATABASE_READ_URL', 'must start with postgres:// or postgresql://');
  }
  const databasePreparedStatements = flag('DATABASE_PREPARED_STATEMENTS', value('DATABASE_PREPARED_STATEMENTS') ?? '1');

  const masterKey = parseKey('PAYDESK_MASTER_KEY', value('PAYDESK_MASTER_KEY'));
  const newMasterKey = parseKey('PAYDESK_NEW_MASTER_KEY', value('PAYDESK_NEW_MASTER_KEY'));

  const demoText = value('PAYDESK_DEMO') ?? '1';
  if (!['0', '1', 'true', 'false'].includes(demoText)) {
    throw new ConfigError('PAYDESK_DEMO', `must be 0 or 1, got "${demoText}"`);
  }

  const apiKey = value('PAYDESK_API_KEY');
  if (apiKey !== undefined && !/^pdk_[A-Za-z0-9_-]{16,200}$/.test(apiKey)) {
    throw new ConfigError('PAYDESK_API_KEY', 'must look like pdk_ followed by at least 16 letters, digits, _ or -');
  }

  const adminEmail = value('PAYDESK_ADMIN_EMAIL')?.toLowerCase();
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('PAYDESK_ADMIN_EMAIL', 'must be an email address');
  }
  // Not trimmed: a password is taken exactly as given (value() trims, so read the raw variable).
  const adminPassword = env.PAYDESK_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && [...adminPassword].length < 12) {
    throw new ConfigError('PAYDESK_ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  const logLevel = (value('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const brandCountry = (value('PAYDESK_BRAND_COUNTRY') ?? 'BD').toUpperCase();
  if (!/^[A-Z]{2}$/.test(brandCountry) || !isSupportedCountry(brandCountry)) {
    throw new ConfigError(
      'PAYDESK_BRAND_COUNTRY',
      `must be an ISO 3166 two-letter country code, got "${brandCountry}"`,
    );
  }
  const brandCurrency = (value('PAYDESK_BRAND_CURRENCY') ?? 'BDT').toUpperCase();
  if (!Intl.supportedValuesOf('currency').includes(brandCurrency)) {
    throw new ConfigError('PAYDESK_BRAND_CURRENCY', `must be an ISO 4217 currency code, got "${brandCurrency}"`);
  }

  const delayText = value('PAYDESK_TEST_GATEWAY_DELAY_MS') ?? '2000';
  if (!/^\d{1,6}$/.test(delayText)) {
    throw new ConfigError(
      'PAYDESK_TEST_GATEWAY_DELAY_MS',
      `must be a whole number of milliseconds, got "${delayText}"`,
    );
  }

  return Object.freeze({
    port,
    host: value('HOST') ?? '127.0.0.1',
    databaseUrl,
    databaseReadUrl,
    databasePreparedStatements,
    dataDir: path.resolve(value('PAYDESK_DATA_DIR') ?? './data'),
    masterKey,
    newMasterKey,
    demo: demoText === '1' || demoText === 'true',
    apiKey,
    firstBrand: Object.freeze({
      name: value('PAYDESK_BRAND_NAME') ?? 'Demo Brand',
      country: brandCountry,
      currency: brandCurrency,
    }),
    logLevel,
    admin: Object.freeze({ email: adminEmail, password: adminPassword }),
    testGatewayDelayMs: Number(delayText),
    eraseRewriteLimitMb: wholeNumber(
      'PAYDESK_ERASE_REWRITE_LIMIT_MB',
      value('PAYDESK_ERASE_REWRITE_LIMIT_MB') ?? '64',
      0,
    ),
    trustProxy: parseTrustProxy(value('PAYDESK_TRUST_PROXY')),
    rateLimits: Object.freeze({
      perKeyPerMinute: wholeNumber('PAYDESK_RATE_LIMIT_PER_KEY', value('PAYDESK_RATE_LIMIT_PER_KEY') ?? '6000', 0),
      perAddressPerMinute: wholeNumber('PAYDESK_RATE_LIMIT_PER_IP', value('PAYDESK_RATE_LIMIT_PER_IP') ?? '300', 0),
      syncMs: wholeNumber('PAYDESK_RATE_LIMIT_SYNC_MS', value('PAYDESK_RATE_LIMIT_SYNC_MS') ?? '1000', 50),
    }),
    webhooks: Object.freeze({
      allowPrivate: flag('PAYDESK_WEBHOOK_ALLOW_PRIVATE', value('PAYDESK_WEBHOOK_ALLOW_PRIVATE')),
      timeoutMs: wholeNumber('PAYDESK_WEBHOOK_TIMEOUT_MS', value('PAYDESK_WEBHOOK_TIMEOUT_MS') ?? '10000', 100),
      retryDelaysMs: parseRetryDelays(value('PAYDESK_WEBHOOK_RETRY_DELAYS_MS')),
    }),
  });
}

function flag(variable: string, text: string | undefined): boolean {
  if (text === undefined || text === '0' || text === 'false') return false;
  if (text === '1' || text === 'true') return true;
  throw new ConfigError(variable, `must be 0 or 1, got "${text}"`);
}

function wholeNumber(variable: string, text: string, min: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < min) {
    throw new ConfigError(variable, `must be a whole number of at least ${min}, got "${text}"`);
  }
  return Number(text);
}

function parseRetryDelays(text: string | undefined): readonly number[] | undefined {
  if (text === undefined) return undefined;
  const delays = text.split(',').map((entry) => entry.trim());
  if (!delays.every((delay) => /^\d{1,9}$/.test(delay))) {
    throw new ConfigError(
      'PAYDESK_WEBHOOK_RETRY_DELAYS_MS',
      `must be whole numbers of milliseconds separated by commas, got "${text}"`,
    );
  }
  return Object.freeze(delays.map(Number));
}

// proxy-addr's names for whole ranges, which Fastify's trustProxy accepts in the list.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function parseTrustProxy(text: string | undefined): boolean | number | readonly string[] {
  if (text === undefined || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d{1,3}$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.has(entry) && !isAddressOrCidr(entry)) {
      throw new ConfigError(
        'PAYDESK_TRUST_PROXY',
        `must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDRs; "${entry}" is none of these`,
      );
    }
  }
  return Object.freeze(entries);
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function parseKey(variable: string, text: string | undefined): Buffer | undefined {
  if (text === undefined) return undefined;
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new ConfigError(variable, 'must be 32 bytes in base64 (openssl rand -base64 32)');
  }
  return key;
}
