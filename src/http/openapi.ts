import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER, SESSION_COOKIE } from '../modules/staff/index.js';
import { READ, WRITE } from './openapi-security.js';
import { DOCS_CONTENT_SECURITY_POLICY } from './security-headers.js';

/** Tags in the order the UI lists them; each names the README section that explains it. */
const TAGS = [
  { name: 'Health', description: 'README "Health": liveness, no key needed.' },
  { name: 'Customers', description: 'README "API": create, retrieve, update, list and search, CreateOrEdit, delete.' },
  { name: 'Payment links', description: 'README "Payment links": reusable pay pages at /pay/{slug}.' },
  { name: 'Checkout sessions', description: 'README "Checkout sessions": a one-time pay page at /checkout/{token}.' },
  { name: 'Invoices', description: 'README "Invoices": numbered bills with a pay page at /invoice/{token}.' },
  { name: 'Transactions and refunds', description: 'README "Transactions and refunds": the ledger.' },
  { name: 'Exchange rates', description: 'README "Exchange rates and the base currency".' },
  { name: 'Brand', description: 'README "Brands": several brands, their profile and automatic creation per source.' },
  { name: 'Site users', description: 'README "Site users": storefront accounts, registration and linking.' },
  { name: 'Orders', description: 'README "Orders": line items, paid online or offline (cash on delivery).' },
  { name: 'Reconcile', description: 'README "Reconcile": customers\' aggregates against the ledger.' },
  {
    name: 'Public pay pages',
    description: 'What the public client pages call: no authentication (README "Payments").',
  },
  { name: 'Staff and sign-in', description: 'README "Staff and sign-in": staff accounts, sessions, roles per brand.' },
  { name: 'Key management', description: 'README "Key management": encryption keys and their rotation.' },
  { name: 'API keys', description: 'README "API keys".' },
  { name: 'Audit log', description: 'README "Audit log".' },
  {
    name: 'Webhooks',
    description:
      'README "Webhooks": signed events (Standard Webhooks) for customer, payment, invoice and order changes, from a transactional outbox.',
  },
];

/**
 * OpenAPI 3.1 generated from the route schemas: JSON at /api/docs/json, a browsable UI at /api/docs.
 * Route schemas stay inline, so Fastify validates and serializes exactly what they say; the document
 * then names every schema with a TypeBox `title` once, under components.schemas (hoistTitledSchemas).
 */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Paydesk API',
        version: '1.0.0',
        license: { name: 'ISC', identifier: 'ISC' },
        description:
          'Customers and payments of one brand. Authenticate with `Authorization: Bearer pdk_…` (the key decides the ' +
          'brand and role), or, from the dashboard, with the staff session cookie plus the `X-CSRF-Token` header on ' +
          'requests that change state. Errors are RFC 9457 `application/problem+json` with a stable `code` and, for ' +
          'invalid fields, `errors[].field`. Bodies are UTF-8 JSON (`application/json`), sent uncompressed: another ' +
          'Content-Type, or a Content-Encoding other than identity (gzip included), is 415 `unsupported_media_type`; ' +
          'bytes that are not UTF-8, nesting deeper than 64 levels or a key twice in one object are 400 `invalid_json`. ' +
          'Text anywhere (body, path, query, the headers read) must not hold NUL, other control characters but tab, ' +
          'LF and CR, or unpaired surrogates: 422 naming the field (`path.id`, `query.customer_id`). Limits: body 1 ' +
          'MiB (413), URL 8 KiB (414 `uri_too_long`), headers 16 KiB (431 `header_too_large`).',
      },
      // Self-hosted: each installation has its own address.
      servers: [
        {
          url: '{origin}',
          description: 'Your Paydesk server',
          variables: {
            origin: {
              default: 'http://127.0.0.1:3000',
              description: 'Where it listens (HOST and PORT; the https address of a proxy in front of it)',
            },
          },
        },
      ],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A pdk_… API key' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The HTTP-only staff session cookie POST /api/v1/session sets',
          },
          csrfToken: {
            type: 'apiKey',
            in: 'header',
            name: CSRF_HEADER,
            description: "The session's csrf_token; needed with the cookie on POST, PUT, PATCH and DELETE",
          },
        },
      },
      security: WRITE,
    },
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      const doc = documentObject.openapiObject;
      defaultReadSecurity(doc as OpenApiDocument);
      hoistTitledSchemas(doc as OpenApiDocument);
      return doc;
    },
  });
  // Its own scripts and styles only, nothing inline, no framing (security-headers.ts).
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CONTENT_SECURITY_POLICY });
}

type Json = { [key: string]: unknown };
interface OpenApiDocument {
  paths?: Record<string, Record<string, Json>>;
  components?: { schemas?: Record<string, Json> };
}

/** GET needs no CSRF header (auth.ts checks it on state-changing methods only). */
function defaultReadSecurity(doc: OpenApiDocument): void {
  for (const operations of Object.values(doc.paths ?? {})) {
    const get = operations.get;
    if (get && get.security === undefined) get.security = READ;
  }
}

/** Where JSON Schema nests schemas: keyword → one schema, an array of them, or a map of them. */
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const MANY = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', '$defs'];

/**
 * Moves every schema with a `title` to components.schemas[title] and puts a $ref in its place, innermost
 * first, so Customer inside CustomerList is one reference too. Two different schemas under one title are
 * a mistake in the route schemas and fail loudly. A schema's `examples` are kept once: @fastify/swagger
 * moves them to the media object when the schema is a whole body, but leaves them on nested copies.
 */
export function hoistTitledSchemas(doc: OpenApiDocument): void {
  const components = ((doc.components ??= {}).schemas ??= {});
  const keys = new Map<string, string>();

  const hoist = (schema: unknown): unknown => {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
    const node = schema as Json;
    for (const key of ONE) if (key in node) node[key] = hoist(node[key]);
    for (const key of MANY) if (Array.isArray(node[key])) node[key] = (node[key] as unknown[]).map(hoist);
    for (const key of MAP) {
      const map = node[key];
      if (typeof map === 'object' && map !== null) {
        for (const [name, value] of Object.entries(map)) (map as Json)[name] = hoist(value);
      }
    }
    const title = node.title;
    if (typeof title !== 'string' || '$ref' in node) return node;
    const { examples, ...shape } = node;
    const key = canonical(shape);
    const known = keys.get(title);
    if (known === undefined) {
      keys.set(title, key);
      components[title] = shape;
    } else if (known !== key) {
      throw new Error(`Two different schemas are titled ${title}: give one of them another title`);
    }
    if (examples !== undefined) components[title]!.examples ??= examples;
    return { $ref: `#/components/schemas/${title}` };
  };

  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of (operation.parameters ?? []) as Json[]) parameter.schema = hoist(parameter.schema);
      const bodies = [operation.requestBody, ...Object.values((operation.responses ?? {}) as Json)] as (
        Json | undefined
      )[];
      for (const body of bodies) {
        for (const media of Object.values((body?.content ?? {}) as Record<string, Json>)) {
          media.schema = hoist(media.schema);
        }
      }
    }
  }
}

/** JSON with sorted keys: equal schemas give equal text whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
