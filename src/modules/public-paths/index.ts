/**
 * The global router of public slugs and tokens (`/pay/<slug>`, `/checkout/<token>`, `/invoice/<token>`)
 * to a brand and record, the tokens themselves, and per-brand numbering. Payment links, checkout and
 * invoices claim their paths here; payments resolves them.
 */
export { claimPublicPath, findPublicPath } from './public-path.repository.js';
export { SLUG_PATTERN, newPublicToken, slugFromTitle } from './public-token.js';
export { nextCounterValue } from './brand-counter.repository.js';
export type { PublicPathKind } from './public-path.table.js';
