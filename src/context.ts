import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database, Executor } from './db/database.js';
import type { ReadRouter } from './db/read-routing.js';
import type { Keyring } from './crypto/keyring.js';
import type { PaymentGateway } from './gateways/gateway.js';
import type { WorkerPools } from './workers/worker-pool.js';

/** What every service function receives: built once in app.ts, never a global. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  /** Which database db talks to (a test or the CLI may hand one in, whatever the config says). */
  readonly databaseKind: 'postgres' | 'pglite';
  /**
   * Where list, search and profile reads may go (DATABASE_READ_URL): the replica, unless the caller's
   * own write has not reached it. Without a replica every read goes to db. Routes use it through
   * onReplica (src/http/replica-reads.ts); everything else reads and writes db.
   */
  readonly reads: ReadRouter;
  readonly keyring: Keyring<Executor>;
  readonly logger: FastifyBaseLogger;
  readonly clock: () => Date;
  /** Where cards are charged: the test-mode gateway until a provider adapter is configured. */
  readonly gateway: PaymentGateway;
  /** Worker threads for CPU-bound batches (the export's decryption); none start until one is used. */
  readonly workers: WorkerPools;
}
