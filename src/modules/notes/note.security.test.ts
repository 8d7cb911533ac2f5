import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, expectProblem, newCustomer } from '../../../test/support/customers.js';
import {
  allNotes,
  byKey,
  newNote,
  noteEvents,
  notesApi,
  type Caller,
  type NoteJson,
} from '../../../test/support/notes.js';
import { asStaff, newStaff, signIn } from '../../../test/support/staff.js';

const WRITERS: Role[] = ['owner', 'admin', 'manager', 'support'];
const NOT_WRITERS: Role[] = ['viewer', 'developer'];

describeBackends('customer notes: roles, authors and brands (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let owner: Caller;
  const as: Partial<Record<Role, Caller>> = {};
  const call = (role: Role) => as[role]!;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    owner = byKey(pd, brand.token);
    for (const role of [...WRITERS, ...NOT_WRITERS]) as[role] = byKey(pd, await pd.keyFor(brand, role));
  });
  afterAll(() => pd?.close());

  /** The note.* events of the customer, to check that a refused change wrote none. */
  const eventCount = async (customerId: string) => (await noteEvents(pd, brand.id, customerId)).length;

  it.each(WRITERS)('%s adds notes', async (role) => {
    const customer = await newCustomer(pd, brand);
    const response = await notesApi(call(role), customer.id).add(`from ${role}`);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<NoteJson>()).toMatchObject({
      author: { type: 'api_key', name: `test ${role}` },
      can_edit: true,
    });
  });

  it.each(NOT_WRITERS)('%s may not add notes (403); nothing written', async (role) => {
    const customer = await newCustomer(pd, brand);
    const problem = expectProblem(await notesApi(call(role), customer.id).add('not allowed'), 403, 'forbidden');
    expect(problem.permission).toBe('notes.write');
    expect(await allNotes(owner, customer.id)).toEqual([]);
    expect(await eventCount(customer.id)).toBe(0);
  });

  it('a viewer (masked) lists and reads notes, and may change none', async () => {
    const customer = await newCustomer(pd, brand);
    const note = await newNote(owner, customer.id, 'Asked for a callback on Sunday.');
    const listed = await notesApi(call('viewer'), customer.id).list();
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ data: NoteJson[] }>().data).toEqual([{ ...note, can_edit: false }]);
    expectProblem(await notesApi(call('viewer'), customer.id).edit(note.id, 'changed'), 403, 'forbidden');
    expectProblem(await notesApi(call('viewer'), customer.id).remove(note.id), 403, 'forbidden');
    expect(await eventCount(customer.id)).toBe(1);
  });

  it('a developer (no customers) may not list notes', async () => {
    const customer = await newCustomer(pd, brand);
    await newNote(owner, customer.id);
    expectProblem(await notesApi(call('developer'), customer.id).list(), 403, 'forbidden');
  });

  it("support edits and deletes its own notes, not another's (403 naming notes.manage; no event)", async () => {
    const customer = await newCustomer(pd, brand);
    const support = notesApi(call('support'), customer.id);
    const own = await newNote(call('support'), customer.id, 'mine');
    const others = await newNote(owner, customer.id, "the owner's");

    const listed = await allNotes(call('support'), customer.id);
    expect(listed.map((n) => [n.id, n.can_edit])).toEqual([
      [others.id, false],
      [own.id, true],
    ]);

    const events = await eventCount(customer.id);
    const refused = expectProblem(await support.edit(others.id, 'overwritten'), 403, 'forbidden');
    expect(refused.detail).toMatch(/only its own notes/);
    expect(refused.permission).toBe('notes.manage');
    expectProblem(await support.remove(others.id), 403, 'forbidden');
    expect(await eventCount(customer.id)).toBe(events);
    expect((await allNotes(owner, customer.id)).find((n) => n.id === others.id)?.body).toBe("the owner's");

    expect((await support.edit(own.id, 'mine, edited')).statusCode).toBe(200);
    expect((await support.remove(own.id)).statusCode).toBe(204);
    expect(await eventCount(customer.id)).toBe(events + 2);
  });

  it("a manager edits and deletes anyone's notes", async () => {
    const customer = await newCustomer(pd, brand);
    const manager = notesApi(call('manager'), customer.id);
    const bySupport = await newNote(call('support'), customer.id, 'by support');
    const byOwner = await newNote(owner, customer.id, 'by the owner');
    const edited = await manager.edit(bySupport.id, 'tidied by the manager');
    expect(edited.statusCode, edited.body).toBe(200);
    // The author stays the author; the timeline says who edited.
    expect(edited.json<NoteJson>()).toMatchObject({ author: bySupport.author, can_edit: true });
    expect((await manager.remove(byOwner.id)).statusCode).toBe(204);
    const events = await noteEvents(pd, brand.id, customer.id);
    const managerKey = events.at(-1)!.actor_id;
    expect(events.slice(2)).toEqual([
      { type: 'note.edited', actor_type: 'api_key', actor_id: managerKey, refs: { note: bySupport.id } },
      { type: 'note.deleted', actor_type: 'api_key', actor_id: managerKey, refs: { note: byOwner.id } },
    ]);
    expect(managerKey).not.toBe(bySupport.author.id);
  });

  it('staff sessions: the author is the staff member, by name; another support member may not change it', async () => {
    const customer = await newCustomer(pd, brand);
    const alice = await newStaff(pd, brand, 'support');
    const bob = await newStaff(pd, brand, 'support');
    const maria = await newStaff(pd, brand, 'manager');
    const asAlice = asStaff(pd, await signIn(pd, alice));
    const asBob = asStaff(pd, await signIn(pd, bob));
    const asMaria = asStaff(pd, await signIn(pd, maria));
    const [aliceRow] = await pd.rawQuery('SELECT name FROM staff WHERE id = $1', [alice.id]);

    const note = await newNote(asAlice, customer.id, "Alice's note");
    expect(note.author).toEqual({ type: 'staff', id: alice.id, name: aliceRow!.name });
    expect((await allNotes(asBob, customer.id))[0]).toMatchObject({ id: note.id, can_edit: false });
    expectProblem(await notesApi(asBob, customer.id).edit(note.id, "Bob's now"), 403, 'forbidden');
    // A support API key is not the staff member either.
    expectProblem(await notesApi(call('support'), customer.id).remove(note.id), 403, 'forbidden');

    const edited = await notesApi(asAlice, customer.id).edit(note.id, "Alice's note, edited");
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await notesApi(asMaria, customer.id).remove(note.id)).statusCode).toBe(204);
    expect((await noteEvents(pd, brand.id, customer.id)).map((e) => [e.type, e.actor_type, e.actor_id])).toEqual([
      ['note.added', 'staff', alice.id],
      ['note.edited', 'staff', alice.id],
      ['note.deleted', 'staff', maria.id],
    ]);
  });

  it("a removed staff member's notes stay; the author's name becomes null", async () => {
    const customer = await newCustomer(pd, brand);
    const leaver = await newStaff(pd, brand, 'support');
    const note = await newNote(asStaff(pd, await signIn(pd, leaver)), customer.id, 'written before leaving');
    expect(note.author.name).not.toBeNull();
    expect((await owner('DELETE', `/staff/${leaver.id}`)).statusCode).toBe(204);
    expect(await allNotes(owner, customer.id)).toEqual([
      { ...note, author: { type: 'staff', id: leaver.id, name: null } },
    ]);
  });

  it("another brand's customer or note is the same 404 as a missing one", async () => {
    const other = await pd.newBrand({ name: 'Other Brand' });
    const theirs = byKey(pd, other.token);
    const customer = await newCustomer(pd, brand);
    const note = await newNote(owner, customer.id, 'ours');
    const theirCustomer = await newCustomer(pd, other);

    const api = notesApi(theirs, customer.id);
    expectProblem(await api.list(), 404, 'customer_not_found');
    expectProblem(await api.add('theirs'), 404, 'customer_not_found');
    expectProblem(await api.edit(note.id, 'theirs'), 404, 'customer_not_found');
    expectProblem(await api.remove(note.id), 404, 'customer_not_found');
    // Their own customer's path with our note id: the note is not theirs.
    expectProblem(await notesApi(theirs, theirCustomer.id).edit(note.id, 'theirs'), 404, 'note_not_found');
    expectProblem(await notesApi(theirs, theirCustomer.id).remove(note.id), 404, 'note_not_found');
    expect(await allNotes(owner, customer.id)).toEqual([note]);
    expect(await eventCount(customer.id)).toBe(1);
  });

  it("a note is reached only through its own customer's path", async () => {
    const a = await newCustomer(pd, brand);
    const b = await newCustomer(pd, brand);
    const noteOfB = await newNote(owner, b.id, "B's note");
    expectProblem(await notesApi(owner, a.id).edit(noteOfB.id, 'moved?'), 404, 'note_not_found');
    expectProblem(await notesApi(owner, a.id).remove(noteOfB.id), 404, 'note_not_found');
    expect(await allNotes(owner, a.id)).toEqual([]);
    expect(await allNotes(owner, b.id)).toEqual([noteOfB]);
    expect(await eventCount(a.id)).toBe(0);
  });

  it('deleting a customer (no payments) deletes its notes', async () => {
    const customer = await newCustomer(pd, brand);
    await newNote(owner, customer.id, 'one');
    await newNote(owner, customer.id, 'two');
    expect((await customersApi(pd, brand.token).remove(customer.id)).statusCode).toBe(204);
    const rows = await pd.rawQuery('SELECT id FROM customer_notes WHERE merchant_id = $1 AND customer_id = $2', [
      brand.id,
      customer.id,
    ]);
    expect(rows).toEqual([]);
    expectProblem(await notesApi(owner, customer.id).list(), 404, 'customer_not_found');
  });
});
