import type { IndexKeys } from './keyring.js';

export interface SearchableFields {
  name: string;
  email: string;
  phone: string | null;
}

/** Keyed, truncated tokens of a customer's searchable text (filled in by the search feature). */
export function customerSearchTokens(_keys: IndexKeys, _fields: SearchableFields): number[] {
  return [];
}
