import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { isConnectionLost } from '../db/connection-errors.js';
import { DomainError } from '../errors.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Principal } from '../modules/access/index.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whose writes a read must see: one API key, or one staff member whatever brand is active. */
function callerOf(principal: Principal): string {
  return `${principal.actor.type}:${principal.actor.id}`;
}

/**
 * After every request that may have written (any method but GET, HEAD and OPTIONS, whatever its
 * status), the caller's reads stay on the primary until the replica has replayed the write. In
 * onSend, so the mark is set before the caller has the answer and can ask again.
 */
export function installReadYourWrites(app: FastifyInstance, ctx: AppContext): void {
  if (!ctx.reads.replica) return;
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!READ_METHODS.has(request.method) && request.principal) await ctx.reads.noteWrite(callerOf(request.principal));
    return payload;
  });
}

/**
 * Runs a read on the replica when it may serve this caller, else on the primary. Any failure on
 * the replica is asked again of the primary, whose answer stands: a lost connection (the replica
 * down: reads skip it for a while, with a warning), a query cancelled by a recovery conflict, or a
 * row the replica has not received yet (another caller's customer created a moment ago is a 404 or
 * a brand not found there). Reads only: a retried read writes nothing. A failure that is neither a
 * lost connection nor a domain error (404, 403, 422) is logged, so a replica-only fault shows.
 */
export async function onReplica<T>(
  ctx: AppContext,
  request: FastifyRequest,
  read: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const db = await ctx.reads.readerFor(request.principal ? callerOf(request.principal) : undefined);
  if (db === ctx.db) return read(ctx);
  try {
    return await read(replicaContext(ctx, db));
  } catch (error) {
    if (isConnectionLost(error)) ctx.reads.replicaFailed(error);
    else if (!(error instanceof DomainError)) {
      ctx.logger.warn({ err: error }, 'A read on the replica failed; it was answered from the primary.');
    }
    return read(ctx);
  }
}

const replicaContexts = new WeakMap<AppContext, AppContext>();

/**
 * The context whose db is the replica. Brand keys still load from the primary: a key cache filled
 * from a lagging replica would outlive the lag, and a key rotation waits out only the cache's TTL
 * before sweeping (a write sealed under the old key after the sweep would be missed by it).
 */
function replicaContext(ctx: AppContext, replica: AppContext['db']): AppContext {
  let found = replicaContexts.get(ctx);
  if (!found) {
    found = Object.freeze({ ...ctx, db: replica, keyring: keysFromPrimary(ctx.keyring, ctx.db) });
    replicaContexts.set(ctx, found);
  }
  return found;
}

function keysFromPrimary(keyring: Keyring<Executor>, primary: Executor): Keyring<Executor> {
  return new Proxy(keyring, {
    get(target, property) {
      if (property === 'forBrand') {
        return (_db: Executor, ...rest: [string, Iterable<number>?]) => target.forBrand(primary, ...rest);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
