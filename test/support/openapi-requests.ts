import zlib from 'node:zlib';
import fc from 'fast-check';
import {
  BAD_SEGMENTS,
  HOSTILE_SEGMENTS,
  INVALID_UTF8,
  deepArray,
  deepObject,
  segmentCategories,
  toJson,
} from './hostile-values.js';
import { pngDeclaring } from './images.js';
import {
  mutate,
  mutation,
  valueCategories,
  valueOf,
  type Json,
  type Parameter,
  type Schema,
  type WriteOperation,
} from './openapi-arbitraries.js';

/*
 * Whole requests for one write operation of the OpenAPI document: path ids (the brand's real records,
 * another brand's, hostile segments), query and header parameters, and a body that is valid-shaped,
 * valid-shaped with hostile parts, or hostile raw bytes (10,000-deep JSON, duplicate keys, invalid
 * UTF-8, wrong content type or encoding). Each request says which hostile categories it carries.
 */

export interface GeneratedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Hostile categories it carries (`nul@body`, `invalid-utf8@path`, `content-type`, …). */
  categories: string[];
}

/** Real ids to put in paths, by the kind of record the segment before the id names. */
export interface IdPool {
  /** `customers` → the brand's customer ids, `pay` → link slugs, … */
  bySegment: Record<string, string[]>;
  /** Ids of another brand: a request with one must answer as if it did not exist. */
  foreign: string[];
  /** Every real id above, for a segment no kind is known for (a new endpoint). */
  all: string[];
}

function segmentBefore(path: string, param: string): string {
  const parts = path.split('/');
  const i = parts.indexOf(`{${param}}`);
  return i > 0 ? parts[i - 1]! : '';
}

const encode = (text: string) => encodeURIComponent(text);

function pathValue(path: string, param: string, ids: IdPool): fc.Arbitrary<string> {
  const own = ids.bySegment[segmentBefore(path, param)] ?? ids.all;
  return fc.oneof(
    { weight: 6, arbitrary: own.length ? fc.constantFrom(...own).map(encode) : fc.constant('x') },
    { weight: 1, arbitrary: ids.foreign.length ? fc.constantFrom(...ids.foreign).map(encode) : fc.constant('y') },
    { weight: 2, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
  );
}

function queryValue(doc: Json, parameter: Parameter): fc.Arbitrary<string | undefined> {
  const valid = valueOf(doc, parameter.schema, { ids: [] }, parameter.name).map((v) =>
    encode(typeof v === 'string' ? v : JSON.stringify(v)),
  );
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: parameter.required ? 0 : 2, arbitrary: fc.constant(undefined) },
  );
}

const idempotencyKeys = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(300), 'ü', ' ', 'two words', '', 'x'.repeat(8000)) },
);

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const WRONG_CONTENT_TYPES = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/problem+json',
  'image/png',
  'x/y',
  ';;;',
];

/** A JSON body in a raw form JSON.stringify cannot make, with the category it belongs to. */
function rawJsonBodies(valid: fc.Arbitrary<unknown>): fc.Arbitrary<{ payload: string | Buffer; categories: string[] }> {
  const text = (payload: string, category: string) => ({ payload, categories: [category] });
  return fc.oneof(
    fc.constantFrom(deepArray().text, deepObject().text).map((t) => text(t, 'deep-json')),
    valid.map((v) => text(duplicateKeys(v), 'duplicate-key')),
    fc
      .tuple(valid, fc.constantFrom(...INVALID_UTF8))
      .map(([v, bad]) => ({ payload: withInvalidUtf8(v, bad), categories: ['invalid-utf8@body'] })),
    fc
      .constantFrom('', '{', '{"a":1,}', "{'a':1}", 'null', '[]', '"text"', '1', 'NaN', '{"a":1}{"b":2}', '\ufeff{}')
      .map((t) => text(t, 'malformed-json')),
  );
}

/** The body's JSON with its first key written twice: once hostile, once as generated. */
function duplicateKeys(value: unknown): string {
  const json = toJson(value);
  if (!json.startsWith('{') || json === '{}') return `{"a":1,"a":{"$gt":""}}`;
  const key = /^\{("(?:[^"\\]|\\.)*"):/.exec(json)?.[1] ?? '"a"';
  return `{${key}:{"$gt":""},${json.slice(1)}`;
}

/** The body's JSON with invalid UTF-8 bytes inside its first string (or as a new field). */
function withInvalidUtf8(value: unknown, bad: Buffer): Buffer {
  const json = Buffer.from(toJson(value));
  const quote = json.indexOf(':"');
  if (quote < 0) return Buffer.concat([Buffer.from('{"a":"'), bad, Buffer.from('"}')]);
  return Buffer.concat([json.subarray(0, quote + 2), bad, json.subarray(quote + 2)]);
}

interface Body {
  payload?: string | Buffer;
  contentType?: string | undefined;
  categories: string[];
}

function jsonBody(doc: Json, schema: Schema | undefined, ids: IdPool): fc.Arbitrary<Body> {
  const valid = schema ? valueOf(doc, schema, { ids: ids.all, bySegment: ids.bySegment }) : fc.constant({});
  const asJson = (value: unknown): Body => ({
    payload: toJson(value),
    contentType: 'application/json',
    categories: valueCategories(value),
  });
  const typed = fc
    .tuple(fc.constantFrom(...JSON_TYPES), valid)
    .map(([type, value]) => ({ ...asJson(value), contentType: type }));
  return fc.oneof(
    { weight: schema ? 5 : 1, arbitrary: typed },
    {
      weight: 9,
      arbitrary: fc
        .tuple(valid, fc.array(mutation(), { minLength: 1, maxLength: 3 }))
        .map(([value, mutations]) => asJson(mutate(value, mutations))),
    },
    {
      weight: 2,
      arbitrary: rawJsonBodies(valid).map((b) => ({ ...b, contentType: 'application/json' })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([value, type]) => ({
        payload: toJson(value),
        contentType: type,
        categories: ['content-type', ...valueCategories(value)],
      })),
    },
    { weight: schema ? 0 : 4, arbitrary: fc.constant<Body>({ categories: [] }) },
  );
}

let pngs: Buffer[] | undefined;
/** Small files that declare a tiny, a huge (64 megapixels) and a very tall image; made once. */
function declaredPngs(): Buffer[] {
  return (pngs ??= [pngDeclaring(1, 1), pngDeclaring(8000, 8000), pngDeclaring(4, 70_000)]);
}

/** A body of another media type (an image, a CSV file): made-up bytes of it, or hostile ones. */
function mediaBody(media: string): fc.Arbitrary<Body> {
  const bytes = fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b));
  const typed = (arb: fc.Arbitrary<Buffer | string>, categories: string[] = []) =>
    arb.map((payload): Body => ({ payload, contentType: media, categories }));
  if (media.startsWith('image/') || media === 'application/octet-stream') {
    return fc.oneof(
      typed(bytes),
      typed(fc.constantFrom(...declaredPngs())),
      typed(bytes.map((b) => Buffer.concat([pngDeclaring(2, 2).subarray(0, 33), b]))),
    );
  }
  const cell = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.emailAddress(),
    fc.constantFrom('=cmd|"/c calc"!A1', '+1+1', '"quoted ""cell"""', 'a\u0000b', '\ud800', 'x'.repeat(5000)),
  );
  const goodRow = fc
    .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/), fc.emailAddress(), fc.constantFrom('', '+8801712345678'))
    .map((r) => r.join(','));
  const csv = fc.oneof(
    fc.array(goodRow, { minLength: 1, maxLength: 5 }).map((rows) => ['name,email,phone', ...rows].join('\n')),
    fc
      .tuple(
        fc.constantFrom('name,email,phone', 'email', 'Name;E-mail', '', '\ufeffname,email'),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
      )
      .map(([head, rows]) => [head, ...rows.map((r) => r.join(','))].join('\n')),
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: csv.map((payload): Body => ({ payload, contentType: media, categories: valueCategories(payload) })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...INVALID_UTF8).map((bad): Body => ({
        payload: Buffer.concat([Buffer.from('name,email\nA,'), bad, Buffer.from('@x.y\n')]),
        contentType: media,
        categories: ['invalid-utf8@body'],
      })),
    },
    { weight: 1, arbitrary: typed(bytes) },
  );
}

function bodyOf(doc: Json, operation: WriteOperation, ids: IdPool): fc.Arbitrary<Body> {
  const medias = Object.keys(operation.body);
  if (medias.length === 0) return jsonBody(doc, undefined, ids);
  return fc.oneof(
    ...medias.map((media) => (media.includes('json') ? jsonBody(doc, operation.body[media], ids) : mediaBody(media))),
  );
}

/** The body as sent: now and then with a Content-Encoding it does not have, or really compressed. */
const encodings = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'deflate', 'identity, gzip', 'x-unknown') },
  { weight: 1, arbitrary: fc.constant('gzip:real') },
);

export function requestsFor(doc: Json, operation: WriteOperation, ids: IdPool): fc.Arbitrary<GeneratedRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const takesIdempotency = operation.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key');
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => pathValue(operation.path, p.name, ids))),
      query: fc.tuple(...queryParams.map((p) => queryValue(doc, p))),
      body: bodyOf(doc, operation, ids),
      idempotencyKey: takesIdempotency ? idempotencyKeys : fc.constant(undefined),
      encoding: encodings,
    })
    .map(({ path, query, body, idempotencyKey, encoding }) => {
      const categories = [...body.categories];
      let url = operation.path;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, path[i]!);
        categories.push(...segmentCategories(path[i]!).map((c) => `${c}@path`));
      });
      const pairs = queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [`${p.name}=${query[i]}`]));
      for (const value of query) if (value) categories.push(...segmentCategories(value).map((c) => `${c}@query`));
      if (pairs.length) url += `?${pairs.join('&')}`;
      const headers: Record<string, string> = {};
      if (body.contentType !== undefined && body.payload !== undefined) headers['content-type'] = body.contentType;
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      let payload = body.payload;
      if (encoding && payload !== undefined) {
        categories.push('content-encoding');
        headers['content-encoding'] = encoding === 'gzip:real' ? 'gzip' : encoding;
        if (encoding === 'gzip:real') payload = zlib.gzipSync(payload);
      }
      return { method: operation.method, url, headers, ...(payload === undefined ? {} : { payload }), categories };
    });
}

/** The request in a line or two for a failure message (long values cut). */
export function describeRequest(request: GeneratedRequest): string {
  const body =
    request.payload === undefined
      ? '(no body)'
      : Buffer.isBuffer(request.payload)
        ? `bytes ${request.payload.subarray(0, 160).toString('hex')}${request.payload.length > 160 ? `… (${request.payload.length} bytes)` : ''}`
        : cut(request.payload);
  const url = request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url;
  return `${request.method} ${url} ${JSON.stringify(request.headers)} ${body} [${request.categories.join(', ')}]`;
}

function cut(text: string): string {
  return text.length > 400 ? `${JSON.stringify(text.slice(0, 400))}… (${text.length} chars)` : JSON.stringify(text);
}
