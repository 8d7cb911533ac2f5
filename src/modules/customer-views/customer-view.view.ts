import { decryptField, encryptField, type FieldBinding } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { roleAllows, type Principal } from '../access/index.js';
import type { SavedViewResponse } from './customer-view.schemas.js';
import type { CustomerViewRow } from './customer-view.table.js';

const searchBinding = (merchantId: string, viewId: string): FieldBinding => ({
  merchantId,
  table: 'customer_views',
  column: 'q',
  rowId: viewId,
});

/** Sealed under the brand's active data key, bound to the view: a search copied to another row does not open. */
export function sealViewSearch(keys: BrandKeys, merchantId: string, viewId: string, q: string): Buffer {
  return encryptField(keys, searchBinding(merchantId, viewId), q);
}

export function openViewSearch(
  keys: BrandKeys,
  row: Pick<CustomerViewRow, 'merchant_id' | 'id' | 'q_enc'>,
): string | undefined {
  return row.q_enc === null ? undefined : decryptField(keys, searchBinding(row.merchant_id, row.id), row.q_enc);
}

/** The staff member a personal view would belong to; API keys (and the CLI) have no views of their own. */
export function staffIdOf(principal: Principal): string | null {
  return principal.actor.type === 'staff' ? principal.actor.id : null;
}

/**
 * A personal view: its owner only (nobody else even sees it). A shared view: whoever created it, or
 * anyone who may share views (owner, admin, manager).
 */
export function mayChangeView(
  principal: Principal,
  row: Pick<CustomerViewRow, 'owner_staff_id' | 'created_by_type' | 'created_by_id'>,
): boolean {
  if (row.owner_staff_id !== null) return row.owner_staff_id === staffIdOf(principal);
  if (roleAllows(principal.role, 'customer_views.share')) return true;
  return row.created_by_type === principal.actor.type && row.created_by_id === principal.actor.id;
}

export function toSavedView(row: CustomerViewRow, q: string | undefined): SavedViewResponse {
  return {
    id: row.id,
    object: 'customer_view',
    name: row.name,
    shared: row.owner_staff_id === null,
    params: q === undefined ? { ...row.query } : { ...row.query, q },
    owner: row.owner_staff_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
