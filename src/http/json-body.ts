import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors.js';

/** Deeper nesting than any body of this API has; a bound keeps validation and walking cheap. */
export const MAX_JSON_DEPTH = 64;

/**
 * How a body enters: JSON only (routes that take a raw file add their own parser in their own scope).
 * - The bytes must be UTF-8: anything else is a 400, never silently turned into U+FFFD.
 * - Nesting deeper than MAX_JSON_DEPTH and duplicate keys are a 400: with two `amount` keys, which one
 *   counts depends on the parser, and a proxy or log reader may pick the other.
 * - Fastify's own JSON parser (secure-json-parse) still does the parsing, so a `__proto__` or
 *   `constructor.prototype` key is refused as before.
 * - text/plain (Fastify's other default parser) and every type without a parser are a 415.
 * - A compressed body (any Content-Encoding but identity) is a 415: nothing here decodes it, and a
 *   decoder would be a way around the body limit.
 */
export function installBodyParsing(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    const bytes = raw as Buffer;
    if (!isUtf8(bytes)) return done(invalidJson('The body is not valid UTF-8: send JSON encoded as UTF-8'));
    const text = bytes.toString('utf8');
    const problem = structureProblem(text);
    if (problem !== undefined) return done(invalidJson(problem));
    void parseJson(request, text, (error, body) => {
      if (error && text.length > 0) return done(invalidJson(syntaxProblem(text)));
      done(error, body);
    });
  });
  app.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      throw new DomainError(
        'unsupported_media_type',
        `Content-Encoding ${encoding.slice(0, 40)} is not accepted: send the body uncompressed`,
      );
    }
  });
}

function invalidJson(detail: string): DomainError {
  return new DomainError('invalid_json', detail);
}

/** Why JSON.parse refuses the text, or (when it does not) the key secure-json-parse refused. */
function syntaxProblem(text: string): string {
  try {
    JSON.parse(text);
    return 'The body carries a __proto__ or constructor.prototype key, which is not accepted';
  } catch (error) {
    return `The body is not valid JSON: ${(error as Error).message}`;
  }
}

/**
 * One pass over the text: nesting depth and duplicate keys. Syntax errors are left to the parser, so
 * this only needs to find strings, brackets and commas. Keys are compared decoded (`"a"` = `"\u0061"`).
 */
export function structureProblem(text: string): string | undefined {
  const open: (Set<string> | null)[] = []; // a Set of seen keys per object, null per array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const key = decodeKey(text.slice(i + 1, end));
        if (key !== undefined && keys.has(key))
          return `The key ${JSON.stringify(key.slice(0, 40))} appears twice in one object`;
        if (key !== undefined) keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      open.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
      if (open.length > MAX_JSON_DEPTH) return `The body is nested deeper than ${MAX_JSON_DEPTH} levels`;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}

function decodeKey(raw: string): string | undefined {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined; // a bad escape: the parser reports it
  }
}
