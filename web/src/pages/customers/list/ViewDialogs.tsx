import { useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import { useCreateView, useDeleteView } from '../../../api/customer-views';
import type { CustomerListParams, CustomerView } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { InputField } from '../../../components/Field';
import { Notice } from '../../../components/States';
import { useToast } from '../../../components/Toasts';

/** Saves the list as it is now (sort, filters and search) under a name, for oneself or, when allowed, the brand. */
export function SaveViewDialog({
  params,
  summary,
  canShare,
  onClose,
  onSaved,
}: {
  params: CustomerListParams;
  summary: string[];
  canShare: boolean;
  onClose: () => void;
  onSaved: (view: CustomerView) => void;
}) {
  const create = useCreateView();
  const toast = useToast();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [tried, setTried] = useState(false);
  const server = isApiError(create.error) ? create.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), shared, params },
      {
        onSuccess: (view) => {
          toast(`Saved the view ${view.name}`);
          onSaved(view);
        },
      },
    );
  };
  return (
    <Dialog
      title="Save view"
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="save-view-form" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Saving…' : 'Save view'}
          </button>
        </>
      }
    >
      <form id="save-view-form" onSubmit={submit} noValidate>
        <InputField
          label="View name"
          maxLength={60}
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={(tried && !name.trim() ? 'Give the view a name' : undefined) ?? server.name}
        />
        <p className="muted small">
          {summary.length > 0 ? `Saves: ${summary.join(' · ')}` : 'Saves the whole list, newest first.'}
        </p>
        {canShare && (
          <label className="radio">
            <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} />
            Share with everyone in this brand
          </label>
        )}
        {create.isError && Object.keys(server).length === 0 && <Notice tone="danger">{create.error.message}</Notice>}
      </form>
    </Dialog>
  );
}

export function DeleteViewDialog({
  view,
  onClose,
  onDeleted,
}: {
  view: CustomerView;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteView();
  const toast = useToast();
  return (
    <Dialog
      title={`Delete the view ${view.name}?`}
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(view.id, {
                onSuccess: () => {
                  toast(`Deleted the view ${view.name}`);
                  onDeleted();
                },
              })
            }
          >
            {remove.isPending ? 'Deleting…' : 'Delete view'}
          </button>
        </>
      }
    >
      <p>
        {view.shared ? 'Nobody in the brand will see this tab any more.' : 'The tab goes away.'} The customers are not
        changed.
      </p>
      {remove.isError && <Notice tone="danger">{remove.error.message}</Notice>}
    </Dialog>
  );
}
