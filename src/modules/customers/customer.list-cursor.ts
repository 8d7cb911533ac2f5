import { fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import { cursorInstant, decodePageCursor, encodePageCursor } from '../../http/page-cursor.js';
import type { CustomerSort, CustomerSortKey } from './customer.list-params.js';
import { CUSTOMER_SORTS, type CustomerSortParam } from './customer.schemas.js';

/**
 * A row's value of the sort key: its creation time; total spent or transactions count; its last
 * payment in microseconds since the epoch (the column's own precision, so a keyset never splits
 * two payments in one millisecond), null for never paid.
 */
export type SortValue = Date | number | null;

/** Where a keyset page of one sort ended: the last row's sort value, then its id (the tiebreaker). */
export interface ListPosition {
  key: SortValue;
  id: string;
}

export function sortParamOf(sort: CustomerSort): CustomerSortParam {
  return `${sort.direction === 'desc' ? '-' : ''}${sort.key}` as CustomerSortParam;
}

export function isDefaultSort(sort: CustomerSort): boolean {
  return sort.key === 'created_at' && sort.direction === 'desc';
}

/**
 * The wire form, opaque to clients. Newest first keeps the form its cursors always had
 * (`[created_at, id]`, src/http/page-cursor.ts), so cursors handed out before sorts existed still
 * work; every other sort writes `[sort, value, id]`, and a cursor only continues the sort it was
 * made for.
 */
export function encodeListCursor(sort: CustomerSort, position: ListPosition): string {
  if (isDefaultSort(sort)) return encodePageCursor({ createdAt: position.key as Date, id: position.id });
  const key = position.key instanceof Date ? position.key.toISOString() : position.key;
  return Buffer.from(JSON.stringify([sortParamOf(sort), key, position.id])).toString('base64url');
}

export function decodeListCursor(text: string, sort: CustomerSort): ListPosition {
  const wanted = sortParamOf(sort);
  const value = parse(text);
  if (Array.isArray(value) && value.length === 2) {
    if (!isDefaultSort(sort)) throw otherSort('-created_at', wanted);
    const { createdAt, id } = decodePageCursor(text, 'cus');
    return { key: createdAt, id };
  }
  if (Array.isArray(value) && value.length === 3) {
    const [madeFor, key, id] = value as unknown[];
    if (typeof madeFor === 'string' && (CUSTOMER_SORTS as readonly string[]).includes(madeFor)) {
      if (madeFor !== wanted) throw otherSort(madeFor, wanted);
      const sortValue = sortValueOf(sort.key, key);
      if (sortValue !== undefined && typeof id === 'string' && isId('cus', id)) return { key: sortValue, id };
    }
  }
  throw fieldError('cursor', 'is not a cursor this API returned');
}

function sortValueOf(key: CustomerSortKey, value: unknown): SortValue | undefined {
  switch (key) {
    case 'created_at':
      return cursorInstant(value);
    case 'total_spent':
    case 'transactions_count':
      return Number.isSafeInteger(value) ? (value as number) : undefined;
    case 'last_payment_at':
      return value === null || Number.isSafeInteger(value) ? (value as number | null) : undefined;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function otherSort(madeFor: string, wanted: string) {
  return fieldError(
    'cursor',
    `was made for sort=${madeFor}; this page is sorted by ${wanted} (start again without cursor)`,
  );
}
