/**
 * Customer notes: the team's own words on a customer, bodies sealed like contact data. The public
 * face: app.ts registers the routes, the keys module sweeps the notes in its rotations.
 */
export { noteRoutes } from './note.routes.js';
export { addNote, addNoteInTransaction, deleteNote, editNote } from './note.service.js';
export { normalizeNoteBody } from './note.input.js';
export { listNotes } from './note.queries.js';
export { noteKeySweep } from './note.reseal.js';
export { Note, NoteList, type NoteListView, type NoteView } from './note.schemas.js';
export type { CustomerNoteTable } from './note.table.js';
export { moveCustomerNotes } from './note-merge.repository.js';
export { deleteNotesOfErased } from './note-erase.repository.js';
