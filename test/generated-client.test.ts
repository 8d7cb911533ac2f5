import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_FLOWS_SOURCE } from './support/client-flows.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from './support/harness.js';

const ROOT = path.resolve(import.meta.dirname, '..');

type Json = { [key: string]: unknown };
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>;
  components: { schemas: Record<string, Json> };
}

// A client generated from the served document drives the main flows against the listening server. It
// fails when the two disagree: the script does not compile against the generated types, a call answers
// a status the document does not list, or a body does not match the document's schema for it.
describe('a client generated from /api/docs/json', () => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let baseUrl: string;
  let dir: string;
  let doc: Doc;

  beforeAll(async () => {
    paydesk = await startTestPaydesk('pglite');
    brand = await paydesk.newBrand();
    await paydesk.app.listen({ port: 0, host: '127.0.0.1' });
    const address = paydesk.app.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    baseUrl = `http://127.0.0.1:${address.port}`;
    // Inside the tree (test-results/ is ignored) so the script resolves openapi-fetch from node_modules.
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, 'test-results', 'generated-client-'));
    doc = (await (await fetch(`${baseUrl}/api/docs/json`)).json()) as Doc;
  });
  afterAll(async () => {
    await paydesk?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates named types, compiles the flows against them and runs them', async () => {
    const types = astToString(await openapiTS(doc as never));
    expect(types).toContain('Customer: {');
    expect(types).toContain('createOrEditCustomer: {');
    fs.writeFileSync(path.join(dir, 'openapi.ts'), types);
    const script = path.join(dir, 'flows.ts');
    fs.writeFileSync(script, CLIENT_FLOWS_SOURCE);

    expect(typeErrors(script)).toEqual([]);

    const mismatches: string[] = [];
    const validate = responseValidator(doc);
    const middleware: Middleware = {
      async onResponse({ request, response, schemaPath }) {
        const problem = await validate(request.method.toLowerCase(), schemaPath, response.clone());
        if (problem) mismatches.push(`${request.method} ${schemaPath}: ${problem}`);
      },
    };
    const { runFlows } = (await import(script)) as {
      runFlows: (baseUrl: string, apiKey: string, middleware: Middleware) => Promise<FlowResults>;
    };
    const results = await runFlows(baseUrl, brand.token, middleware);
    expect(mismatches).toEqual([]);

    expect(results.created).toMatchObject({ phone: '+8801700000000', replayed: true });
    expect(results.created.email).toMatch(/^ayesha\..+@example\.com$/);
    expect(results.search).toEqual([results.created.id]);
    expect(results.upsert).toEqual({
      firstStatus: 201,
      secondStatus: 200,
      sameId: true,
      id: expect.stringMatching(/^cus_/),
      name: 'Karim Ahmed Khan',
      metadata: { shop_user: 'u-77' },
    });
    // Ayesha, Karim and two more, before any payment registered a payer: two pages of three.
    expect(results.list.pages).toBe(2);
    expect(results.list.ids).toHaveLength(4);
    expect(new Set(results.list.ids).size).toBe(4);
    expect(results.list.ids).toEqual(expect.arrayContaining([results.created.id, results.upsert.id]));
    expect(results.link).toMatchObject({ amount: { amount: 250000, currency: 'BDT' }, paid: 'succeeded' });
    expect(results.checkout).toMatchObject({
      status: 'succeeded',
      amount: { amount: 349900, currency: 'BDT' },
      secondStatus: 409,
      secondCode: 'checkout_completed',
    });
    expect(results.refund).toMatchObject({ type: 'refund', amount: { amount: 100000, currency: 'BDT' } });
    expect(results.payment).toEqual({
      status: 'partially_refunded',
      refunded: { amount: 100000, currency: 'BDT' },
    });
    expect(results.payer).toMatchObject({ transactions: 1, spent: { amount: 249900, currency: 'BDT' } });
    expect(results.missing).toEqual({ status: 404, code: 'customer_not_found' });
  });
});

interface FlowResults {
  created: { id: string; email: string; phone: string | null; replayed: boolean };
  search: string[];
  upsert: Record<string, unknown> & { id: string };
  list: { ids: string[]; pages: number };
  link: Record<string, unknown>;
  checkout: Record<string, unknown>;
  refund: Record<string, unknown>;
  payment: Record<string, unknown>;
  payer: Record<string, unknown> | null;
  missing: Record<string, unknown>;
}

/** The compiler's verdict on the script, as strict as the repository's own settings. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

/**
 * Checks one response against the document: its status must be listed and its body must match the
 * schema, with no property the schema does not name (unevaluatedProperties), so an undocumented or
 * mistyped field fails as surely as a missing one.
 */
function responseValidator(doc: Doc) {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const strictDoc = structuredClone(doc) as unknown as Json & Doc;
  const inAllOf = allOfMembers(strictDoc);
  for (const [name, schema] of Object.entries(strictDoc.components.schemas)) closeObjects(schema, inAllOf.has(name));
  closeObjects(strictDoc.paths);
  ajv.addSchema({ ...strictDoc, $id: 'openapi.json' });

  return async (method: string, schemaPath: string, response: Response): Promise<string | null> => {
    const documented = doc.paths[schemaPath]?.[method]?.responses[String(response.status)];
    if (!documented) return `status ${response.status} is not documented`;
    const [mediaType] = (response.headers.get('content-type') ?? '').split(';');
    const media = documented.content?.[mediaType ?? ''];
    if (!documented.content) return response.status === 204 ? null : 'a body the document does not describe';
    if (!media) return `content type ${mediaType} is not documented`;
    const pointer = ['paths', schemaPath, method, 'responses', String(response.status), 'content', mediaType, 'schema']
      .map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    const check = ajv.getSchema(`openapi.json#/${pointer}`);
    if (!check) return `no schema at ${pointer}`;
    const body: unknown = await response.json();
    return check(body) ? null : ajv.errorsText(check.errors);
  };
}

/** Components used inside allOf: closing them would refuse the other members' properties. */
function allOfMembers(doc: Json): Set<string> {
  const names = new Set<string>();
  JSON.stringify(doc, (key, value: unknown) => {
    if (key === 'allOf' && Array.isArray(value)) {
      for (const member of value as Json[]) {
        if (typeof member.$ref === 'string') names.add(member.$ref.split('/').pop()!);
      }
    }
    return value;
  });
  return names;
}

/** Adds unevaluatedProperties: false to every object schema that does not say what else it allows. */
function closeObjects(node: unknown, open = false): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
    return;
  }
  const schema = node as Json;
  const isObject = typeof schema.properties === 'object' || Array.isArray(schema.allOf);
  if (!open && isObject && schema.additionalProperties === undefined && schema.unevaluatedProperties === undefined) {
    schema.unevaluatedProperties = false;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'examples') continue;
    // An allOf member sees only its own properties: the allOf's owner is closed instead.
    if (key === 'allOf' && Array.isArray(value)) for (const member of value) closeObjects(member, true);
    else closeObjects(value);
  }
}
