import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { Keyring, KeyringError } from './crypto/keyring.js';
import { loadMasterKey, masterKeyFingerprint } from './crypto/master-key.js';
import { claimMasterFingerprint, listBrandKeys } from './modules/brands/brand.repository.js';
import { installAuthentication } from './http/auth.js';
import { installOpenApi } from './http/openapi.js';
import { installProblemHandlers } from './http/problem.js';
import { installValidators } from './http/validation.js';
import { customerRoutes } from './modules/customers/customer.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';

export interface Paydesk {
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

export interface PaydeskOptions {
  /** An already open database (tests); otherwise opened from config. */
  database?: DatabaseHandle;
}

/** The composition root: database, keys, context and HTTP server, built once. */
export async function createPaydesk(config: Config, options: PaydeskOptions = {}): Promise<Paydesk> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      // Query strings can carry search text (personal data): log the path only.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      },
    },
    ajv: { customOptions: { removeAdditional: false } },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const database =
    options.database ??
    (await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite') }));
  try {
    await migrateToLatest(database.db);
    const master = loadMasterKey(config.masterKey, config.dataDir);
    if (master.origin !== 'environment') {
      app.log.warn(
        { file: master.file },
        master.origin === 'key-file-created'
          ? 'Created a master key file; anyone who can read it can decrypt customer data. Set PAYDESK_MASTER_KEY in production.'
          : 'Using the master key file; set PAYDESK_MASTER_KEY in production.',
      );
    }
    const fingerprint = masterKeyFingerprint(master.key);
    const expected = await claimMasterFingerprint(database.db, fingerprint);
    if (expected !== fingerprint) {
      throw new KeyringError(
        `The master key (fingerprint ${fingerprint}) is not the one this database was encrypted with (fingerprint ${expected}). ` +
          'Start with the original PAYDESK_MASTER_KEY or key file.',
      );
    }
    const ctx: AppContext = Object.freeze({
      config,
      db: database.db,
      keyring: new Keyring(master.key, listBrandKeys),
      logger: app.log,
      clock: () => new Date(),
    });

    installValidators(app);
    installProblemHandlers(app);
    await installOpenApi(app);
    installAuthentication(app, ctx);
    await app.register(healthRoutes(ctx));
    await app.register(customerRoutes(ctx), { prefix: '/api/v1' });

    return {
      app,
      ctx,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
