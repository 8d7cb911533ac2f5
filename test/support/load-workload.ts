import { performance } from 'node:perf_hooks';
import type { TestPaydesk } from './harness.js';
import { brandMarker, scanBody, seededEmail, seededName, seededPhone } from './load-scan.js';
import { LoadStats } from './load-stats.js';

// The load test's world: brands with an owner, a support and a viewer key, clients that each work for
// one brand, and the one request function that checks every answer (status, brand, masking).

export type LoadRole = 'owner' | 'support' | 'viewer' | 'public';

export interface LoadBrand {
  index: number;
  id: string;
  tokens: Record<Exclude<LoadRole, 'public'>, string>;
  /** Customers with the email they were created with (never changed) and a phone they had. */
  customers: { id: string; email: string; phone: string }[];
  transactions: string[];
  checkouts: string[];
  /** Customers the brand's support key revealed (or is revealing): their GET may answer raw for 15 minutes. */
  revealed: Set<string>;
}

export interface World {
  baseUrl: string;
  brands: LoadBrand[];
  /** Brand index of every id the load created: an answer to another brand showing it is a leak. */
  owners: Map<string, number>;
  /** Every id each brand's callers were shown, for the check against the database at the end. */
  seen: Set<string>[];
  stats: LoadStats;
  seq: number;
  startedAt: string;
}

/** One client's own payments, so its refunds never race another client's over what is left. */
export interface Client {
  brand: LoadBrand;
  payments: { id: string; left: number }[];
}

export async function newWorld(pd: TestPaydesk, baseUrl: string, brandCount: number): Promise<World> {
  const brands: LoadBrand[] = [];
  for (let index = 0; index < brandCount; index++) {
    const brand = await pd.newBrand({ name: `Load ${brandMarker(index)}` });
    const [support, viewer] = [await pd.keyFor(brand, 'support'), await pd.keyFor(brand, 'viewer')];
    brands.push({
      index,
      id: brand.id,
      tokens: { owner: brand.token, support, viewer },
      customers: [],
      transactions: [],
      checkouts: [],
      revealed: new Set(),
    });
  }
  const owners = new Map<string, number>(brands.map((b) => [b.id, b.index]));
  const seen = brands.map(() => new Set<string>());
  return { baseUrl, brands, owners, seen, stats: new LoadStats(), seq: 0, startedAt: new Date().toISOString() };
}

interface CallOptions {
  body?: unknown;
  expect: number[];
  /** A reveal: raw contact data is the point of the answer. */
  reveal?: boolean;
  /** Another brand's id the caller put in the request, which a 404 may echo back. */
  echo?: string;
}

/** The fields of an answer the load reads (ids, page urls, list pages, reconcile reports). */
export interface Answer {
  id: string;
  url: string;
  status: string;
  transaction_id: string;
  customer_id: string;
  data: unknown[];
  next_cursor: string | null;
  drift: unknown[];
}

/** One HTTP request as `role` of `brand`, recorded and checked; the parsed JSON, or undefined. */
export async function call(
  world: World,
  operation: string,
  brand: LoadBrand,
  role: LoadRole,
  method: string,
  path: string,
  options: CallOptions,
): Promise<{ status: number; json: Answer } | undefined> {
  const headers: Record<string, string> = {};
  if (role !== 'public') headers.authorization = `Bearer ${brand.tokens[role]}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const { stats } = world;
  const started = performance.now();
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${world.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    stats.fail('network', `${operation} ${method} ${path}: ${String(error)}`);
    return undefined;
  }
  stats.record(operation, status, performance.now() - started);
  const where = `${operation} ${role}@${brand.index} ${method} ${path} → ${status}`;
  if (status >= 500) stats.fail('5xx', `${where} ${text.slice(0, 300)}`);
  else if (!options.expect.includes(status)) stats.fail('unexpected_status', `${where} ${text.slice(0, 300)}`);

  const masked =
    (role === 'support' || role === 'viewer') && !options.reveal && !(role === 'support' && ownReveal(text, brand));
  const scan = scanBody(text, { brand: brand.index, masked });
  for (const violation of scan.violations) {
    stats.fail(violation.startsWith('raw') ? 'raw_contact' : 'leak', `${where}: ${violation}`);
  }
  const seen = world.seen[brand.index]!;
  for (const id of scan.ids) {
    if (id === options.echo) continue;
    const owner = world.owners.get(id);
    if (owner !== undefined && owner !== brand.index) stats.fail('leak', `${where}: brand ${owner}'s ${id}`);
    seen.add(id);
  }
  if (!options.expect.includes(status)) return undefined;
  try {
    return { status, json: (text ? JSON.parse(text) : {}) as Answer };
  } catch {
    stats.fail('unexpected_status', `${where}: not JSON: ${text.slice(0, 100)}`);
    return undefined;
  }
}

export const FIRST = ['Farida', 'Rahim', 'Karim', 'Nadia', 'Ayesha', 'Tanvir', 'Sadia', 'Imran', 'Nusrat', 'Jamal'];
export const LAST = ['Rahman', 'Uddin', 'Hossain', 'Akter', 'Chowdhury', 'Islam', 'Begum', 'Khan'];
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
export const chance = (p: number) => Math.random() < p;

export function newContact(world: World, brand: LoadBrand, kind: 'e' | 'p' = 'e') {
  const seq = ++world.seq;
  return {
    name: seededName(pick(FIRST), pick(LAST), brand.index, seq),
    email: seededEmail(kind, brand.index, seq),
    phone: seededPhone(brand.index, seq),
  };
}

export function own(world: World, brand: LoadBrand, id: unknown): void {
  if (typeof id === 'string') world.owners.set(id, brand.index);
}

export async function createCustomer(world: World, brand: LoadBrand, operation = 'create'): Promise<void> {
  const body = { ...newContact(world, brand), metadata: { load: 'yes' } };
  const result = await call(world, operation, brand, 'owner', 'POST', '/api/v1/customers', { body, expect: [201] });
  if (!result) return;
  own(world, brand, result.json.id);
  brand.customers.push({ id: result.json.id, email: body.email, phone: body.phone });
}

/**
 * A customer the support key revealed, answered raw while its reveal lasts: the answer says so
 * (contact_revealed_until) and the load did reveal that customer. Anything else raw is a leak.
 */
function ownReveal(text: string, brand: LoadBrand): boolean {
  if (!text.includes('"contact_revealed_until":"')) return false;
  try {
    const body = JSON.parse(text) as { object?: string; id?: string; contact_revealed_until?: string | null };
    return body.object === 'customer' && Boolean(body.contact_revealed_until) && brand.revealed.has(body.id ?? '');
  } catch {
    return false;
  }
}
