import { Type, type Static } from '@sinclair/typebox';
import { ListOf, PageQuery, Timestamp } from '../../http/common.schemas.js';

const Body = Type.String({
  maxLength: 20000,
  description: 'The note, 1–5,000 characters; line breaks kept. Encrypted at rest.',
  examples: ['Prefers delivery after 6 pm; call before coming.'],
});

export const NoteAuthor = Type.Object(
  {
    type: Type.Union([Type.Literal('staff'), Type.Literal('api_key'), Type.Literal('system'), Type.Literal('cli')]),
    id: Type.String(),
    name: Type.Union([Type.String(), Type.Null()], {
      description: "The staff member's name, or the API key's name; null when it no longer exists",
    }),
  },
  { title: 'NoteAuthor' },
);

export const Note = Type.Object(
  {
    id: Type.String({ examples: ['note_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('note'),
    customer: Type.String(),
    body: Type.String(),
    author: NoteAuthor,
    created_at: Timestamp,
    updated_at: Timestamp,
    can_edit: Type.Boolean({
      description: 'Whether the caller may edit or delete it (its author, or a manager and above)',
    }),
  },
  { title: 'Note' },
);
export type NoteView = Static<typeof Note>;

export const NoteList = ListOf(Note);
export type NoteListView = Static<typeof NoteList>;

export const NoteBody = Type.Object(
  { body: Body },
  { additionalProperties: false, examples: [{ body: 'Prefers delivery after 6 pm; call before coming.' }] },
);
export type NoteBodyInput = Static<typeof NoteBody>;

export const NoteParams = Type.Object({ id: Type.String(), note: Type.String() });
export const NoteListQuery = Type.Object(PageQuery, { additionalProperties: false });
