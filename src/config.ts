import path from 'node:path';
import { isSupportedCountry } from 'libphonenumber-js';

/** Everything Paydesk reads from the environment, parsed once at start and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL connection string; undefined means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
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
  /** PAYDESK_TEST_GATEWAY_DELAY_MS: how long the test gateway's "fails after a delay" card takes. */
  readonly testGatewayDelayMs: number;
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
  });
}

function parseKey(variable: string, text: string | undefined): Buffer | undefined {
  if (text === undefined) return undefined;
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new ConfigError(variable, 'must be 32 bytes in base64 (openssl rand -base64 32)');
  }
  return key;
}
