import { fieldError } from '../errors.js';
import { isId, type IdPrefix } from '../ids.js';
import type { PageCursor } from '../db/keyset.js';

// The cursor is the database's keyset position; this file is its wire form.

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Opaque to clients: base64url of the last row's creation time and id. */
export function encodePageCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

export function decodePageCursor(text: string, prefix: IdPrefix): PageCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      isId(prefix, value[1])
    ) {
      const createdAt = cursorInstant(value[0]);
      if (createdAt) return { createdAt, id: value[1] };
    }
  } catch {
    // fall through to the field error
  }
  throw fieldError('cursor', 'is not a cursor this API returned');
}

/**
 * A cursor's instant, in the exact form Date#toISOString writes (what cursors hold); undefined
 * otherwise: odd but valid JS dates (year 275760) break drivers.
 */
export function cursorInstant(text: unknown): Date | undefined {
  if (typeof text !== 'string' || !ISO_MS.test(text)) return undefined;
  const at = new Date(text);
  return !Number.isNaN(at.getTime()) && at.toISOString() === text ? at : undefined;
}

/** A newest-first page from `limit + 1` rows: the extra row only says there is more. */
export function toPage<Row extends { created_at: Date; id: string }, View>(
  rows: Row[],
  limit: number,
  view: (row: Row) => View,
): { object: 'list'; data: View[]; has_more: boolean; next_cursor: string | null } {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const hasMore = rows.length > limit;
  return {
    object: 'list',
    data: pageRows.map(view),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodePageCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
