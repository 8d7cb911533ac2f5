import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectInvalidFields, expectProblem, newCustomer } from '../../../test/support/customers.js';
import {
  allNotes,
  byKey,
  newNote,
  noteEvents,
  notesApi,
  type Caller,
  type NoteJson,
  type NoteListJson,
} from '../../../test/support/notes.js';

/** Bodies refused on add and edit: 422 naming `body`. */
const INVALID_BODIES: [string, unknown][] = [
  ['empty', ''],
  ['only white space and line breaks', ' \n\t\r\n '],
  ['5,001 characters', 'n'.repeat(5001)],
  ['5,001 code points of emoji', '🙂'.repeat(5001)],
  ['a NUL character', 'before\u0000after'],
  ['a bell character', 'ring \u0007'],
  ['a form feed', 'page\u000cbreak'],
  ['an unpaired surrogate', 'broken \ud800 text'],
  ['a number', 42],
  ['null', null],
];

describeBackends('customer notes (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let owner: Caller;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    owner = byKey(pd, brand.token);
  });
  afterAll(() => pd?.close());

  it('adds a note: trimmed, line breaks kept, the caller its author', async () => {
    const customer = await newCustomer(pd, brand);
    const response = await notesApi(owner, customer.id).add('  Called twice.\r\nPrefers\tevenings.\n\n');
    expect(response.statusCode, response.body).toBe(201);
    const note = response.json<NoteJson>();
    expect(note).toMatchObject({
      object: 'note',
      customer: customer.id,
      body: 'Called twice.\r\nPrefers\tevenings.',
      author: { type: 'api_key', id: brand.principal.actor.id, name: 'test' },
      can_edit: true,
    });
    expect(note.id).toMatch(/^note_[0-9a-z]{26}$/);
    expect(note.updated_at).toBe(note.created_at);
    expect(await allNotes(owner, customer.id)).toEqual([note]);
  });

  it('accepts exactly 5,000 characters, counted in code points', async () => {
    const customer = await newCustomer(pd, brand);
    const api = notesApi(owner, customer.id);
    expect((await api.add('n'.repeat(5000))).statusCode).toBe(201);
    const emoji = await api.add('🙂'.repeat(5000));
    expect(emoji.statusCode, emoji.body).toBe(201);
    expect(emoji.json<NoteJson>().body).toBe('🙂'.repeat(5000));
  });

  it.each(INVALID_BODIES)('refuses a body with %s (422 naming body); nothing written', async (_case, body) => {
    const customer = await newCustomer(pd, brand);
    const api = notesApi(owner, customer.id);
    expectInvalidFields(await api.add(body), ['body']);
    const note = await newNote(owner, customer.id, 'kept as it was');
    expectInvalidFields(await api.edit(note.id, body), ['body']);
    expect(await allNotes(owner, customer.id)).toEqual([note]);
    expect((await noteEvents(pd, brand.id, customer.id)).map((e) => e.type)).toEqual(['note.added']);
  });

  it('refuses a missing body and unknown fields', async () => {
    const customer = await newCustomer(pd, brand);
    const url = `/customers/${customer.id}/notes`;
    expectInvalidFields(await owner('POST', url, {}), ['body']);
    expectInvalidFields(await owner('POST', url, { body: 'x', pinned: true }), ['pinned']);
  });

  it('edits a note: re-sealed, updated_at moves, one note.edited event; the same body again writes nothing', async () => {
    const customer = await newCustomer(pd, brand);
    const api = notesApi(owner, customer.id);
    const note = await newNote(owner, customer.id, 'first words');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const edited = await api.edit(note.id, '  second words ');
    expect(edited.statusCode, edited.body).toBe(200);
    const view = edited.json<NoteJson>();
    expect(view).toMatchObject({ id: note.id, body: 'second words', created_at: note.created_at, author: note.author });
    expect(Date.parse(view.updated_at)).toBeGreaterThan(Date.parse(note.updated_at));

    const again = await api.edit(note.id, 'second words');
    expect(again.json<NoteJson>()).toEqual(view);
    expect(await allNotes(owner, customer.id)).toEqual([view]);
    expect(await noteEvents(pd, brand.id, customer.id)).toEqual([
      { type: 'note.added', actor_type: 'api_key', actor_id: brand.principal.actor.id, refs: { note: note.id } },
      { type: 'note.edited', actor_type: 'api_key', actor_id: brand.principal.actor.id, refs: { note: note.id } },
    ]);
  });

  it('deletes a note: 204, gone from the list, a note.deleted event; a second delete is 404', async () => {
    const customer = await newCustomer(pd, brand);
    const api = notesApi(owner, customer.id);
    const note = await newNote(owner, customer.id);
    const kept = await newNote(owner, customer.id, 'stays');
    const response = await api.remove(note.id);
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');
    expect(await allNotes(owner, customer.id)).toEqual([kept]);
    expectProblem(await api.remove(note.id), 404, 'note_not_found');
    expectProblem(await api.edit(note.id, 'back?'), 404, 'note_not_found');
    expect((await noteEvents(pd, brand.id, customer.id)).map((e) => [e.type, e.refs.note])).toEqual([
      ['note.added', note.id],
      ['note.added', kept.id],
      ['note.deleted', note.id],
    ]);
  });

  it('pages newest first with a cursor, without repeats or gaps, while notes are added', async () => {
    const customer = await newCustomer(pd, brand);
    const written: NoteJson[] = [];
    for (let i = 0; i < 7; i++) written.push(await newNote(owner, customer.id, `note ${i}`));
    const api = notesApi(owner, customer.id);
    const pages: NoteListJson[] = [];
    let cursor: string | null = null;
    do {
      const response = await api.list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const page: NoteListJson = response.json<NoteListJson>();
      pages.push(page);
      cursor = page.next_cursor;
      // Newer than every cursor: it belongs to a fresh first page, never to this walk.
      if (pages.length === 1) await newNote(owner, customer.id, 'written while paging');
    } while (cursor);
    expect(pages.map((p) => [p.data.length, p.has_more])).toEqual([
      [3, true],
      [3, true],
      [1, false],
    ]);
    expect(pages.flatMap((p) => p.data.map((n) => n.id))).toEqual(written.map((n) => n.id).reverse());
    expect((await allNotes(owner, customer.id, 2)).map((n) => n.body)).toEqual([
      'written while paging',
      ...written.map((n) => n.body).reverse(),
    ]);
  });

  it('refuses a cursor it did not hand out (422 naming cursor)', async () => {
    const customer = await newCustomer(pd, brand);
    const api = notesApi(owner, customer.id);
    expectInvalidFields(await api.list('cursor=nonsense'), ['cursor']);
    const customerCursor = Buffer.from(JSON.stringify([new Date().toISOString(), customer.id])).toString('base64url');
    expectInvalidFields(await api.list(`cursor=${customerCursor}`), ['cursor']);
    expect((await api.list('limit=0')).statusCode).toBe(422);
  });

  it('keeps the body out of the database in clear: sealed under the active data key, bound to the note', async () => {
    const customer = await newCustomer(pd, brand);
    const body = 'Secret arrangement: pays by bKash 01711-000000, café ☕';
    const note = await newNote(owner, customer.id, body);
    const [row] = await pd.rawQuery(
      'SELECT body_enc, data_key_id FROM customer_notes WHERE merchant_id = $1 AND id = $2',
      [brand.id, note.id],
    );
    const sealed = row!.body_enc as Uint8Array;
    expect(Buffer.from(sealed).includes(Buffer.from(body, 'utf8'))).toBe(false);
    expect(Buffer.from(sealed).includes(Buffer.from('bKash', 'utf8'))).toBe(false);
    expect(row!.data_key_id).toBe(1);

    // Copied onto another note, the ciphertext does not open (it is bound to its row).
    const other = await newNote(owner, customer.id, 'other');
    await pd.rawQuery('UPDATE customer_notes SET body_enc = $1 WHERE merchant_id = $2 AND id = $3', [
      sealed,
      brand.id,
      other.id,
    ]);
    expect((await notesApi(owner, customer.id).list()).statusCode).toBe(500);
    await pd.rawQuery('DELETE FROM customer_notes WHERE merchant_id = $1 AND id = $2', [brand.id, other.id]);
  });

  it('answers 404 for a customer or note id that does not exist', async () => {
    const customer = await newCustomer(pd, brand);
    const note = await newNote(owner, customer.id);
    expectProblem(await notesApi(owner, 'cus_00000000000000000000000000').list(), 404, 'customer_not_found');
    expectProblem(await notesApi(owner, 'nope').add('hello'), 404, 'customer_not_found');
    expectProblem(await notesApi(owner, 'nope').edit(note.id, 'hello'), 404, 'customer_not_found');
    const api = notesApi(owner, customer.id);
    expectProblem(await api.edit('note_00000000000000000000000000', 'x'), 404, 'note_not_found');
    expectProblem(await api.remove('nope'), 404, 'note_not_found');
  });
});
