import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { listNotes } from './note.queries.js';
import { Note, NoteBody, NoteList, NoteListQuery, NoteParams } from './note.schemas.js';
import { addNote, deleteNote, editNote } from './note.service.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Customers'];
const WHO_CHANGES = 'Its author (support and above) or a manager and above may change or delete a note.';

export function noteRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/:id/notes',
      {
        schema: {
          tags,
          operationId: 'listCustomerNotes',
          summary: "A customer's notes, newest first",
          description:
            'Every role that reads customers reads their notes, including roles that see contact data masked.',
          params: IdParams,
          querystring: NoteListQuery,
          response: { 200: NoteList, ...errors },
        },
      },
      async (request) => listNotes(ctx, principalOf(request), request.params.id, request.query),
    );

    app.post(
      '/customers/:id/notes',
      {
        schema: {
          tags,
          operationId: 'addCustomerNote',
          summary: 'Add a note to a customer',
          description: 'The caller (staff member or API key) is its author.',
          params: IdParams,
          body: NoteBody,
          response: { 201: Note, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await addNote(ctx, principalOf(request), request.params.id, request.body)),
    );

    app.patch(
      '/customers/:id/notes/:note',
      {
        schema: {
          tags,
          operationId: 'updateCustomerNote',
          summary: "Edit a customer's note",
          description: WHO_CHANGES,
          params: NoteParams,
          body: NoteBody,
          response: { 200: Note, ...errors },
        },
      },
      async (request) => editNote(ctx, principalOf(request), request.params.id, request.params.note, request.body),
    );

    app.delete(
      '/customers/:id/notes/:note',
      {
        schema: {
          tags,
          operationId: 'deleteCustomerNote',
          summary: "Delete a customer's note",
          description: WHO_CHANGES,
          params: NoteParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteNote(ctx, principalOf(request), request.params.id, request.params.note);
        return reply.code(204).send(null);
      },
    );
  };
}
