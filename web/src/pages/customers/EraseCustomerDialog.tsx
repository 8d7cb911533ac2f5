import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useEraseCustomer } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { InputField, TextareaField } from '../../components/Field';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';

/** What the person confirming types, so an erase is never one stray click. */
export const ERASE_CONFIRMATION = 'ERASE';

/**
 * Erase a customer's personal data for good (owners and admins): says what goes and what stays, asks
 * why (kept in the audit log) and for ERASE typed out.
 */
export function EraseCustomerDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const erase = useEraseCustomer(customer.id);
  const toast = useToast();
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const error = erase.error;
  const fieldError = isApiError(error, 422) ? (error.fieldErrors().reason ?? error.message) : undefined;
  const ready = reason.trim().length >= 3 && typed.trim() === ERASE_CONFIRMATION;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    erase.mutate(reason.trim(), {
      onSuccess: (result) => {
        toast(
          result.scrubbed
            ? 'Personal data erased'
            : 'Personal data erased; old copies stay in the database files until an operator rewrites its tables (see the server log)',
        );
        onClose();
      },
    });
  };
  return (
    <Dialog
      title={`Erase ${customer.name}'s personal data?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="erase-form" className="btn btn-danger" disabled={erase.isPending || !ready}>
            {erase.isPending ? 'Erasing…' : 'Erase personal data'}
          </button>
        </>
      }
    >
      <p>For someone who asked to be forgotten. This cannot be undone.</p>
      <div className="erase-summary" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
        <div>
          <h3>Destroyed for good</h3>
          <ul>
            <li>Name, email, phone and metadata</li>
            <li>Notes and the image</li>
            <li>The linked site account and buyer details kept on orders</li>
          </ul>
        </div>
        <div>
          <h3>Kept</h3>
          <ul>
            <li>Payments, refunds and the ledger</li>
            <li>Invoices and orders with their amounts</li>
            <li>Totals: transactions and total spent</li>
          </ul>
        </div>
      </div>
      <p className="muted">
        The customer then shows as “Erased customer”. The email may be used again, by a new customer.
      </p>
      {error && !fieldError && <Notice tone="danger">{error.message}</Notice>}
      <form id="erase-form" onSubmit={submit} noValidate>
        <TextareaField
          label="Reason"
          name="reason"
          placeholder="e.g. Erasure request by email, ticket 5120"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          error={fieldError}
          hint="Kept in the audit log; email addresses and phone numbers in it are masked."
        />
        <InputField
          label={`Type ${ERASE_CONFIRMATION} to confirm`}
          name="confirm"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </form>
    </Dialog>
  );
}
