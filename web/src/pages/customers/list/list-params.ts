import type { CustomerListParams, CustomerSort } from '../../../api/types';

/*
 * The list's state lives in the address bar, as the API's own query parameters (plus `view`), so a link or a
 * reload opens the same list and a saved view is just these parameters. Normalised: no empty keys, the
 * default sort left out, sources in one order; equal lists have equal parameters.
 */

export const DEFAULT_SORT: CustomerSort = '-created_at';

export const SORTS: readonly CustomerSort[] = [
  '-created_at',
  'created_at',
  '-total_spent',
  'total_spent',
  '-transactions_count',
  'transactions_count',
  '-last_payment_at',
  'last_payment_at',
];

/** The server's sources (customer.table.ts), in the order the filter lists them. */
export const SOURCES = [
  'payment_link',
  'checkout',
  'invoice',
  'order',
  'registration',
  'dashboard',
  'import',
  'api',
  'demo',
] as const;

const DATE_KEYS = ['created_gte', 'created_lt', 'last_payment_gte', 'last_payment_lt', 'last_payment_before'] as const;
const AMOUNT_KEYS = ['total_spent_gte', 'total_spent_lt', 'no_payment_days'] as const;
const BOOLEAN_KEYS = ['has_payments', 'has_user'] as const;

/** Every key the list reads from the address, in the order it writes them. */
export const LIST_KEYS = [
  'view',
  'q',
  'sort',
  'source',
  ...DATE_KEYS,
  ...AMOUNT_KEYS,
  ...BOOLEAN_KEYS,
  'tag',
  'status',
] as const;

export type FilterKey = Exclude<keyof CustomerListParams, 'sort' | 'q'>;

export function readListParams(search: URLSearchParams): CustomerListParams {
  const params: CustomerListParams = {};
  const q = search.get('q')?.trim();
  if (q) params.q = q.slice(0, 200);
  const sort = search.get('sort') as CustomerSort | null;
  if (sort && SORTS.includes(sort)) params.sort = sort;
  const sources = parseSources(search.get('source'));
  if (sources.length > 0) params.source = sources.join(',');
  for (const key of DATE_KEYS) {
    const value = search.get(key);
    if (value && !Number.isNaN(Date.parse(value))) params[key] = new Date(value).toISOString();
  }
  for (const key of AMOUNT_KEYS) {
    const value = search.get(key);
    if (value && /^\d{1,15}$/.test(value)) params[key] = Number(value);
  }
  for (const key of BOOLEAN_KEYS) {
    const value = search.get(key);
    if (value === 'true' || value === 'false') params[key] = value === 'true';
  }
  const tag = search.get('tag');
  if (tag && /^tag_\w+$/.test(tag)) params.tag = tag;
  const status = search.get('status');
  if (status === 'active' || status === 'suspended') params.status = status;
  return normalise(params);
}

/** The parameters without empty values or the default sort, sources in their one order. */
export function normalise(params: CustomerListParams): CustomerListParams {
  const out: Record<string, unknown> = {};
  for (const key of LIST_KEYS) {
    if (key === 'view') continue;
    const value = params[key];
    if (value === undefined || value === null || value === '') continue;
    if (key === 'sort' && value === DEFAULT_SORT) continue;
    if (key === 'source') {
      const sources = parseSources(String(value));
      if (sources.length > 0) out.source = sources.join(',');
      continue;
    }
    out[key] = value;
  }
  return out as CustomerListParams;
}

export function parseSources(text: string | null | undefined): string[] {
  const chosen = new Set((text ?? '').split(',').map((s) => s.trim()));
  return SOURCES.filter((source) => chosen.has(source));
}

export function toSearchParams(params: CustomerListParams, viewId?: string | null): URLSearchParams {
  const search = new URLSearchParams();
  if (viewId) search.set('view', viewId);
  for (const [key, value] of Object.entries(normalise(params))) search.set(key, String(value));
  return search;
}

export function sameParams(a: CustomerListParams, b: CustomerListParams): boolean {
  return toSearchParams(a).toString() === toSearchParams(b).toString();
}

export function withoutKeys(params: CustomerListParams, keys: readonly (keyof CustomerListParams)[]) {
  const copy = { ...params };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Whether anything narrows the list (a search or a filter), as opposed to only sorting it. */
export function isFiltered(params: CustomerListParams): boolean {
  return Object.keys(withoutKeys(normalise(params), ['sort'])).length > 0;
}

export function sortKey(sort: CustomerSort | undefined): { key: string; direction: 'asc' | 'desc' } {
  const value = sort ?? DEFAULT_SORT;
  return value.startsWith('-') ? { key: value.slice(1), direction: 'desc' } : { key: value, direction: 'asc' };
}
