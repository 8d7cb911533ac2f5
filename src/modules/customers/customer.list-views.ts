import type { AppContext } from '../../context.js';
import type { BrandRow } from '../brands/index.js';
import type { Principal } from '../access/index.js';
import type { CustomerRecord } from './customer.repository.js';
import { findCustomerTagRefs } from './customer-tag-refs.repository.js';
import { contactAccessOf, decryptContact, toCustomerView, type PlainContact } from './customer.view.js';
import type { CustomerView } from './customer.schemas.js';

/**
 * Rows as this caller may see them (masked or raw), with their tags: one query for the page's
 * keys and one for its tags, whatever the page's size. Rows a search already decrypted keep
 * their contact.
 */
export async function customerViewsOf(
  ctx: AppContext,
  principal: Principal,
  found: Array<{ row: CustomerRecord; contact?: PlainContact | undefined }>,
  brand: BrandRow,
): Promise<CustomerView[]> {
  if (found.length === 0) return [];
  const { merchantId } = principal;
  const undecrypted = found.filter((f) => !f.contact).map((f) => f.row.data_key_id);
  const [keys, tags] = await Promise.all([
    undecrypted.length > 0 ? ctx.keyring.forBrand(ctx.db, merchantId, undecrypted) : undefined,
    findCustomerTagRefs(
      ctx.db,
      merchantId,
      found.map((f) => f.row.id),
    ),
  ]);
  const access = contactAccessOf(principal);
  return found.map(({ row, contact }) =>
    toCustomerView(row, contact ?? decryptContact(keys!, row), brand.base_currency, access, tags.get(row.id) ?? []),
  );
}
