import fc from 'fast-check';
import {
  EDGE_NUMBERS,
  EXTRA_KEYS,
  RawJson,
  WRONG_TYPES,
  deepArray,
  deepObject,
  hostileString,
  stringCategories,
} from './hostile-values.js';

/*
 * Arbitraries built from the OpenAPI document the app serves: the write operations it lists and,
 * for each, values of its request body schema (valid-shaped ones, and the same with hostile parts).
 * Nothing here names an endpoint, so a new endpoint is covered by the property tests without a
 * change. The schema keywords read are the ones the route schemas use (type, properties, required,
 * additionalProperties, anyOf, enum, min/max, lengths, items, pattern, format, examples, $ref).
 */

export type Json = { [key: string]: unknown };
export type Schema = Json;
export type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface WriteOperation {
  /** `POST /api/v1/customers/{id}/notes` */
  name: string;
  method: Method;
  path: string;
  public: boolean;
  parameters: Parameter[];
  /** Media type → schema of the request body; empty when the operation takes none. */
  body: Record<string, Schema>;
  bodyRequired: boolean;
}

const WRITE_METHODS: Method[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Every POST, PUT, PATCH and DELETE under /api/v1 and /api/public, in document order. */
export function writeOperations(doc: Json): WriteOperation[] {
  const operations: WriteOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    if (!path.startsWith('/api/v1/') && !path.startsWith('/api/public/')) continue;
    for (const method of WRITE_METHODS) {
      const operation = item[method.toLowerCase()];
      if (!operation) continue;
      const requestBody = (operation.requestBody ?? {}) as Json;
      const content = (requestBody.content ?? {}) as Record<string, Json>;
      operations.push({
        name: `${method} ${path}`,
        method,
        path,
        public: path.startsWith('/api/public/'),
        parameters: ((operation.parameters ?? []) as Json[]).map((p) => ({
          name: String(p.name),
          in: p.in as Parameter['in'],
          required: p.required === true,
          schema: resolve(doc, (p.schema ?? {}) as Schema),
        })),
        body: Object.fromEntries(Object.entries(content).map(([media, m]) => [media, (m.schema ?? {}) as Schema])),
        bodyRequired: requestBody.required === true,
      });
    }
  }
  return operations;
}

export function resolve(doc: Json, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  const target = ((doc.components as Json | undefined)?.schemas as Record<string, Schema> | undefined)?.[name];
  if (!target) throw new Error(`Unresolved ${ref}`);
  return target;
}

/** Values that mean something to the brand: its records' ids, as strings a field may name. */
export interface ValueHints {
  /** Real ids of the brand's records (and another brand's), any kind. */
  ids: readonly string[];
  /** Ids by the kind of record, named as in paths (`customers`, `users`): a field `customer` takes these. */
  bySegment?: Readonly<Record<string, readonly string[]>>;
}

/** The ids a reference field most likely wants: `source_customer` → customers, `user` → users. */
function idsFor(hints: ValueHints, name: string | undefined): readonly string[] {
  const word = /([a-z]+?)(?:_ids?)?$/.exec(name ?? '')?.[1];
  const kind = word && Object.keys(hints.bySegment ?? {}).find((k) => k === `${word}s` || k.endsWith(`-${word}s`));
  return (kind && hints.bySegment?.[kind]?.length ? hints.bySegment[kind] : undefined) ?? hints.ids;
}

const emails = fc.oneof(
  fc.emailAddress().filter((e) => e.length <= 200),
  fc.constantFrom('Ayesha@Example.com', 'a@b.co', 'x+tag@example.com'),
);
const phones = fc.constantFrom('+8801712345678', '01712345678', '+1 415 555 0100', '+44 20 7946 0958');
const currencies = fc.constantFrom('BDT', 'USD', 'EUR', 'bdt');

/** Field names whose valid-shaped values no schema keyword says (an email has no format here). */
function hinted(name: string | undefined): fc.Arbitrary<unknown> | undefined {
  if (name === undefined) return undefined;
  if (/email/.test(name)) return emails;
  if (/phone/.test(name)) return phones;
  if (/currency$/.test(name)) return currencies;
  if (name === 'cvc') return fc.constantFrom('123', '9999');
  return undefined;
}

/** Fields that name another record: mostly a real id, so the rule behind the reference runs. */
const REFERENCE = /(^|_)(ids?|customer|user|tag|view|source_customer)$/;

/** Integers a field name gives a likely range for (a card's expiry year). */
function hintedInteger(name: string | undefined): fc.Arbitrary<number> | undefined {
  if (name === 'exp_year') return fc.integer({ min: 2020, max: 2100 });
  return undefined;
}

const MAX_DEPTH = 6;

/**
 * Valid-shaped values of a schema: the right types, lengths and ranges, the schema's examples and,
 * for text, now and then a real id of the brand's (so references resolve and rules past validation
 * run). Valid-shaped is not valid: a generated email may be taken, a date in the past.
 */
export function valueOf(doc: Json, schema: Schema, hints: ValueHints, name?: string, depth = 0): fc.Arbitrary<unknown> {
  schema = resolve(doc, schema);
  const examples = Array.isArray(schema.examples) ? (schema.examples as unknown[]) : [];
  const withExamples = (arb: fc.Arbitrary<unknown>) =>
    examples.length
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...examples) }, { weight: 2, arbitrary: arb })
      : arb;
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return withExamples(fc.oneof(...union.map((s) => valueOf(doc, s, hints, name, depth + 1))));
  if (schema.const !== undefined) return fc.constant(schema.const);

  switch (schema.type) {
    case 'string':
      return withExamples(stringOf(schema, hints, name));
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      const safe = (n: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
      return withExamples(
        fc.oneof(
          {
            weight: 4,
            arbitrary: hintedInteger(name) ?? fc.integer({ min: safe(min), max: safe(Math.min(max, min + 100_000)) }),
          },
          { weight: 1, arbitrary: fc.constantFrom(safe(min), safe(max)) },
        ),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items =
        depth > MAX_DEPTH ? fc.constant('x') : valueOf(doc, (schema.items ?? {}) as Schema, hints, name, depth + 1);
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, 4));
      return withExamples(
        schema.uniqueItems
          ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
          : fc.array(items, { minLength, maxLength }),
      );
    }
    case 'object':
    case undefined:
      if (schema.type === undefined && !schema.properties) return fc.constant({});
      return withExamples(objectOf(doc, schema, hints, depth));
    default:
      return fc.constant(null);
  }
}

function stringOf(schema: Schema, hints: ValueHints, name: string | undefined): fc.Arbitrary<unknown> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = Math.max(minLength, Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 60, 60));
  const free = fc.string({ minLength, maxLength });
  let shaped: fc.Arbitrary<string> = free;
  if (schema.format === 'date-time') shaped = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  else if (schema.format === 'date')
    shaped = fc
      .date({ noInvalidDate: true, min: new Date(2000, 0), max: new Date(2100, 0) })
      .map((d) => d.toISOString().slice(0, 10));
  else if (schema.format === 'email') shaped = emails;
  else if (typeof schema.pattern === 'string') shaped = fc.stringMatching(new RegExp(schema.pattern));
  const hint = hinted(name);
  const known = idsFor(hints, name);
  const ids = known.length ? fc.constantFrom(...known) : free;
  const reference = name !== undefined && REFERENCE.test(name);
  return fc.oneof(
    { weight: 4, arbitrary: hint ?? shaped },
    { weight: 1, arbitrary: shaped },
    { weight: reference ? 12 : 1, arbitrary: ids },
  );
}

function objectOf(doc: Json, schema: Schema, hints: ValueHints, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const fields = Object.fromEntries(
    Object.entries(properties).map(([key, s]) => [
      key,
      depth > MAX_DEPTH ? fc.constant(null) : valueOf(doc, s, hints, key, depth + 1),
    ]),
  );
  const record = fc.record(fields, { requiredKeys: [...required].filter((k) => k in properties) });
  const extra = schema.additionalProperties;
  if (typeof extra !== 'object' || extra === null) return record;
  // A map (metadata, rates): keys by propertyNames or the examples' keys, values by the schema.
  const exampleKeys = Array.isArray(schema.examples)
    ? (schema.examples as unknown[]).flatMap((e) => (e && typeof e === 'object' ? Object.keys(e) : []))
    : [];
  const names = schema.propertyNames
    ? stringOf(resolve(doc, schema.propertyNames as Schema), { ids: [] }, undefined)
    : fc.string({ minLength: 1, maxLength: 20 });
  const keys = exampleKeys.length ? fc.oneof(fc.constantFrom(...exampleKeys), names) : names;
  const minKeys = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  const map = fc.dictionary(keys as fc.Arbitrary<string>, valueOf(doc, extra as Schema, hints, undefined, depth + 1), {
    minKeys,
    maxKeys: Math.max(minKeys, 3),
  });
  return fc.tuple(record, map).map(([r, m]) => ({ ...m, ...(r as Json) }));
}

/* ---------- Hostile changes to a valid-shaped value ---------- */

/** One change to a value: which node (by index among its nodes) and what happens to it. */
export type Mutation =
  | { at: number; kind: 'replace' | 'text'; value: unknown }
  | { at: number; kind: 'extra-key'; key: string; value: unknown }
  | { at: number; kind: 'drop-key' };

export const hostileLeaf = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: hostileString() },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(deepArray(), deepObject()) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        new RawJson(`[${Array(100_000).fill('0').join(',')}]`),
        new RawJson(`[${Array(10_000).fill('{"a":"b"}').join(',')}]`),
      ),
    },
    { weight: 1, arbitrary: fc.double() },
  );

export const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    // Most changes put hostile text where text goes: that is where a 500 hides past validation.
    { weight: 8, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('text' as const), value: hostileString() }) },
    { weight: 4, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('replace' as const), value: hostileLeaf() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        at: fc.nat(),
        kind: fc.constant('extra-key' as const),
        key: fc.constantFrom(...EXTRA_KEYS),
        value: fc.oneof(hostileLeaf(), fc.constant('x')),
      }),
    },
    { weight: 1, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('drop-key' as const) }) },
  );

/** A copy of the value with the mutations applied (a copy: fast-check may hand out the same value again). */
export function mutate(value: unknown, mutations: Mutation[]): unknown {
  let root = copy(value);
  for (const m of mutations) {
    const nodes = nodesOf(root);
    const texts = nodes.filter((n) => typeof n.value === 'string');
    const pool = m.kind === 'text' && texts.length ? texts : nodes;
    const target = pool[m.at % pool.length]!;
    // Inserted values are copied too: a shared constant ({} from WRONG_TYPES) must never be changed.
    if (m.kind === 'replace' || m.kind === 'text') {
      if (target.parent === undefined) root = copy(m.value);
      else (target.parent as Record<string | number, unknown>)[target.key!] = copy(m.value);
    } else if (m.kind === 'extra-key') {
      const objects = nodes.filter((n) => isPlainObject(n.value));
      const home = objects[m.at % Math.max(objects.length, 1)];
      if (home) defineKey(home.value as Json, m.key, copy(m.value));
      else root = { [m.key]: copy(m.value) };
    } else if (target.parent !== undefined && !Array.isArray(target.parent)) {
      delete (target.parent as Json)[target.key as string];
    }
  }
  return root;
}

interface Node {
  value: unknown;
  parent?: unknown;
  key?: string | number;
}

function nodesOf(root: unknown): Node[] {
  const nodes: Node[] = [{ value: root }];
  const walk = (value: unknown) => {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : isPlainObject(value)
        ? Object.entries(value)
        : [];
    for (const [key, v] of entries) {
      nodes.push({ value: v, parent: value, key });
      walk(v);
    }
  };
  walk(root);
  return nodes;
}

const isPlainObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);

/** `__proto__` as an own key, as JSON.parse would make it, not a prototype change. */
function defineKey(target: Json, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) defineKey(out, k, copy(v));
    return out;
  }
  return value;
}

/** What is hostile in a JSON value, as `<category>@body` tags (see known-failing.ts). */
export function valueCategories(value: unknown, where = 'body'): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const c of stringCategories(v)) found.add(`${c}@${where}`);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v))
      for (const [k, x] of Object.entries(v)) {
        for (const c of stringCategories(k)) found.add(`${c}@${where}`);
        walk(x);
      }
  };
  walk(value);
  return [...found];
}
