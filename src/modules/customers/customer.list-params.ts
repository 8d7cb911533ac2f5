import { fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import { CUSTOMER_SOURCES, type CustomerSource } from './customer.table.js';
import type { CustomerListParams, CustomerSortParam } from './customer.schemas.js';

/** What the list sorts by; each has an index and a keyset (customer-list.repository.ts). */
export type CustomerSortKey = 'created_at' | 'total_spent' | 'transactions_count' | 'last_payment_at';

export interface CustomerSort {
  key: CustomerSortKey;
  direction: 'asc' | 'desc';
}

/**
 * The list's filters, checked and typed. Ranges are half-open [gte, lt). Every field combines with
 * every other (AND).
 */
export interface CustomerFilter {
  sources?: CustomerSource[];
  createdGte?: Date;
  createdLt?: Date;
  lastPaymentGte?: Date;
  lastPaymentLt?: Date;
  /** No payment since: last payment before this, or none. */
  lastPaymentBefore?: Date;
  totalSpentGte?: number;
  totalSpentLt?: number;
  hasPayments?: boolean;
  hasUser?: boolean;
  tagId?: string;
  status?: 'active' | 'suspended';
}

export interface ParsedCustomerList {
  sort: CustomerSort;
  filter: CustomerFilter;
  /** The search text as given; undefined without a search. */
  q?: string;
}

export const DEFAULT_SORT: CustomerSortParam = '-created_at';

/**
 * From query parameters (already shape-checked by the schema) to a sort and a filter; what the
 * schema cannot say (a list of sources, a range the wrong way round) is a 422 naming the parameter.
 */
export function parseCustomerListParams(params: CustomerListParams, now: Date = new Date()): ParsedCustomerList {
  const sortParam = params.sort ?? DEFAULT_SORT;
  const sort: CustomerSort = sortParam.startsWith('-')
    ? { key: sortParam.slice(1) as CustomerSortKey, direction: 'desc' }
    : { key: sortParam as CustomerSortKey, direction: 'asc' };

  const filter: CustomerFilter = {};
  if (params.source !== undefined) filter.sources = parseSources(params.source);
  const date = (field: keyof CustomerListParams) => {
    const value = params[field];
    if (value === undefined) return undefined;
    const parsed = rfc3339(String(value));
    if (!parsed) throw fieldError(field, 'must be an ISO 8601 date-time (RFC 3339), e.g. 2026-01-01T00:00:00Z');
    return parsed;
  };
  const assign = <K extends keyof CustomerFilter>(key: K, value: CustomerFilter[K] | undefined) => {
    if (value !== undefined) filter[key] = value;
  };
  assign('createdGte', date('created_gte'));
  assign('createdLt', date('created_lt'));
  assign('lastPaymentGte', date('last_payment_gte'));
  assign('lastPaymentLt', date('last_payment_lt'));
  assign('lastPaymentBefore', date('last_payment_before'));
  if (params.no_payment_days !== undefined) {
    // Relative to this request; with last_payment_before too, both must hold: the earlier bound.
    const since = new Date(now.getTime() - params.no_payment_days * 24 * 3600 * 1000);
    const before = filter.lastPaymentBefore;
    filter.lastPaymentBefore = before !== undefined && before < since ? before : since;
  }
  assign('totalSpentGte', params.total_spent_gte);
  assign('totalSpentLt', params.total_spent_lt);
  assign('hasPayments', params.has_payments);
  assign('hasUser', params.has_user);
  assign('status', params.status);
  if (params.tag !== undefined) {
    if (!isId('tag', params.tag)) throw fieldError('tag', 'must be a tag id (tag_…)');
    filter.tagId = params.tag;
  }
  orderedRange('created_lt', filter.createdGte, filter.createdLt);
  orderedRange('last_payment_lt', filter.lastPaymentGte, filter.lastPaymentLt);
  orderedRange('total_spent_lt', filter.totalSpentGte, filter.totalSpentLt);

  const q = params.q;
  return q !== undefined ? { sort, filter, q } : { sort, filter };
}

/**
 * An RFC 3339 date-time, checked whole: JavaScript's Date reads "2025-02-30" as 2 March and "1" as
 * 2001. The HTTP schema checks the format too; saved views, bulk jobs and the CLI come through here.
 */
function rfc3339(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i])) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const valid = month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth;
  if (!valid || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function parseSources(text: string): CustomerSource[] {
  const names = text.split(',').map((s) => s.trim());
  const known = new Set<string>(CUSTOMER_SOURCES);
  const unknown = names.filter((name) => !known.has(name));
  if (names.length === 0 || unknown.length > 0) {
    throw fieldError('source', `must be one or more of ${CUSTOMER_SOURCES.join(', ')}, comma-separated`);
  }
  return [...new Set(names)] as CustomerSource[];
}

function orderedRange(upperField: string, gte: Date | number | undefined, lt: Date | number | undefined): void {
  if (gte !== undefined && lt !== undefined && Number(lt) <= Number(gte)) {
    throw fieldError(upperField, 'must be after the lower bound');
  }
}

/** True when the filter restricts nothing (the KPI counter answers its count). */
export function isEmptyFilter(filter: CustomerFilter): boolean {
  return Object.keys(filter).length === 0;
}
