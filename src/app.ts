import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { Keyring, KeyringError } from './crypto/keyring.js';
import { adoptPendingKeyFile, loadMasterKey, masterKeyFingerprint, type MasterKeySource } from './crypto/master-key.js';
import { claimMasterFingerprint, listBrandKeys } from './modules/brands/brand.repository.js';
import fastifyCookie from '@fastify/cookie';
import { installAuthentication } from './http/authentication.js';
import { installOpenApi } from './http/openapi.js';
import { clientErrorProblem, frameworkProblem, installProblemHandlers } from './http/problem.js';
import { installValidators } from './http/validation.js';
import { TestGateway } from './gateways/test-gateway.js';
import { customerRoutes } from './modules/customers/customer.routes.js';
import { apiKeyRoutes } from './modules/api-keys/api-key.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { keyRoutes } from './modules/keys/key.routes.js';
import { sessionRoutes } from './modules/staff/session.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { webRoutes } from './modules/web/web.routes.js';
import { brandRoutes } from './modules/brands/brand.routes.js';
import { exchangeRateRoutes } from './modules/exchange-rates/exchange-rate.routes.js';
import { paymentLinkRoutes } from './modules/payment-links/payment-link.routes.js';
import { checkoutSessionRoutes } from './modules/checkout/checkout-session.routes.js';
import { invoiceRoutes } from './modules/invoices/invoice.routes.js';
import { transactionRoutes } from './modules/transactions/transaction.routes.js';
import { publicPayRoutes } from './modules/payments/public.routes.js';
import { reconcileRoutes } from './modules/reconcile/reconcile.routes.js';

export interface Paydesk {
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

export interface PaydeskOptions {
  /** An already open database (tests); otherwise opened from config. */
  database?: DatabaseHandle;
  /** How long a key rotation waits out other servers' key caches (tests shorten it). */
  rotationSettleMs?: number;
}

/** What the server and the CLI both run on: an open, migrated database and the keys to read it. */
export interface PaydeskContext {
  ctx: AppContext;
  database: DatabaseHandle;
  /** Where the master key came from (`keys rotate-master` needs to know). */
  master: MasterKeySource;
  close(): Promise<void>;
}

/**
 * The path as logged: no query string (search text is personal data), and no checkout or invoice
 * token (whoever holds one can pay it, and see what it is for).
 */
export function loggedPath(url: string): string {
  return (url.split('?')[0] ?? '').replace(/^((?:\/api\/public)?\/(?:checkout|invoice))\/[^/]+/, '$1/…');
}

/** The composition root: database, keys, context and HTTP server, built once. */
export async function createPaydesk(config: Config, options: PaydeskOptions = {}): Promise<Paydesk> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      // Query strings can carry search text (personal data): log the path only.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: loggedPath(req.url),
        }),
      },
    },
    ajv: { customOptions: { removeAdditional: false } },
    bodyLimit: 1024 * 1024,
    // Long or odd ids reach the service and get its 404, not a router error.
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const { ctx, close } = await createContext(config, { database: options.database, logger: app.log });
  try {
    installValidators(app);
    installProblemHandlers(app);
    await installOpenApi(app);
    // Before authentication: its onRequest hook parses the session cookie.
    await app.register(fastifyCookie);
    installAuthentication(app, ctx);
    await app.register(healthRoutes(ctx));
    await app.register(customerRoutes(ctx), { prefix: '/api/v1' });
    await app.register(keyRoutes(ctx, { settleMs: options.rotationSettleMs }), { prefix: '/api/v1' });
    await app.register(sessionRoutes(ctx), { prefix: '/api/v1' });
    await app.register(staffRoutes(ctx), { prefix: '/api/v1' });
    await app.register(apiKeyRoutes(ctx), { prefix: '/api/v1' });
    await app.register(auditRoutes(ctx), { prefix: '/api/v1' });
    await app.register(brandRoutes(ctx), { prefix: '/api/v1' });
    await app.register(exchangeRateRoutes(ctx), { prefix: '/api/v1' });
    await app.register(paymentLinkRoutes(ctx), { prefix: '/api/v1' });
    await app.register(checkoutSessionRoutes(ctx), { prefix: '/api/v1' });
    await app.register(invoiceRoutes(ctx), { prefix: '/api/v1' });
    await app.register(transactionRoutes(ctx), { prefix: '/api/v1' });
    await app.register(reconcileRoutes(ctx), { prefix: '/api/v1' });
    await app.register(publicPayRoutes(ctx), { prefix: '/api/public' });
    // Last: the dashboard answers every path the API does not.
    await app.register(webRoutes(ctx));

    return {
      app,
      ctx,
      close: async () => {
        await app.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Opens (or takes) the database, migrates it and loads the master key, refusing one the database
 * was not encrypted with. Shared by the server (createPaydesk) and the CLI.
 */
export async function createContext(
  config: Config,
  options: { database?: DatabaseHandle | undefined; logger: FastifyBaseLogger },
): Promise<PaydeskContext> {
  const { logger } = options;
  const database =
    options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite') }));
  try {
    await migrateToLatest(database.db);
    const master = await checkedMasterKey(config, database, logger);
    const ctx: AppContext = Object.freeze({
      config,
      db: database.db,
      databaseKind: database.kind,
      keyring: new Keyring(master.key, listBrandKeys, Date.now, (merchantId, error) =>
        logger.error(
          { merchantId, reason: error.message },
          'Brand keys could not be reloaded; serving with the ones already loaded. Restart with the current master key.',
        ),
      ),
      logger,
      clock: () => new Date(),
      gateway: new TestGateway(config.testGatewayDelayMs),
    });
    return { ctx, database, master, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function checkedMasterKey(
  config: Config,
  database: DatabaseHandle,
  logger: FastifyBaseLogger,
): Promise<MasterKeySource> {
  const master = loadMasterKey(config.masterKey, config.dataDir);
  if (master.origin !== 'environment') {
    logger.warn(
      { file: master.file },
      master.origin === 'key-file-created'
        ? 'Created a master key file; anyone who can read it can decrypt customer data. Set PAYDESK_MASTER_KEY in production.'
        : 'Using the master key file; set PAYDESK_MASTER_KEY in production.',
    );
  }
  const fingerprint = masterKeyFingerprint(master.key);
  const expected = await claimMasterFingerprint(database.db, fingerprint);
  if (expected === fingerprint) return master;
  if (master.origin === 'key-file') {
    const adopted = adoptPendingKeyFile(config.dataDir, expected);
    if (adopted) {
      logger.warn(
        { file: master.file },
        'Finished an interrupted master key rotation: the new key file is now in force.',
      );
      return { ...master, key: adopted };
    }
  }
  throw new KeyringError(
    `The master key (fingerprint ${fingerprint}) is not the one this database was encrypted with (fingerprint ${expected}). ` +
      'Start with the original PAYDESK_MASTER_KEY or key file' +
      (master.origin === 'environment'
        ? ' (after `keys rotate-master`, the value that was PAYDESK_NEW_MASTER_KEY).'
        : '.'),
  );
}
