import crypto from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import type { Paydesk } from '../../src/app.js';
import { newId, type IdPrefix } from '../../src/ids.js';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
  /** Ran on the walks' pool, whose sessions carry WALK_SETTINGS (src/db/walk-plan.ts). */
  walk?: boolean;
}

/** A Paydesk in this process whose every statement passes through `onQuery` (openDatabase's hook). */
export class StatementRecorder {
  private recording: Statement[] | null = null;

  readonly onQuery = (query: CompiledQuery, pool: 'main' | 'walk'): void => {
    this.recording?.push({ sql: query.sql, parameters: query.parameters, ...(pool === 'walk' ? { walk: true } : {}) });
  };

  /** The statements one request issues, as the server issues them (injected: no socket). */
  async capture(
    paydesk: Paydesk,
    request: { method: 'GET' | 'POST' | 'PUT'; path: string; token: string; body?: unknown },
  ): Promise<Statement[]> {
    this.recording = [];
    try {
      const response = await paydesk.app.inject({
        method: request.method,
        url: request.path,
        headers: { authorization: `Bearer ${request.token}` },
        ...(request.body === undefined ? {} : { payload: request.body as object }),
      });
      if (response.statusCode >= 300) throw new Error(`${request.path}: ${response.statusCode} ${response.body}`);
      return this.recording;
    } finally {
      this.recording = null;
    }
  }
}

const ID = /^([a-z]+)_[0-9a-z]{26}$/;
/** A statement that inserts: an INSERT, or one whose data-modifying CTE inserts (a new customer's). */
const INSERT = /\binsert\s+into\b/i;
/** Blind indexes are 16-byte HMACs; an API key's hash (32 bytes) must stay as it is. */
const BLIND_INDEX_BYTES = 16;
/** Ids of rows that exist before the request: kept as they are. */
const EXISTING: ReadonlySet<string> = new Set(['brd', 'key']);

/**
 * A write's statements made repeatable: each replay gets its own new ids (every id a statement
 * of the request first names in an INSERT) and its own blind indexes (so the email and phone are
 * new each time), as a new request would. Everything else is sent as captured.
 */
export function repeatable(statements: Statement[]): () => Statement[] {
  const created = new Set<string>();
  const seen = new Set<string>();
  for (const s of statements) {
    const inserting = INSERT.test(s.sql);
    // A batch insert passes a column as one array (src/db/unnest-rows.ts): its ids are looked at too.
    for (const value of s.parameters.flat()) {
      if (typeof value !== 'string' || !ID.test(value) || EXISTING.has(ID.exec(value)![1]!)) continue;
      if (inserting && !seen.has(value)) created.add(value);
      seen.add(value);
    }
  }
  return () => {
    const ids = new Map<string, string>();
    const bytes = new Map<string, Buffer>();
    const fresh = (value: unknown): unknown => {
      if (typeof value === 'string' && created.has(value)) {
        if (!ids.has(value)) ids.set(value, newId(ID.exec(value)![1] as IdPrefix));
        return ids.get(value);
      }
      if (Buffer.isBuffer(value) && value.length === BLIND_INDEX_BYTES) {
        const key = value.toString('hex');
        if (!bytes.has(key)) bytes.set(key, crypto.randomBytes(BLIND_INDEX_BYTES));
        return bytes.get(key);
      }
      if (Array.isArray(value)) return value.map(fresh);
      return value;
    };
    return statements.map((s) => ({ ...s, parameters: s.parameters.map(fresh) }));
  };
}
