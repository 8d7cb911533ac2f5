import { fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import type { CustomerCursor } from './customer.repository.js';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Opaque to clients: base64url of the last row's creation time and id. */
export function encodeCursor(cursor: CustomerCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): CustomerCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string' && isId('cus', value[1])) {
      // Only the exact form encodeCursor writes: odd but valid JS dates (year 275760) break drivers.
      const createdAt = new Date(value[0]);
      if (ISO_MS.test(value[0]) && !Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === value[0]) {
        return { createdAt, id: value[1] };
      }
    }
  } catch {
    // fall through to the field error
  }
  throw fieldError('cursor', 'is not a cursor this API returned');
}
