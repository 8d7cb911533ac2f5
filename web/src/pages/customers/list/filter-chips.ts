import type { CustomerListParams, CustomerSort, CustomerTag } from '../../../api/types';
import { formatDate } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { isoToLastDay } from './dates';
import { DEFAULT_SORT, parseSources, type FilterKey } from './list-params';

/** Short enough for a phone's sort menu. */
export const SORT_LABELS: Record<CustomerSort, string> = {
  '-created_at': 'Newest first',
  created_at: 'Oldest first',
  '-total_spent': 'Highest spent',
  total_spent: 'Lowest spent',
  '-transactions_count': 'Most transactions',
  transactions_count: 'Fewest transactions',
  '-last_payment_at': 'Paid most recently',
  last_payment_at: 'Paid least recently',
};

export const SOURCE_LABELS: Record<string, string> = {
  payment_link: 'Payment link',
  checkout: 'Checkout',
  invoice: 'Invoice',
  order: 'Order',
  registration: 'Site registration',
  dashboard: 'Dashboard',
  import: 'Import',
  api: 'API',
  demo: 'Demo data',
};

export interface FilterChip {
  label: string;
  /** What removing the chip takes out of the list's parameters. */
  keys: FilterKey[];
}

const day = (iso: string) => formatDate(iso);
const lastDay = (iso: string) => {
  const [y, m, d] = isoToLastDay(iso).split('-').map(Number);
  return formatDate(new Date(y!, m! - 1, d!).toISOString());
};

function range(from: string | undefined, to: string | undefined): string {
  if (from && to) return `${day(from)} – ${lastDay(to)}`;
  if (from) return `since ${day(from)}`;
  return `until ${lastDay(to!)}`;
}

/** The active filters, one chip each, in words ("Source: Payment link, Checkout"). */
export function filterChips(
  params: CustomerListParams,
  context: { tags: CustomerTag[] | undefined; currency: string | undefined },
): FilterChip[] {
  const chips: FilterChip[] = [];
  const sources = parseSources(params.source);
  if (sources.length > 0) {
    chips.push({ label: `Source: ${sources.map((s) => SOURCE_LABELS[s] ?? s).join(', ')}`, keys: ['source'] });
  }
  if (params.created_gte || params.created_lt) {
    chips.push({
      label: `Created ${range(params.created_gte, params.created_lt)}`,
      keys: ['created_gte', 'created_lt'],
    });
  }
  if (params.last_payment_gte || params.last_payment_lt) {
    chips.push({
      label: `Last payment ${range(params.last_payment_gte, params.last_payment_lt)}`,
      keys: ['last_payment_gte', 'last_payment_lt'],
    });
  }
  if (params.no_payment_days) {
    const n = params.no_payment_days;
    chips.push({ label: `No payment in ${n} day${n === 1 ? '' : 's'}`, keys: ['no_payment_days'] });
  }
  if (params.last_payment_before) {
    chips.push({ label: `No payment since ${day(params.last_payment_before)}`, keys: ['last_payment_before'] });
  }
  if (params.total_spent_gte !== undefined || params.total_spent_lt !== undefined) {
    const money = (amount: number) => (context.currency ? formatMoney({ amount, currency: context.currency }) : amount);
    const { total_spent_gte: min, total_spent_lt: max } = params;
    // The form's "up to" is inclusive; the API's upper bound is exclusive, one minor unit above.
    const label =
      min !== undefined && max !== undefined
        ? `${money(min)} – ${money(max - 1)}`
        : min !== undefined
          ? `at least ${money(min)}`
          : `up to ${money(max! - 1)}`;
    chips.push({ label: `Spent ${label}`, keys: ['total_spent_gte', 'total_spent_lt'] });
  }
  if (params.has_payments !== undefined) {
    chips.push({ label: params.has_payments ? 'Has paid' : 'Never paid', keys: ['has_payments'] });
  }
  if (params.has_user !== undefined) {
    chips.push({ label: params.has_user ? 'Has a site account' : 'No site account', keys: ['has_user'] });
  }
  if (params.tag) {
    const tag = context.tags?.find((t) => t.id === params.tag);
    chips.push({ label: `Tag: ${tag?.name ?? 'a deleted tag'}`, keys: ['tag'] });
  }
  if (params.status) {
    chips.push({ label: params.status === 'suspended' ? 'Suspended' : 'Active', keys: ['status'] });
  }
  return chips;
}

/** The list in words, for the Save view dialog: its search, filters and sort. */
export function listSummary(params: CustomerListParams, chips: FilterChip[]): string[] {
  return [
    ...(params.q ? [`Search “${params.q}”`] : []),
    ...chips.map((chip) => chip.label),
    SORT_LABELS[params.sort ?? DEFAULT_SORT],
  ];
}
