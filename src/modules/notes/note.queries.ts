import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import type { Principal } from '../access/index.js';
import { requireReadableCustomer } from '../customers/index.js';
import { listNotesPage } from './note.repository.js';
import { actorNameMap } from '../timeline/index.js';
import type { NoteListQuery, NoteListView, NoteView } from './note.schemas.js';
import type { CustomerNoteRow } from './note.table.js';
import { openNoteBody, toNoteView } from './note.view.js';

export function noteNotFound(id: string): DomainError {
  return new DomainError('note_not_found', `No note ${id} on this customer`, { note_id: id });
}

/**
 * GET /customers/{id}/notes: newest first. Every role that reads customers reads their notes, masked
 * ones too: notes are the team's own words, not the customer's contact data.
 */
export async function listNotes(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  query: Static<typeof NoteListQuery>,
): Promise<NoteListView> {
  await requireReadableCustomer(ctx, principal, customerId);
  const after = query.cursor ? decodePageCursor(query.cursor, 'note') : undefined;
  const rows = await listNotesPage(ctx.db, principal.merchantId, customerId, { limit: query.limit + 1, after });
  const page = toPage(rows, query.limit, (row) => row);
  return { ...page, data: await viewNotes(ctx, principal, page.data) };
}

/** Notes as this caller sees them: bodies opened, authors named (one statement for the page). */
export async function viewNotes(ctx: AppContext, principal: Principal, rows: CustomerNoteRow[]): Promise<NoteView[]> {
  if (rows.length === 0) return [];
  const { merchantId } = principal;
  const keys = await ctx.keyring.forBrand(
    ctx.db,
    merchantId,
    rows.map((r) => r.data_key_id),
  );
  const authors = rows.map((r) => ({ type: r.author_type, id: r.author_id }));
  const names = await actorNameMap(ctx.db, merchantId, authors);
  return rows.map((row) =>
    toNoteView(row, openNoteBody(keys, row), names.get(`${row.author_type}:${row.author_id}`) ?? null, principal),
  );
}
