import type { SealedTable } from '../keys/index.js';
import {
  countUsersOffKey,
  countUsersPerKey,
  lockUsersOffKey,
  updateResealedUser,
  userUnderKey,
} from './user-reseal.repository.js';
import { sealUser, unsealUser } from './user.seal.js';

/**
 * Site users under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts): sealed under the data key, indexed (email, external id, search tokens)
 * under the index key, so both rotations move them; a key is retired only when none uses it.
 */
export const siteUserKeySweep = {
  table: 'site_users',
  purposes: ['data', 'index'] as const,
  countOffKey: countUsersOffKey,
  countPerKey: countUsersPerKey,
  underKey: userUnderKey,
  lockOffKey: lockUsersOffKey,
  positionOf: (row) => row.id,
  async reseal(trx, keys, merchantId, rows) {
    for (const row of rows) {
      await updateResealedUser(trx, merchantId, row.id, sealUser(keys, merchantId, row.id, unsealUser(keys, row)));
    }
  },
} satisfies SealedTable<Awaited<ReturnType<typeof lockUsersOffKey>>[number]>;
