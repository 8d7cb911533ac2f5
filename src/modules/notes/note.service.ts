import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { customerNotFound, requireLiveCustomer } from '../customers/index.js';
import { recordCustomerEvent, type CustomerEventType } from '../timeline/index.js';
import { normalizeNoteBody } from './note.input.js';
import { noteNotFound, viewNotes } from './note.queries.js';
import { deleteNoteRow, insertNote, lockNote, updateNoteBody } from './note.repository.js';
import type { NoteBodyInput, NoteView } from './note.schemas.js';
import type { CustomerNoteRow } from './note.table.js';
import { mayChangeNote, openNoteBody, sealNoteBody } from './note.view.js';

/*
 * Every write locks the customer row first, then the note: a customer deleted meanwhile is a clean
 * 404 (not a foreign-key failure), and the one lock order rules out deadlocks with that delete,
 * whose cascade takes the notes after the customer. The timeline event commits with the change.
 */

/** POST /customers/{id}/notes: by anyone with notes.write; the caller is the author. */
export async function addNote(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  input: NoteBodyInput,
): Promise<NoteView> {
  requirePermission(principal, 'notes.write');
  const body = normalizeNoteBody(input.body);
  if (!isId('cus', customerId)) throw customerNotFound(customerId);
  const { merchantId } = principal;
  const row = await ctx.db.transaction().execute(async (trx) => {
    // 404, or 409 customer_merged naming the survivor; the row stays locked.
    await requireLiveCustomer(trx, merchantId, customerId, { forUpdate: true });
    return addNoteInTransaction(ctx, trx, principal, customerId, body);
  });
  return viewOne(ctx, principal, row);
}

/**
 * A note written as part of another change (a suspension's reason in staff's own words), sealed
 * and put on the timeline inside that change's transaction. The caller has checked its permission,
 * locked the live customer and normalised the body (normalizeNoteBody).
 */
export async function addNoteInTransaction(
  ctx: AppContext,
  trx: Transaction<DB>,
  principal: Principal,
  customerId: string,
  body: string,
): Promise<CustomerNoteRow> {
  const { merchantId } = principal;
  const keys = await ctx.keyring.forBrand(trx, merchantId);
  const id = newId('note');
  const now = ctx.clock();
  const note: CustomerNoteRow = {
    merchant_id: merchantId,
    id,
    customer_id: customerId,
    author_type: principal.actor.type,
    author_id: principal.actor.id,
    body_enc: sealNoteBody(keys, merchantId, id, body),
    data_key_id: keys.activeDataKeyId,
    created_at: now,
    updated_at: now,
  };
  await insertNote(trx, note);
  await recordNoteEvent(trx, principal, note, 'note.added', now);
  return note;
}

/**
 * PATCH /customers/{id}/notes/{note}: re-sealed under the current data key. The same body again
 * changes nothing (no write, no timeline event).
 */
export async function editNote(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  noteId: string,
  input: NoteBodyInput,
): Promise<NoteView> {
  requirePermission(principal, 'notes.write');
  const body = normalizeNoteBody(input.body);
  const { merchantId } = principal;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const note = await lockChangeableNote(trx, principal, customerId, noteId);
    const keys = await ctx.keyring.forBrand(trx, merchantId, [note.data_key_id]);
    if (openNoteBody(keys, note) === body) return note;
    const now = ctx.clock();
    const changes = {
      body_enc: sealNoteBody(keys, merchantId, note.id, body),
      data_key_id: keys.activeDataKeyId,
      updated_at: now,
    };
    await updateNoteBody(trx, merchantId, note.id, changes);
    await recordNoteEvent(trx, principal, note, 'note.edited', now);
    return { ...note, ...changes };
  });
  return viewOne(ctx, principal, row);
}

/** DELETE /customers/{id}/notes/{note}. */
export async function deleteNote(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  noteId: string,
): Promise<void> {
  requirePermission(principal, 'notes.write');
  await ctx.db.transaction().execute(async (trx) => {
    const note = await lockChangeableNote(trx, principal, customerId, noteId);
    await deleteNoteRow(trx, principal.merchantId, note.id);
    await recordNoteEvent(trx, principal, note, 'note.deleted', ctx.clock());
  });
}

/** The customer's note, locked, if this caller may change it: 404 before 403, so ids are not probed. */
async function lockChangeableNote(
  trx: Transaction<DB>,
  principal: Principal,
  customerId: string,
  noteId: string,
): Promise<CustomerNoteRow> {
  const { merchantId } = principal;
  await requireLiveCustomer(trx, merchantId, customerId, { forUpdate: true });
  const note = isId('note', noteId) ? await lockNote(trx, merchantId, customerId, noteId) : undefined;
  if (!note) throw noteNotFound(noteId);
  if (!mayChangeNote(principal, note)) {
    throw new DomainError(
      'forbidden',
      `The ${principal.role} role may change only its own notes; ${noteId} was written by someone else (notes.manage)`,
      { permission: 'notes.manage' },
    );
  }
  return note;
}

function recordNoteEvent(
  trx: Transaction<DB>,
  principal: Principal,
  note: CustomerNoteRow,
  type: Extract<CustomerEventType, `note.${string}`>,
  at: Date,
): Promise<void> {
  return recordCustomerEvent(trx, {
    merchantId: principal.merchantId,
    customerId: note.customer_id,
    type,
    actor: principal.actor,
    refs: { note: note.id },
    at,
  });
}

async function viewOne(ctx: AppContext, principal: Principal, row: CustomerNoteRow): Promise<NoteView> {
  const [view] = await viewNotes(ctx, principal, [row]);
  return view!;
}
