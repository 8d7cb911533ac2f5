import type { SealedTable } from '../keys/index.js';
import {
  countNotesOffDataKey,
  countNotesPerDataKey,
  lockNotesOffDataKey,
  noteUnderDataKey,
  updateResealedNote,
} from './note-reseal.repository.js';
import { openNoteBody, sealNoteBody } from './note.view.js';

/**
 * Customer notes under a key rotation, in the shape every sealed table gives the keys module
 * (keys/sealed-tables.ts), so a data key is retired only when no note uses it. Notes have no blind
 * index: only a data-key rotation moves them.
 */
export const noteKeySweep = {
  table: 'customer_notes',
  purposes: ['data'] as const,
  countOffKey: (db, merchantId, _purpose, activeKeyId) => countNotesOffDataKey(db, merchantId, activeKeyId),
  countPerKey: countNotesPerDataKey,
  underKey: (db, merchantId, _purpose, keyId) => noteUnderDataKey(db, merchantId, keyId),
  lockOffKey: (trx, merchantId, _purpose, activeKeyId, page) => lockNotesOffDataKey(trx, merchantId, activeKeyId, page),
  positionOf: (row) => row.id,
  async reseal(trx, keys, merchantId, rows) {
    for (const row of rows) {
      await updateResealedNote(trx, merchantId, row.id, {
        body_enc: sealNoteBody(keys, merchantId, row.id, openNoteBody(keys, row)),
        data_key_id: keys.activeDataKeyId,
      });
    }
  },
} satisfies SealedTable<Awaited<ReturnType<typeof lockNotesOffDataKey>>[number]>;
