import type { SealedTable } from '../keys/index.js';
import {
  countEndpointsOffDataKey,
  countEndpointsPerDataKey,
  endpointUnderDataKey,
  lockEndpointsOffDataKey,
  updateResealedEndpoint,
} from './webhook-endpoint-reseal.repository.js';
import { openSecret, sealSecret } from './webhook-secrets.js';

/**
 * Endpoints' signing secrets under a key rotation, in the shape every sealed table gives the keys
 * module (keys/sealed-tables.ts), so a data key is retired only when no endpoint uses it. Both
 * secrets of a row share its data_key_id, so they move together; the previous secret is kept as it
 * is (even past its overlap: the secret rotation owns it, not the key rotation).
 */
export const webhookEndpointKeySweep = {
  table: 'webhook_endpoints',
  purposes: ['data'] as const,
  countOffKey: (db, merchantId, _purpose, activeKeyId) => countEndpointsOffDataKey(db, merchantId, activeKeyId),
  countPerKey: countEndpointsPerDataKey,
  underKey: (db, merchantId, _purpose, keyId) => endpointUnderDataKey(db, merchantId, keyId),
  lockOffKey: (trx, merchantId, _purpose, activeKeyId, page) =>
    lockEndpointsOffDataKey(trx, merchantId, activeKeyId, page),
  positionOf: (row) => row.id,
  async reseal(trx, keys, merchantId, rows) {
    for (const row of rows) {
      const secret = openSecret(keys, merchantId, row.id, 'secret', row.secret_enc);
      const previous =
        row.previous_secret_enc === null
          ? null
          : openSecret(keys, merchantId, row.id, 'previous_secret', row.previous_secret_enc);
      await updateResealedEndpoint(trx, merchantId, row.id, {
        secret_enc: sealSecret(keys, merchantId, row.id, 'secret', secret),
        previous_secret_enc:
          previous === null ? null : sealSecret(keys, merchantId, row.id, 'previous_secret', previous),
        data_key_id: keys.activeDataKeyId,
      });
    }
  },
} satisfies SealedTable<Awaited<ReturnType<typeof lockEndpointsOffDataKey>>[number]>;
