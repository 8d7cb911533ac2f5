import { DomainError, fieldError, validationError } from '../../errors.js';
import { parseCustomerListParams, type CustomerListParams } from '../customers/index.js';
import { NOT_SINGLE_LINE_TEXT as NOT_TEXT } from '../../http/text-rule.js';

/** Sort and filters of a view: the list's parameters without the search text (the `query` column). */
export type ViewQuery = Omit<CustomerListParams, 'q'>;

export const VIEW_NAME_MAX_LENGTH = 60;

/** Trimmed, inner runs of white space folded, Unicode NFC; 1–60 characters (code points). */
export function normalizeViewName(raw: string, field = 'name'): string {
  if (NOT_TEXT.test(raw)) throw fieldError(field, 'contains a control character or invalid Unicode');
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) throw fieldError(field, 'must not be empty');
  if ([...name].length > VIEW_NAME_MAX_LENGTH) {
    throw fieldError(field, `must be at most ${VIEW_NAME_MAX_LENGTH} characters`);
  }
  return name;
}

export interface CheckedViewParams {
  /** Sort and filters, stored in clear (`query`). */
  query: ViewQuery;
  /** The search text, sealed at rest; undefined without one (an empty search is none). */
  q: string | undefined;
}

/**
 * The list's own check (customers' parseCustomerListParams), so a view holds only what the list
 * accepts; its 422s name the body field (`params.source`).
 */
export function checkViewParams(params: CustomerListParams, field = 'params'): CheckedViewParams {
  try {
    parseCustomerListParams(params);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'validation_failed' && error.extra.errors) {
      throw validationError(error.extra.errors.map((e) => ({ field: `${field}.${e.field}`, reason: e.reason })));
    }
    throw error;
  }
  const { q, ...rest } = params;
  const query = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as ViewQuery;
  return { query, q: q !== undefined && q.trim() !== '' ? q : undefined };
}

/** The same parameters, whatever the order their keys came in (to tell a real change from none). */
export function sameQuery(a: ViewQuery, b: ViewQuery): boolean {
  const canonical = (query: ViewQuery) => JSON.stringify(Object.entries(query).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}
