/*
 * A database connection lost mid-request (PostgreSQL restarted or failed over, a proxy or network
 * cut it) is not a bug of ours: the client is told the database is unavailable and when to try
 * again, instead of a 500. Whatever the lost transaction wrote was rolled back by the server, and
 * the pool opens a new connection for the retry.
 */

/** Seconds the client is asked to wait (Retry-After) before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Socket errors node-postgres passes on when the connection dies or cannot be made.
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

// node-postgres and pg-pool say so in words, without a code.
const MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/**
 * True for a lost or refused database connection: a socket error, node-postgres's "Connection
 * terminated…", or a SQLSTATE of class 08 (connection exception) or 57P01–57P03 (the server shut
 * down or is starting). Looks through `cause` chains and AggregateErrors.
 */
export function isConnectionLost(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code) || /^57P0[123]$/.test(e.code)) return true;
  }
  if (typeof e.message === 'string' && MESSAGES.some((m) => (e.message as string).startsWith(m))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionLost(inner, depth + 1))) return true;
  return isConnectionLost(e.cause, depth + 1);
}

/**
 * Runs a short write again when its connection was lost (a pool can hand out a connection the
 * network cut a moment ago): for the last write of a background job, whose loss would leave the
 * job looking as if its process had died.
 */
export async function retryOnConnectionLoss<T>(write: () => Promise<T>, attempts = 3, waitMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isConnectionLost(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
