import { brandMarker } from './load-scan.js';
import {
  call,
  chance,
  createCustomer,
  FIRST,
  LAST,
  newContact,
  own,
  pick,
  type Client,
  type LoadRole,
  type World,
} from './load-workload.js';
import { CARDS } from './payments.js';

// The load test's operations, picked at random by weight; each checks its answers through call().

const maskedRole = (): LoadRole => (chance(0.5) ? 'support' : 'viewer');
const anyReader = (): LoadRole => pick(['owner', 'support', 'viewer'] as const);
const query = (params: Record<string, string | number | boolean | undefined>) =>
  new URLSearchParams(
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();

type Operation = (world: World, client: Client) => Promise<void>;

const upsert: Operation = async (world, { brand }) => {
  const existing = brand.customers.length > 0 && chance(0.6) ? pick(brand.customers) : undefined;
  const contact = newContact(world, brand);
  const body = { name: contact.name, email: existing?.email ?? contact.email, phone: contact.phone };
  const result = await call(world, 'upsert', brand, 'owner', 'PUT', '/api/v1/customers', { body, expect: [200, 201] });
  if (result?.status === 201) {
    own(world, brand, result.json.id);
    brand.customers.push({ id: result.json.id, email: body.email, phone: body.phone });
  }
};

const edit: Operation = async (world, { brand }) => {
  const customer = pick(brand.customers);
  const contact = newContact(world, brand);
  const body = chance(0.5) ? { name: contact.name } : { phone: contact.phone, metadata: { edited: String(world.seq) } };
  await call(world, 'edit', brand, 'owner', 'PATCH', `/api/v1/customers/${customer.id}`, { body, expect: [200] });
};

const search: Operation = async (world, { brand }) => {
  const customer = pick(brand.customers);
  const q = pick([
    pick(FIRST),
    pick(FIRST).slice(0, 2),
    `${brandMarker(brand.index)}${Math.floor(Math.random() * 9) + 1}`,
    customer.email,
    customer.phone.slice(-6),
    `${pick(FIRST)} ${pick(LAST)}`,
  ]);
  await call(world, 'search', brand, anyReader(), 'GET', `/api/v1/customers?${query({ q, limit: 20 })}`, {
    expect: [200],
  });
};

/** A search for another brand's marker must find nothing (the scan would also flag any row). */
const foreignSearch: Operation = async (world, { brand }) => {
  const other = pick(world.brands.filter((b) => b !== brand));
  const q = chance(0.5) ? brandMarker(other.index) : (other.customers[0]?.email ?? brandMarker(other.index));
  const result = await call(world, 'foreign_search', brand, anyReader(), 'GET', `/api/v1/customers?${query({ q })}`, {
    expect: [200],
  });
  if (result && result.json.data.length > 0) world.stats.fail('leak', `search for brand ${other.index} found rows`);
};

const SORTS = ['-created_at', 'created_at', '-total_spent', 'total_spent', '-transactions_count', '-last_payment_at'];
const list: Operation = async (world, { brand }) => {
  const params = {
    sort: pick(SORTS),
    limit: pick([10, 20, 50, 100]),
    has_payments: chance(0.3) ? chance(0.5) : undefined,
    source: chance(0.3) ? pick(['api', 'checkout', 'api,checkout']) : undefined,
    total_spent_gte: chance(0.2) ? 10_000 : undefined,
    created_gte: chance(0.2) ? world.startedAt : undefined,
    no_payment_days: chance(0.1) ? 30 : undefined,
    status: chance(0.1) ? 'active' : undefined,
    q: chance(0.2) ? pick(FIRST) : undefined,
  };
  const role = anyReader();
  const first = await call(world, 'list', brand, role, 'GET', `/api/v1/customers?${query(params)}`, { expect: [200] });
  if (first?.json.next_cursor && chance(0.3)) {
    const next = query({ ...params, cursor: first.json.next_cursor });
    await call(world, 'list', brand, role, 'GET', `/api/v1/customers?${next}`, { expect: [200] });
  }
};

const listTransactions: Operation = async (world, { brand }) => {
  const params = {
    limit: pick([10, 50]),
    status: chance(0.3) ? 'succeeded' : undefined,
    type: chance(0.3) ? pick(['payment', 'refund']) : undefined,
    customer_id: chance(0.2) ? pick(brand.customers).id : undefined,
  };
  await call(world, 'list_transactions', brand, anyReader(), 'GET', `/api/v1/transactions?${query(params)}`, {
    expect: [200],
  });
};

const counts: Operation = async (world, { brand }) => {
  const path = chance(0.5) ? '/api/v1/customers/stats' : `/api/v1/customers/count?${query({ q: pick(FIRST) })}`;
  await call(world, 'count', brand, anyReader(), 'GET', path, { expect: [200] });
};

/** A checkout session paid on its public page, half the time by an existing customer's email. */
const checkout: Operation = async (world, client) => {
  const { brand } = client;
  const amount = 10_000 + Math.floor(Math.random() * 190_000);
  const session = await call(world, 'checkout_create', brand, 'owner', 'POST', '/api/v1/checkout-sessions', {
    body: { amount, currency: 'BDT', description: `Order ${brandMarker(brand.index)}` },
    expect: [201],
  });
  if (!session) return;
  own(world, brand, session.json.id);
  brand.checkouts.push(session.json.id);
  const contact = newContact(world, brand, 'p');
  const email = chance(0.5) ? pick(brand.customers).email : contact.email;
  const url = `/api/public${session.json.url}`;
  await call(world, 'checkout_page', brand, 'public', 'GET', url, { expect: [200] });
  const result = await call(world, 'checkout_pay', brand, 'public', 'POST', url, {
    body: { name: contact.name, email, phone: contact.phone, card: CARDS.ok },
    expect: [200],
  });
  if (!result) return;
  if (result.json.status !== 'succeeded') world.stats.fail('unexpected_status', `pay: ${JSON.stringify(result.json)}`);
  own(world, brand, result.json.transaction_id);
  own(world, brand, result.json.customer_id);
  brand.transactions.push(result.json.transaction_id);
  if (email === contact.email) brand.customers.push({ id: result.json.customer_id, email, phone: contact.phone });
  client.payments.push({ id: result.json.transaction_id, left: amount });
};

const refund: Operation = async (world, client) => {
  const payment = client.payments.find((p) => p.left > 0);
  if (!payment) return checkout(world, client);
  const amount = chance(0.5) ? undefined : 1 + Math.floor(Math.random() * payment.left);
  const { brand } = client;
  const result = await call(world, 'refund', brand, 'owner', 'POST', `/api/v1/transactions/${payment.id}/refunds`, {
    body: amount === undefined ? {} : { amount },
    expect: [201],
  });
  if (!result) return;
  payment.left -= amount ?? payment.left;
  own(world, brand, result.json.id);
  brand.transactions.push(result.json.id);
};

/** Support may reveal (with a reason, audited); a viewer may not. */
const reveal: Operation = async (world, { brand }) => {
  const role = maskedRole();
  const customer = pick(brand.customers);
  // Noted before asking: another client's read may see the reveal before this answer arrives.
  if (role === 'support') brand.revealed.add(customer.id);
  await call(world, 'reveal', brand, role, 'POST', `/api/v1/customers/${customer.id}/reveal`, {
    body: { reason: 'Customer called about an order' },
    expect: role === 'support' ? [200] : [403],
    reveal: role === 'support',
  });
};

const maskedRead: Operation = async (world, { brand }) => {
  const path =
    brand.transactions.length > 0 && chance(0.3)
      ? `/api/v1/transactions/${pick(brand.transactions)}`
      : `/api/v1/customers/${pick(brand.customers).id}`;
  await call(world, 'masked_read', brand, maskedRole(), 'GET', path, { expect: [200] });
};

/** Another brand's ids, asked for by this brand's keys: the same 404 as an id that never existed. */
const probe: Operation = async (world, { brand }) => {
  const other = pick(world.brands.filter((b) => b !== brand));
  const customer = pick(other.customers).id;
  const transaction = other.transactions.length > 0 ? pick(other.transactions) : undefined;
  const attempts: [LoadRole, string, string, unknown, string][] = [
    ['owner', 'GET', `/api/v1/customers/${customer}`, undefined, customer],
    ['viewer', 'GET', `/api/v1/customers/${customer}`, undefined, customer],
    ['owner', 'PATCH', `/api/v1/customers/${customer}`, { name: 'Taken Over' }, customer],
    ['support', 'POST', `/api/v1/customers/${customer}/reveal`, { reason: 'Customer called us' }, customer],
  ];
  if (transaction) {
    attempts.push(['owner', 'GET', `/api/v1/transactions/${transaction}`, undefined, transaction]);
    attempts.push(['owner', 'POST', `/api/v1/transactions/${transaction}/refunds`, {}, transaction]);
  }
  const [role, method, path, body, echo] = pick(attempts);
  await call(world, 'cross_brand_probe', brand, role, method, path, { body, expect: [404], echo });
};

const WEIGHTED: [Operation, number][] = [
  [(world, client) => createCustomer(world, client.brand), 12],
  [upsert, 4],
  [edit, 10],
  [search, 14],
  [foreignSearch, 3],
  [list, 12],
  [listTransactions, 5],
  [counts, 2],
  [checkout, 10],
  [refund, 6],
  [reveal, 7],
  [maskedRead, 10],
  [probe, 5],
];
const TOTAL_WEIGHT = WEIGHTED.reduce((sum, [, w]) => sum + w, 0);

function nextOperation(): Operation {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [operation, weight] of WEIGHTED) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return WEIGHTED[0]![0];
}

/** One client: operations back to back until the deadline. */
export async function runClient(world: World, client: Client, deadline: number): Promise<void> {
  while (Date.now() < deadline) await nextOperation()(world, client);
}
