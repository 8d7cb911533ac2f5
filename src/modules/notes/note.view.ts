import { decryptField, encryptField, type FieldBinding } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { roleAllows, type Principal } from '../access/index.js';
import type { NoteView } from './note.schemas.js';
import type { CustomerNoteRow } from './note.table.js';

type AuthorType = NoteView['author']['type'];

const bodyBinding = (merchantId: string, noteId: string): FieldBinding => ({
  merchantId,
  table: 'customer_notes',
  column: 'body',
  rowId: noteId,
});

/** Sealed under the brand's active data key, bound to the note: a body copied to another row does not open. */
export function sealNoteBody(keys: BrandKeys, merchantId: string, noteId: string, body: string): Buffer {
  return encryptField(keys, bodyBinding(merchantId, noteId), body);
}

export function openNoteBody(keys: BrandKeys, row: Pick<CustomerNoteRow, 'merchant_id' | 'id' | 'body_enc'>): string {
  return decryptField(keys, bodyBinding(row.merchant_id, row.id), row.body_enc);
}

/** Its author (the same staff member or API key) with notes.write, or anyone with notes.manage. */
export function mayChangeNote(principal: Principal, row: Pick<CustomerNoteRow, 'author_type' | 'author_id'>): boolean {
  if (roleAllows(principal.role, 'notes.manage')) return true;
  return (
    roleAllows(principal.role, 'notes.write') &&
    row.author_type === principal.actor.type &&
    row.author_id === principal.actor.id
  );
}

export function toNoteView(
  row: CustomerNoteRow,
  body: string,
  authorName: string | null,
  principal: Principal,
): NoteView {
  return {
    id: row.id,
    object: 'note',
    customer: row.customer_id,
    body,
    // Written only from principal.actor, whose types the schema's union covers.
    author: { type: row.author_type as AuthorType, id: row.author_id, name: authorName },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    can_edit: mayChangeNote(principal, row),
  };
}
