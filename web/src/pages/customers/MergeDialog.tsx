import { useState } from 'react';
import { isApiError } from '../../api/client';
import { useMergeCustomers, type DuplicatePair, type MergeField } from '../../api/merge';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatPhone } from '../../lib/phone';

const FIELDS: { field: MergeField; label: string; show: (c: Customer) => string }[] = [
  { field: 'name', label: 'Name', show: (c) => c.name },
  { field: 'email', label: 'Email', show: (c) => c.email },
  { field: 'phone', label: 'Phone', show: (c) => formatPhone(c.phone) },
  {
    field: 'metadata',
    label: 'Metadata',
    show: (c) =>
      Object.entries(c.metadata)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || '—',
  },
];

/**
 * Review a suggested pair: pick the customer who stays (the survivor) and, field by field, whose value it
 * keeps. Merging moves the other's payments, invoices, orders, notes, timeline and image to the survivor.
 */
export function MergeDialog({
  pair,
  onClose,
  onMerged,
}: {
  pair: DuplicatePair;
  onClose: () => void;
  onMerged: (survivor: Customer) => void;
}) {
  const [first, second] = pair.customers as [Customer, Customer];
  // The older customer stays by default: it usually holds the longer history.
  const [survivorId, setSurvivorId] = useState(first.id);
  const [take, setTake] = useState<Set<MergeField>>(new Set());
  const merge = useMergeCustomers();
  const toast = useToast();
  const survivor = survivorId === first.id ? first : second;
  const other = survivorId === first.id ? second : first;

  const choose = (id: string) => {
    setSurvivorId(id);
    setTake(new Set());
  };
  const pick = (field: MergeField, fromOther: boolean) =>
    setTake((current) => {
      const next = new Set(current);
      if (fromOther) next.add(field);
      else next.delete(field);
      return next;
    });
  const submit = () =>
    merge.mutate(
      { survivor: survivor.id, source_customer: other.id, take: [...take] },
      {
        onSuccess: (merged) => {
          toast(`${other.name} was merged into ${merged.name}`);
          onMerged(merged);
        },
      },
    );
  const error = merge.error;

  return (
    <Dialog
      title="Merge customers"
      size="large"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={merge.isPending} onClick={submit}>
            {merge.isPending ? 'Merging…' : 'Merge'}
          </button>
        </>
      }
    >
      <fieldset className="field">
        <legend>Who stays</legend>
        {[first, second].map((customer) => (
          <label key={customer.id} className="radio">
            <input
              type="radio"
              name="survivor"
              value={customer.id}
              checked={survivorId === customer.id}
              onChange={() => choose(customer.id)}
            />{' '}
            {customer.name} <span className="muted mono">{customer.id}</span>
          </label>
        ))}
      </fieldset>
      <table className="table" aria-label="Fields to keep">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Keep {survivor.name}&apos;s</th>
            <th scope="col">Take {other.name}&apos;s</th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.map(({ field, label, show }) => (
            <tr key={field}>
              <th scope="row">{label}</th>
              <td>
                <label className="radio">
                  <input
                    type="radio"
                    name={`take-${field}`}
                    checked={!take.has(field)}
                    onChange={() => pick(field, false)}
                    aria-label={`${label}: keep ${show(survivor)}`}
                  />{' '}
                  {show(survivor)}
                </label>
              </td>
              <td>
                <label className="radio">
                  <input
                    type="radio"
                    name={`take-${field}`}
                    checked={take.has(field)}
                    onChange={() => pick(field, true)}
                    aria-label={`${label}: take ${show(other)}`}
                  />{' '}
                  {show(other)}
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <strong>{survivor.name}</strong> takes {other.name}&apos;s payments, invoices, orders, notes, timeline, image
        (if it has none) and site account. {other.name}&apos;s id will point to {survivor.name}. This cannot be undone.
      </p>
      {error && (
        <Notice tone="danger" title={isApiError(error, 409) ? 'These customers cannot be merged' : undefined}>
          {error.message}
        </Notice>
      )}
    </Dialog>
  );
}
