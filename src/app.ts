import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { WorkerPools } from './workers/worker-pool.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { ReadRouter } from './db/read-routing.js';
import { Keyring, KeyringError } from './crypto/keyring.js';
import { adoptPendingKeyFile, loadMasterKey, masterKeyFingerprint, type MasterKeySource } from './crypto/master-key.js';
import fastifyCookie from '@fastify/cookie';
import { installAuthentication } from './http/authentication.js';
import { installBodyParsing } from './http/json-body.js';
import { installReadYourWrites } from './http/replica-reads.js';
import { serializeError } from './http/log-serializers.js';
import { clientErrorProblem, installRequestLimits } from './http/request-limits.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installTextRule } from './http/text-rule.js';
import { installOpenApi } from './http/openapi.js';
import { frameworkProblem, installProblemHandlers } from './http/problem.js';
import { installValidators } from './http/validation.js';
import { TestGateway } from './gateways/test-gateway.js';
import { customerRoutes } from './modules/customers/index.js';
import { customerImportRoutes, CustomerImportJobs } from './modules/customer-imports/index.js';
import { apiKeyRoutes } from './modules/api-keys/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { brandRoutes, claimMasterFingerprint, listBrandKeys } from './modules/brands/index.js';
import { checkoutSessionRoutes } from './modules/checkout/index.js';
import { dataExportRoutes } from './modules/data-export/index.js';
import { eraseRoutes } from './modules/customer-erase/index.js';
import { customerMergeRoutes } from './modules/customer-merge/index.js';
import { customerTagRoutes } from './modules/customer-tags/index.js';
import { customerViewRoutes } from './modules/customer-views/index.js';
import { customerSuspensionRoutes } from './modules/customer-suspension/index.js';
import { customerBulkRoutes, CustomerBulkJobs } from './modules/customer-bulk/index.js';
import { exchangeRateRoutes } from './modules/exchange-rates/index.js';
import { healthRoutes } from './modules/health/index.js';
import { imageRoutes } from './modules/images/index.js';
import { invoiceRoutes } from './modules/invoices/index.js';
import { noteRoutes } from './modules/notes/index.js';
import { orderRoutes } from './modules/orders/index.js';
import { keyRoutes, RotationJobs } from './modules/keys/index.js';
import { paymentLinkRoutes } from './modules/payment-links/index.js';
import { DeclineGuard, PendingPaymentSettler, publicPayRoutes } from './modules/payments/index.js';
import { reconcileRoutes } from './modules/reconcile/index.js';
import { backupRoutes } from './modules/backups/index.js';
import {
  invitationPublicRoutes,
  passwordResetPublicRoutes,
  passwordResetRoutes,
  sessionRoutes,
  SESSION_COOKIE,
  SignInThrottle,
  staffRoutes,
} from './modules/staff/index.js';
import {
  createRateLimits,
  installAddressLimits,
  installPrincipalLimits,
  type RequestLimiter,
} from './modules/rate-limits/index.js';
import { transactionRoutes } from './modules/transactions/index.js';
import { userRoutes } from './modules/site-users/index.js';
import { webRoutes } from './modules/web/index.js';
import { WebhookDispatcher, webhookRoutes, type WebhookDispatcherOptions } from './modules/webhooks/index.js';

export interface Paydesk {
  app: FastifyInstance;
  ctx: AppContext;
  services: ServerServices;
  close(): Promise<void>;
}

/**
 * What the server keeps in memory between requests: built once here, with the context, and handed
 * to the route plugins that use it, so the state belongs to the server rather than to a plugin.
 */
export interface ServerServices {
  /** Failed sign-ins per email and address (session routes). */
  readonly signInThrottle: SignInThrottle;
  /** Declined card payments per address on the public pay pages. */
  readonly declineGuard: DeclineGuard;
  /** Key rotations running in the background; stopped after their batch when the server closes. */
  readonly rotationJobs: RotationJobs;
  /** CSV imports running in the background; stopped after their batch when the server closes. */
  readonly importJobs: CustomerImportJobs;
  /** Bulk actions on customers running in the background; stopped after their batch when the server closes. */
  readonly bulkJobs: CustomerBulkJobs;
  /** Requests per key and per address, counted here and shared through the database. */
  readonly requestLimiter: RequestLimiter;
  /** Sends due webhook deliveries; servers on one database share the queue. */
  readonly webhookDispatcher: WebhookDispatcher;
}

export interface PaydeskOptions {
  /** An already open database (tests); otherwise opened from config. */
  database?: DatabaseHandle;
  /** How long a key rotation waits out other servers' key caches (tests shorten it). */
  rotationSettleMs?: number;
  /** Where log lines go instead of stdout (tests read them back). */
  logStream?: { write(line: string): void };
  /** Webhook delivery timing (tests shorten the retries and the poll). */
  webhooks?: WebhookDispatcherOptions;
  /**
   * What time it is for sessions, invitations and rate limits (tests move it; default: the system
   * clock). Tests must not fake the global Date instead: PGlite's PostgreSQL reads it too, and a
   * timer it arms at a faked time can fire every millisecond once the real time is back.
   */
  clock?: () => Date;
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
 * The path as logged: no query string (search text is personal data), and no checkout, invoice or
 * staff invitation or password reset token (whoever holds one can pay it, join the brand, or set a password).
 */
export function loggedPath(url: string): string {
  return (url.split('?')[0] ?? '').replace(
    /^((?:\/api\/public)?\/(?:checkout|invoice|invite|invitations|reset-password|password-resets))\/[^/]+/,
    '$1/…',
  );
}

/** Config's trust setting as Fastify types it: a hop count is "trust the nearest n hops", as proxy-addr reads one. */
function fastifyTrustProxy(
  setting: Config['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
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
        // Type, message, stack and schema names only: a database error carries the statement's values.
        err: (error: Error) => serializeError(error),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    ajv: { customOptions: { removeAdditional: false } },
    // request.ip and request.protocol from X-Forwarded-* only when they come from a trusted proxy.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 1024 * 1024,
    // Long or odd ids reach the service and get its 404, not a router error.
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const { ctx, close } = await createContext(config, {
    database: options.database,
    logger: app.log,
    clock: options.clock,
  });
  const rateLimits = createRateLimits({
    db: ctx.db,
    clock: ctx.clock,
    logger: app.log,
    secret: ctx.keyring.systemSubkey('rate-counter-keys'),
  });
  const services: ServerServices = Object.freeze({
    signInThrottle: new SignInThrottle(rateLimits.failures),
    declineGuard: new DeclineGuard(rateLimits.failures),
    requestLimiter: rateLimits.requests,
    rotationJobs: new RotationJobs(ctx, { settleMs: options.rotationSettleMs }),
    importJobs: new CustomerImportJobs(ctx),
    bulkJobs: new CustomerBulkJobs(ctx),
    webhookDispatcher: new WebhookDispatcher(ctx, {
      ...options.webhooks,
      // PAYDESK_WEBHOOK_RETRY_DELAYS_MS (tests, staging) unless the caller gave its own schedule.
      retryDelaysMs: options.webhooks?.retryDelaysMs ?? config.webhooks.retryDelaysMs,
    }),
  });
  try {
    // On close, a rotation in flight stops after its batch, before the database closes; starting it again resumes it.
    app.addHook('onClose', async () => services.rotationJobs.close());
    app.addHook('onClose', async () => services.importJobs.close());
    app.addHook('onClose', async () => services.bulkJobs.close());
    app.addHook('onClose', async () => services.requestLimiter.close());
    // Imports left running by a stopped process are marked failed (running the file again is safe).
    await services.importJobs.failInterrupted();
    await services.bulkJobs.failInterrupted();
    installValidators(app);
    installProblemHandlers(app);
    // The first onRequest hooks, before the cookie parser and authentication: URL length, Content-Encoding,
    // then the text rule on path, query and the headers read (bodies: preValidation).
    installRequestLimits(app);
    installBodyParsing(app);
    installTextRule(app);
    installSecurityHeaders(app);
    await installOpenApi(app);
    // Before authentication: its onRequest hook parses the session cookie.
    await app.register(fastifyCookie);
    // Requests per address before authentication (a wrong key counts there), per key or staff member after it.
    installAddressLimits(app, services.requestLimiter, config.rateLimits, SESSION_COOKIE);
    installAuthentication(app, ctx);
    installReadYourWrites(app, ctx);
    installPrincipalLimits(app, services.requestLimiter, config.rateLimits);
    await app.register(healthRoutes(ctx));
    await app.register(customerRoutes(ctx), { prefix: '/api/v1' });
    await app.register(noteRoutes(ctx), { prefix: '/api/v1' });
    await app.register(imageRoutes(ctx), { prefix: '/api/v1' });
    await app.register(dataExportRoutes(ctx), { prefix: '/api/v1' });
    await app.register(eraseRoutes(ctx), { prefix: '/api/v1' });
    await app.register(customerImportRoutes(ctx, { jobs: services.importJobs }), { prefix: '/api/v1' });
    await app.register(customerMergeRoutes(ctx), { prefix: '/api/v1' });
    await app.register(customerTagRoutes(ctx), { prefix: '/api/v1' });
    await app.register(customerViewRoutes(ctx), { prefix: '/api/v1' });
    await app.register(customerSuspensionRoutes(ctx), { prefix: '/api/v1' });
    await app.register(customerBulkRoutes(ctx, { jobs: services.bulkJobs }), { prefix: '/api/v1' });
    await app.register(keyRoutes(ctx, { jobs: services.rotationJobs }), { prefix: '/api/v1' });
    await app.register(sessionRoutes(ctx, { throttle: services.signInThrottle }), { prefix: '/api/v1' });
    await app.register(staffRoutes(ctx), { prefix: '/api/v1' });
    await app.register(passwordResetRoutes(ctx), { prefix: '/api/v1' });
    await app.register(apiKeyRoutes(ctx), { prefix: '/api/v1' });
    await app.register(auditRoutes(ctx), { prefix: '/api/v1' });
    await app.register(brandRoutes(ctx), { prefix: '/api/v1' });
    await app.register(exchangeRateRoutes(ctx), { prefix: '/api/v1' });
    await app.register(paymentLinkRoutes(ctx), { prefix: '/api/v1' });
    await app.register(checkoutSessionRoutes(ctx), { prefix: '/api/v1' });
    await app.register(invoiceRoutes(ctx), { prefix: '/api/v1' });
    await app.register(orderRoutes(ctx), { prefix: '/api/v1' });
    await app.register(transactionRoutes(ctx), { prefix: '/api/v1' });
    await app.register(reconcileRoutes(ctx), { prefix: '/api/v1' });
    await app.register(backupRoutes(ctx), { prefix: '/api/v1' });
    await app.register(userRoutes(ctx), { prefix: '/api/v1' });
    await app.register(webhookRoutes(ctx), { prefix: '/api/v1' });
    await app.register(publicPayRoutes(ctx, { declines: services.declineGuard }), { prefix: '/api/public' });
    await app.register(invitationPublicRoutes(ctx, { throttle: services.signInThrottle }), { prefix: '/api/public' });
    await app.register(passwordResetPublicRoutes(ctx), { prefix: '/api/public' });
    // Last: the dashboard answers every path the API does not.
    await app.register(webRoutes(ctx));
    services.requestLimiter.start(config.rateLimits.syncMs);
    // Payments a crash left pending between charge and record: settled with the gateway now, then every few minutes.
    const settler = new PendingPaymentSettler(ctx).start();
    app.addHook('onClose', async () => settler.close());
    services.webhookDispatcher.start();
    app.addHook('onClose', async () => services.webhookDispatcher.close());

    return {
      app,
      ctx,
      services,
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
  options: { database?: DatabaseHandle | undefined; logger: FastifyBaseLogger; clock?: (() => Date) | undefined },
): Promise<PaydeskContext> {
  const { logger } = options;
  const database =
    options.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: path.join(config.dataDir, 'pglite'),
      preparedStatements: config.databasePreparedStatements,
    }));
  // Opening a pool connects nothing: a replica down at start only sends reads to the primary.
  const replica = config.databaseReadUrl
    ? await openDatabase({
        url: config.databaseReadUrl,
        poolSize: 5,
        // A replica that does not answer must not hold a read for long: it falls back to the primary.
        connectTimeoutMs: 1_000,
        preparedStatements: config.databasePreparedStatements,
      })
    : undefined;
  const workers = new WorkerPools();
  const closeDatabases = async () => {
    try {
      await workers.close();
      await replica?.close();
    } finally {
      await database.close();
    }
  };
  try {
    await migrateToLatest(database.db);
    const master = await checkedMasterKey(config, database, logger);
    const ctx: AppContext = Object.freeze({
      config,
      db: database.db,
      databaseKind: database.kind,
      reads: new ReadRouter(database.db, replica?.db, {
        onReplicaDown: (error) =>
          logger.warn(
            { err: error },
            'The read replica (DATABASE_READ_URL) is unreachable; reads go to the primary until it answers again.',
          ),
      }),
      keyring: new Keyring(master.key, listBrandKeys, Date.now, (merchantId, error) =>
        logger.error(
          { merchantId, reason: error.message },
          'Brand keys could not be reloaded; serving with the ones already loaded. Restart with the current master key.',
        ),
      ),
      logger,
      clock: options.clock ?? (() => new Date()),
      gateway: new TestGateway(config.testGatewayDelayMs),
      workers,
    });
    return { ctx, database, master, close: closeDatabases };
  } catch (error) {
    await closeDatabases();
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
