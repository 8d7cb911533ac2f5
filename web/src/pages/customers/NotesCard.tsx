import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Pencil, StickyNote, Trash2 } from 'lucide-react';
import { isApiError } from '../../api/client';
import { NOTE_MAX_LENGTH, useAddNote, useCustomerNotes, useDeleteNote, useEditNote } from '../../api/notes';
import type { Note, NoteAuthor } from '../../api/types';
import { RelativeTime } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { ErrorState, Notice, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { fieldSentence } from '../../lib/field-message';

/**
 * Private notes about the customer, shared with the brand's staff, newest first. Roles with notes.write
 * add them; the server says per note (can_edit) who may change or delete it. Bodies are plain text.
 */
export function NotesCard({
  customerId,
  canWrite,
  erased,
  myId,
  className,
}: {
  customerId: string;
  /** Whether the member's role writes notes. */
  canWrite: boolean;
  /** An erased customer's notes were destroyed, and none can be added. */
  erased: boolean;
  myId: string | undefined;
  className?: string;
}) {
  const pages = useCustomerNotes(customerId);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Note | null>(null);
  const notes = pages.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby="notes-title">
      <div className="card-header">
        <h2 id="notes-title">Notes</h2>
      </div>
      {erased ? (
        <p className="muted small">Notes were erased with this customer's personal data; none can be added.</p>
      ) : canWrite ? (
        <AddNote customerId={customerId} />
      ) : (
        <p className="muted small">Your role reads notes only.</p>
      )}
      {pages.isPending ? (
        <Spinner />
      ) : pages.isError ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Notes could not be loaded" />
      ) : notes.length === 0 ? (
        !erased && (
          <p className="muted small note-empty">
            <StickyNote size={15} aria-hidden="true" /> No notes yet.
            {canWrite ? ' What the team should know about this customer goes here.' : ''}
          </p>
        )
      ) : (
        <ul className="note-list" aria-label="Notes, newest first">
          {notes.map((note) => (
            <li key={note.id} className="note">
              <div className="note-meta">
                <strong>{authorName(note.author, myId)}</strong>
                <span className="muted">
                  <RelativeTime iso={note.created_at} />
                  {note.updated_at !== note.created_at && (
                    <span title={`Edited ${formatDateTime(note.updated_at)}`}> · edited</span>
                  )}
                </span>
                {note.can_edit && editing !== note.id && (
                  <span className="note-actions">
                    <button
                      type="button"
                      className="icon-button"
                      aria-label="Edit note"
                      title="Edit"
                      onClick={() => setEditing(note.id)}
                    >
                      <Pencil size={15} aria-hidden="true" />
                    </button>
                    <button
                      type="button"
                      className="icon-button icon-button-danger"
                      aria-label="Delete note"
                      title="Delete"
                      onClick={() => setDeleting(note)}
                    >
                      <Trash2 size={15} aria-hidden="true" />
                    </button>
                  </span>
                )}
              </div>
              {editing === note.id ? (
                <EditNote customerId={customerId} note={note} onDone={() => setEditing(null)} />
              ) : (
                <p className="note-body">{note.body}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {pages.hasNextPage && (
        <div className="card-footer">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
      {deleting && <DeleteNoteDialog customerId={customerId} note={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

const AUTHOR_FALLBACK: Record<NoteAuthor['type'], string> = {
  staff: 'A former staff member',
  api_key: 'A deleted API key',
  system: 'Paydesk',
  cli: 'Paydesk command line',
};

function authorName(author: NoteAuthor, myId: string | undefined): string {
  const name = author.name ?? AUTHOR_FALLBACK[author.type];
  if (author.type === 'api_key' && author.name) return `${name} (API key)`;
  if (author.type === 'staff' && author.id === myId) return `${name} (you)`;
  return name;
}

function AddNote({ customerId }: { customerId: string }) {
  const add = useAddNote(customerId);
  const [body, setBody] = useState('');
  const submit = () => {
    if (!body.trim() || add.isPending) return;
    add.mutate(body, { onSuccess: () => setBody('') });
  };
  return (
    <form
      className="note-form"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        submit();
      }}
      noValidate
    >
      <NoteText label="New note" value={body} onChange={setBody} onSubmit={submit} error={add.error} />
      <div className="note-form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={!body.trim() || add.isPending}>
          {add.isPending ? 'Adding…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}

function EditNote({ customerId, note, onDone }: { customerId: string; note: Note; onDone: () => void }) {
  const edit = useEditNote(customerId);
  const [body, setBody] = useState(note.body);
  const save = () => {
    if (!body.trim() || edit.isPending) return;
    if (body.trim() === note.body) return onDone();
    edit.mutate({ id: note.id, body }, { onSuccess: onDone });
  };
  return (
    <form
      className="note-form"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        save();
      }}
      noValidate
    >
      <NoteText
        label="Edit note"
        value={body}
        onChange={setBody}
        onSubmit={save}
        onCancel={onDone}
        error={edit.error}
        autoFocus
      />
      <div className="note-form-actions">
        <button type="button" className="btn btn-secondary btn-small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-small" disabled={!body.trim() || edit.isPending}>
          {edit.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

/** The note's text box: Ctrl/⌘+Enter submits, Escape cancels an edit; a count near the limit; the server's reason. */
function NoteText({
  label,
  value,
  onChange,
  onSubmit,
  onCancel,
  error,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  onCancel?: () => void;
  error: Error | null;
  autoFocus?: boolean;
}) {
  const id = useId();
  const length = [...value.trim()].length;
  const tooLong = length > NOTE_MAX_LENGTH;
  const reason = isApiError(error, 422) ? (error.fieldErrors().body ?? error.message) : error?.message;
  const message = tooLong ? `This note is ${(length - NOTE_MAX_LENGTH).toLocaleString()} characters too long.` : reason;
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };
  return (
    <div className="field">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        className="input"
        rows={3}
        placeholder="A note for your team: only staff of this brand see it"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={Boolean(message)}
        aria-describedby={message ? `${id}-message` : undefined}
        autoFocus={autoFocus}
        onFocus={
          autoFocus
            ? (event) => {
                // Editing starts at the end of the text, not before its first letter.
                const end = event.target.value.length;
                event.target.setSelectionRange(end, end);
              }
            : undefined
        }
      />
      {message ? (
        <p className="field-error" id={`${id}-message`} role="alert">
          {fieldSentence('Note', message)}
        </p>
      ) : length > NOTE_MAX_LENGTH - 500 ? (
        <p className="field-hint">
          {length.toLocaleString()} of {NOTE_MAX_LENGTH.toLocaleString()} characters
        </p>
      ) : null}
    </div>
  );
}

function DeleteNoteDialog({ customerId, note, onClose }: { customerId: string; note: Note; onClose: () => void }) {
  const remove = useDeleteNote(customerId);
  const toast = useToast();
  return (
    <Dialog
      title="Delete this note?"
      size="small"
      onClose={onClose}
      initialFocus="[data-autofocus]"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(note.id, {
                onSuccess: () => {
                  toast('Note deleted');
                  onClose();
                },
              })
            }
          >
            {remove.isPending ? 'Deleting…' : 'Delete note'}
          </button>
        </>
      }
    >
      {remove.isError && <Notice tone="danger">{remove.error.message}</Notice>}
      <blockquote className="note-quote">{note.body}</blockquote>
      <p className="muted small">The timeline keeps that a note was deleted, not what it said.</p>
    </Dialog>
  );
}
