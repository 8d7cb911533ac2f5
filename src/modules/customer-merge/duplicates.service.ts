import type { AppContext } from '../../context.js';
import { nameBlindIndex } from '../../crypto/blind-index.js';
import type { BrandKeys, IndexKeys } from '../../crypto/keyring.js';
import { requirePermission, type Principal } from '../access/index.js';
import {
  customerViews,
  decryptContact,
  decryptName,
  duplicateNameKey,
  findCustomersByIds,
  listCustomersMissingNameIndex,
  listDuplicateGroups,
  setCustomerNameIndexes,
} from '../customers/index.js';
import { similarEmails } from './email-similarity.js';
import type { DuplicateListView, DuplicatePairView, DuplicatesQuery } from './merge.schemas.js';

/** Groups read per reason; a group beyond it waits for the next call (has_more). */
const GROUPS_PER_REASON = 200;
/** Customers looked at in one group: a phone shared by hundreds (a shop's own) proposes no more. */
const IDS_PER_GROUP = 10;
/** Rows given a name index per statement when filling old rows. */
const FILL_BATCH = 500;

type Pair = { reason: DuplicatePairView['reason']; ids: [string, string] };

/**
 * GET /customers/duplicates: pairs of live customers (not merged, not erased) that look like one
 * person, found without decrypting the brand. SQL groups rows by the phone blind index and by the
 * name blind index (HAVING count > 1); only the members of name groups are decrypted, to check their
 * emails (email-similarity.ts). Phone pairs first, then name pairs, newest group first; at most
 * `limit` pairs, `has_more` when there were more.
 */
export async function findDuplicates(
  ctx: AppContext,
  principal: Principal,
  query: DuplicatesQuery,
): Promise<DuplicateListView> {
  requirePermission(principal, 'customers.merge');
  const { merchantId } = principal;
  await fillNameIndexes(ctx, merchantId);

  const options = { limit: GROUPS_PER_REASON, perGroup: IDS_PER_GROUP };
  const phoneGroups = await listDuplicateGroups(ctx.db, merchantId, 'phone_bidx', options);
  const nameGroups = await listDuplicateGroups(ctx.db, merchantId, 'name_bidx', options);
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  const add = (reason: Pair['reason'], a: string, b: string) => {
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push({ reason, ids: [a, b] });
  };
  for (const group of phoneGroups) for (const [a, b] of allPairs(group.ids)) add('phone', a, b);
  if (pairs.length <= query.limit) {
    for (const [a, b] of await similarEmailPairs(
      ctx,
      merchantId,
      nameGroups.flatMap((g) => [g.ids]),
    ))
      add('name_email', a, b);
  }
  const truncated =
    pairs.length > query.limit || phoneGroups.length === GROUPS_PER_REASON || nameGroups.length === GROUPS_PER_REASON;
  const shown = pairs.slice(0, query.limit);
  const views = await customerViews(
    ctx,
    principal,
    shown.flatMap((p) => p.ids),
  );
  const data: DuplicatePairView[] = [];
  for (const pair of shown) {
    const [a, b] = pair.ids.map((id) => views.get(id));
    if (a && b) data.push({ reason: pair.reason, customers: [a, b] });
  }
  return { object: 'list', data, has_more: truncated };
}

/** In each group of equal names, the pairs whose emails look alike; only these rows are decrypted. */
async function similarEmailPairs(ctx: AppContext, merchantId: string, groups: string[][]): Promise<[string, string][]> {
  const rows = await findCustomersByIds(ctx.db, merchantId, groups.flat());
  if (rows.length === 0) return [];
  const keys = await ctx.keyring.forBrand(
    ctx.db,
    merchantId,
    rows.map((r) => r.data_key_id),
  );
  const emails = new Map(rows.map((row) => [row.id, decryptContact(keys, row).email]));
  const pairs: [string, string][] = [];
  for (const ids of groups) {
    for (const [a, b] of allPairs(ids)) {
      const x = emails.get(a);
      const y = emails.get(b);
      if (x && y && similarEmails(x, y)) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Every pair of a group, older member first (the ids come oldest first). */
function allPairs(ids: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i]!, ids[j]!]);
  return pairs;
}

/**
 * Rows sealed before migration 0009 have no name index. The duplicates call fills the brand's in
 * batches before it groups (each batch its own statement, no long transaction), under the index key
 * the row's other indexes use; afterwards every write seals one. A brand pays this once.
 */
export async function fillNameIndexes(ctx: AppContext, merchantId: string): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await listCustomersMissingNameIndex(ctx.db, merchantId, FILL_BATCH);
    if (rows.length === 0) return filled;
    const keys = await ctx.keyring.forBrand(
      ctx.db,
      merchantId,
      rows.map((r) => r.data_key_id),
    );
    const values = rows.flatMap((row) => {
      const index = indexKeyOf(keys, row.index_key_id);
      if (!index) return [];
      const name = decryptName(keys, row);
      return [{ id: row.id, nameBidx: nameBlindIndex(index, duplicateNameKey(name)), indexKeyId: row.index_key_id }];
    });
    await setCustomerNameIndexes(ctx.db, merchantId, values);
    filled += values.length;
    // Rows under an index key no longer held (a rebuild finished meanwhile) are left; stop rather than spin.
    if (values.length < rows.length || rows.length < FILL_BATCH) return filled;
  }
}

function indexKeyOf(keys: BrandKeys, keyId: number): IndexKeys | undefined {
  if (keys.index.keyId === keyId) return keys.index;
  return keys.retiringIndex?.keyId === keyId ? keys.retiringIndex : undefined;
}
