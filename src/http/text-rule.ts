import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fieldError } from '../errors.js';

// The one text rule (issue 15). PostgreSQL's text and jsonb refuse NUL, an unpaired UTF-16 surrogate
// cannot be written as UTF-8, and control characters have no place in anything a person reads: all are
// refused where the text enters rather than failing later as a 500. With the u flag, \p{Cs} matches a
// surrogate only when it is unpaired.
/* eslint-disable no-control-regex -- matching control characters is the point */
/** Not text anywhere: C0 controls other than tab, LF and CR; DEL; C1 controls; unpaired surrogates. */
export const NOT_TEXT = /[\p{Cs}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/** Not text on one line (names, titles, emails, slugs): the above, and tab, LF and CR too. */
export const NOT_SINGLE_LINE_TEXT = /[\p{Cs}\u0000-\u001f\u007f-\u009f]/u;
/** The same single-line rule as a JSON Schema `pattern` (Ajv compiles patterns with the u flag). */
export const SINGLE_LINE_PATTERN = '^[^\\p{Cs}\\u0000-\\u001f\\u007f-\\u009f]*$';
/* eslint-enable no-control-regex */

export const NOT_TEXT_REASON = 'contains a control character or invalid Unicode';
export const NOT_SINGLE_LINE_REASON = 'must be one line without control characters or invalid Unicode';

/** Header values the app reads; any other header is never looked at, so never checked. */
const READ_HEADERS = ['authorization', 'idempotency-key', 'x-csrf-token'] as const;

/** Deeper than this, a body is refused by the JSON parser already (json-body.ts); a guard for other objects. */
const MAX_WALK_DEPTH = 100;

/**
 * The dotted path of the first string in `value` (any depth, object keys too) that breaks the text
 * rule, or undefined. A bad key is named with its bad characters shown as `?`.
 */
export function findNonText(value: unknown, path = ''): string | undefined {
  return walk(value, path, 0);
}

function walk(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return NOT_TEXT.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_WALK_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], join(path, String(i)), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  // Raw bodies (image and CSV uploads) are Buffers: bytes, checked by their own routes.
  if (Buffer.isBuffer(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (NOT_TEXT.test(key)) return join(path, key.replace(new RegExp(NOT_TEXT.source, 'gu'), '?'));
    const found = walk(inner, join(path, key), depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * The text rule on everything a request carries: path parameters, the query string and the headers the
 * app reads in the first onRequest hook (before authentication or any database lookup), the body once
 * parsed (preValidation). Each failure is a 422 naming the field: `path.id`, `query.customer_id`,
 * `header.idempotency-key`, `title`, `line_items.0.description`.
 */
export function installTextRule(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const field = nonTextOutsideBody(request);
    if (field !== undefined) throw fieldError(field, NOT_TEXT_REASON);
  });
  app.addHook('preValidation', async (request) => {
    const field = findNonText(request.body);
    if (field !== undefined) throw fieldError(field || 'body', NOT_TEXT_REASON);
  });
}

function nonTextOutsideBody(request: FastifyRequest): string | undefined {
  const inPath = findNonText(request.params, 'path');
  if (inPath !== undefined) return inPath;
  const inQuery = findNonText(request.query, 'query');
  if (inQuery !== undefined) return inQuery;
  for (const name of READ_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined && findNonText(value) !== undefined) return `header.${name}`;
  }
  return undefined;
}
