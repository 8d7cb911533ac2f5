import { useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import { SUSPENSION_REASON_LABELS, useResumeCustomer, useSuspendCustomer } from '../../../api/customer-suspension';
import type { Customer, SuspensionReason } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { SelectField, TextareaField } from '../../../components/Field';
import { Notice } from '../../../components/States';
import { useToast } from '../../../components/Toasts';

export const SUSPENSION_REASONS = Object.keys(SUSPENSION_REASON_LABELS) as SuspensionReason[];

/** Suspend with a reason (a closed list) and an optional note for the staff; the payer is never told why. */
export function SuspendDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const suspend = useSuspendCustomer(customer.id);
  const toast = useToast();
  const [reason, setReason] = useState<SuspensionReason | ''>('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const server = isApiError(suspend.error) ? suspend.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!reason) return;
    suspend.mutate(
      { reason, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: () => {
          toast(`${customer.name} was suspended`);
          onClose();
        },
      },
    );
  };
  return (
    <Dialog
      title={`Suspend ${customer.name}?`}
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="suspend-form" className="btn btn-danger" disabled={suspend.isPending}>
            {suspend.isPending ? 'Suspending…' : 'Suspend customer'}
          </button>
        </>
      }
    >
      <form id="suspend-form" onSubmit={submit} noValidate>
        <p>
          Payment pages, checkouts, invoices and orders will refuse new payments from this customer's email. The payer
          sees that the payment cannot be accepted, not why.
        </p>
        <SelectField
          label="Reason"
          value={reason}
          onChange={(event) => setReason(event.target.value as SuspensionReason | '')}
          error={(tried && !reason ? 'Choose a reason' : undefined) ?? server.reason}
        >
          <option value="">Choose a reason…</option>
          {SUSPENSION_REASONS.map((value) => (
            <option key={value} value={value}>
              {SUSPENSION_REASON_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <TextareaField
          label="Note for your team"
          optional
          maxLength={1000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          error={server.note}
          hint="Why, in your words. Only staff see it."
        />
        {suspend.isError && !server.reason && !server.note && <Notice tone="danger">{suspend.error.message}</Notice>}
      </form>
    </Dialog>
  );
}

export function ResumeDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const resume = useResumeCustomer(customer.id);
  const toast = useToast();
  return (
    <Dialog
      title={`Resume ${customer.name}?`}
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
            disabled={resume.isPending}
            onClick={() =>
              resume.mutate(undefined, {
                onSuccess: () => {
                  toast(`${customer.name} can pay again`);
                  onClose();
                },
              })
            }
          >
            {resume.isPending ? 'Resuming…' : 'Resume customer'}
          </button>
        </>
      }
    >
      <p>Payments from this customer's email will be accepted again.</p>
      {resume.isError && <Notice tone="danger">{resume.error.message}</Notice>}
    </Dialog>
  );
}
