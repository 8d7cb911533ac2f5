import { useState } from 'react';
import { Plus } from 'lucide-react';
import { useAddCustomerTag, useRemoveCustomerTag } from '../../../api/customer-tags';
import type { Customer, CustomerTag } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { Notice } from '../../../components/States';
import { useToast } from '../../../components/Toasts';
import { TagChip } from './TagChip';
import { TagPicker } from './TagPicker';

/** The profile's tags: each removable, and one more added from the brand's tags, for roles with customers.tag. */
export function CustomerTags({ customer, canTag }: { customer: Customer; canTag: boolean }) {
  const remove = useRemoveCustomerTag(customer.id);
  const [adding, setAdding] = useState(false);
  if (!canTag && customer.tags.length === 0) return null;
  return (
    <div className="profile-tags">
      {customer.tags.length > 0 && (
        <ul className="tag-list" aria-label="Tags">
          {customer.tags.map((tag) => (
            <li key={tag.id}>
              <TagChip
                tag={tag}
                onRemove={canTag ? () => remove.mutate(tag.id) : undefined}
                removing={remove.isPending && remove.variables === tag.id}
              />
            </li>
          ))}
        </ul>
      )}
      {canTag && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setAdding(true)}>
          <Plus size={15} aria-hidden="true" /> Add tag
        </button>
      )}
      {remove.isError && (
        <span className="field-error" role="alert">
          {remove.error.message || 'The tag could not be removed.'}
        </span>
      )}
      {adding && <AddTagDialog customer={customer} onClose={() => setAdding(false)} />}
    </div>
  );
}

function AddTagDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const add = useAddCustomerTag(customer.id);
  const toast = useToast();
  const [chosen, setChosen] = useState<CustomerTag | null>(null);
  return (
    <Dialog
      title={`Tag ${customer.name}`}
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!chosen || add.isPending}
            onClick={() =>
              chosen &&
              add.mutate(chosen.id, {
                onSuccess: () => {
                  toast(`Added the tag ${chosen.name}`);
                  onClose();
                },
              })
            }
          >
            {add.isPending ? 'Adding…' : 'Add tag'}
          </button>
        </>
      }
    >
      <TagPicker
        value={chosen?.id ?? null}
        onChange={setChosen}
        canCreate
        exclude={customer.tags.map((tag) => tag.id)}
        legend="Choose a tag"
      />
      {add.isError && <Notice tone="danger">{add.error.message}</Notice>}
    </Dialog>
  );
}
