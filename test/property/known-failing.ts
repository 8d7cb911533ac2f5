/*
 * Hostile categories the write-endpoint property (write-endpoints.property.test.ts) leaves out for now,
 * because the server still fails on them and the fix belongs to work in progress elsewhere. Each entry
 * names its finding in /work/notes/property-findings.md; remove the entry when that finding is fixed,
 * and the property covers the category again. Categories are `<what>@<where>`: nul, surrogate,
 * control, long, invalid-utf8 at body, path or query; or content-type, content-encoding, deep-json,
 * duplicate-key, malformed-json.
 */

export interface PendingCategory {
  /** The finding in /work/notes/property-findings.md. */
  finding: string;
  categories: string[];
  /** Operations (`POST /api/v1/…`) it applies to; all when absent. */
  operations?: RegExp;
}

export const PENDING: PendingCategory[] = [];

export function isPending(operation: string, categories: readonly string[]): PendingCategory | undefined {
  return PENDING.find(
    (p) => (!p.operations || p.operations.test(operation)) && p.categories.some((c) => categories.includes(c)),
  );
}
