import type { LightMyRequestResponse } from 'fastify';
import type { NoteListView, NoteView } from '../../src/modules/notes/note.schemas.js';
import type { TestPaydesk } from './harness.js';

/* Customer notes for tests (src/modules/notes): one API for API keys and staff sessions alike. */

export type NoteJson = NoteView;
export type NoteListJson = NoteListView;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A request under /api/v1 as one caller: `asStaff(...)` from staff.ts has this shape, `byKey` makes one. */
export type Caller = (
  method: Method,
  url: string,
  payload?: Record<string, unknown>,
) => Promise<LightMyRequestResponse>;

export function byKey(paydesk: TestPaydesk, token: string): Caller {
  return (method, url, payload) =>
    paydesk.request(token, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload }) });
}

/** The notes of one customer as this caller sees them. */
export function notesApi(call: Caller, customerId: string) {
  const base = `/customers/${customerId}/notes`;
  return {
    list: (query = '') => call('GET', `${base}${query ? `?${query}` : ''}`),
    add: (body: unknown) => call('POST', base, { body }),
    edit: (noteId: string, body: unknown) => call('PATCH', `${base}/${noteId}`, { body }),
    remove: (noteId: string) => call('DELETE', `${base}/${noteId}`),
  };
}

/** Adds a note and returns it; throws unless 201. */
export async function newNote(
  call: Caller,
  customerId: string,
  body = 'Prefers a call after 6 pm.',
): Promise<NoteJson> {
  const response = await notesApi(call, customerId).add(body);
  if (response.statusCode !== 201) throw new Error(`newNote answered ${response.statusCode}: ${response.body}`);
  return response.json<NoteJson>();
}

/** Every page of a customer's notes, following next_cursor. */
export async function allNotes(call: Caller, customerId: string, limit = 100): Promise<NoteJson[]> {
  const notes: NoteJson[] = [];
  let cursor: string | null = null;
  do {
    const response = await notesApi(call, customerId).list(`limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    if (response.statusCode !== 200) throw new Error(`list notes answered ${response.statusCode}: ${response.body}`);
    const page = response.json<NoteListJson>();
    notes.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return notes;
}

/** The customer's note.* timeline events, oldest first. */
export async function noteEvents(paydesk: TestPaydesk, merchantId: string, customerId: string) {
  return (await paydesk.rawQuery(
    `SELECT type, actor_type, actor_id, refs FROM customer_events
      WHERE merchant_id = $1 AND customer_id = $2 AND type LIKE 'note.%' ORDER BY created_at, id`,
    [merchantId, customerId],
  )) as Array<{ type: string; actor_type: string; actor_id: string; refs: Record<string, unknown> }>;
}
