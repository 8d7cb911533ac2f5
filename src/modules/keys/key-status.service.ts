import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import { countCustomersPerKey } from '../customers/index.js';
import { listBrandKeyInfo } from './key-rotation.repository.js';
import { OTHER_SEALED_TABLES } from './sealed-tables.js';

export interface KeyStatusEntry {
  keyId: number;
  purpose: KeyPurpose;
  state: 'active' | 'decrypt_only' | 'retired';
  createdAt: Date;
  retiredAt: Date | null;
  /** Rows under this key, customers and every other sealed table (data: encrypted with it; index: indexed with it). */
  rows: number;
}

export interface BrandKeyStatus {
  merchantId: string;
  keys: KeyStatusEntry[];
  /** Purposes with an unfinished rotation (a decrypt_only key): `keys rotate` resumes it. */
  unfinished: KeyPurpose[];
}

export async function brandKeyStatus(ctx: AppContext, merchantId: string): Promise<BrandKeyStatus> {
  const keys = await listBrandKeyInfo(ctx.db, merchantId);
  if (keys.length === 0) throw new DomainError('not_found', `No brand ${merchantId}`);
  const counts = [
    ...(await countCustomersPerKey(ctx.db, merchantId)),
    ...(await Promise.all(OTHER_SEALED_TABLES.map((t) => t.countPerKey(ctx.db, merchantId)))).flat(),
  ];
  const rowsOf = (purpose: KeyPurpose, keyId: number) =>
    counts.filter((c) => c.purpose === purpose && c.key_id === keyId).reduce((sum, c) => sum + c.rows, 0);
  return {
    merchantId,
    keys: keys.map((k) => ({
      keyId: k.key_id,
      purpose: k.purpose,
      state: k.state,
      createdAt: k.created_at,
      retiredAt: k.retired_at,
      rows: rowsOf(k.purpose, k.key_id),
    })),
    unfinished: (['data', 'index'] as const).filter((p) =>
      keys.some((k) => k.purpose === p && k.state === 'decrypt_only'),
    ),
  };
}
