import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Eye, Lock, Mail, Phone } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useRevealCustomer } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { TextareaField } from '../../components/Field';
import { Notice } from '../../components/States';
import { formatTime } from '../../lib/format';
import { formatPhone } from '../../lib/phone';

/**
 * Email and phone, masked for roles that see them masked. Revealing asks why (the server audits the
 * reason once); the member then sees this customer's contact for 15 minutes, across visits, as the
 * server answers it (contact_revealed_until), and masked again after.
 */
export function ContactCard({
  customer,
  canReveal,
  className,
}: {
  customer: Customer;
  canReveal: boolean;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  const masked = customer.contact_masked;
  const revealedUntil = customer.contact_revealed_until;
  useRemaskAt(customer.id, revealedUntil);
  const { email, phone } = customer;
  // An erased customer's contact is gone for good: say so rather than show empty fields.
  const erased = customer.erased_at !== null;

  return (
    <section className={`card ${className ?? ''}`} aria-labelledby="contact-title">
      <div className="card-header">
        <h2 id="contact-title">Contact</h2>
        {masked && (
          <span className="badge badge-neutral">
            <Lock size={12} aria-hidden="true" /> Masked
          </span>
        )}
        {revealedUntil && (
          <span
            className="badge badge-warning"
            title="You revealed this contact; you see it on this customer for 15 minutes after a reveal."
          >
            Revealed until {formatTime(revealedUntil)}
          </span>
        )}
      </div>
      <dl className="contact-list">
        <div>
          <dt>
            <Mail size={15} aria-hidden="true" /> Email
          </dt>
          <dd className={masked ? 'masked' : undefined} data-testid="contact-email">
            {erased ? <span className="muted">Erased</span> : masked ? email : <a href={`mailto:${email}`}>{email}</a>}
          </dd>
        </div>
        <div>
          <dt>
            <Phone size={15} aria-hidden="true" /> Phone
          </dt>
          <dd className={masked ? 'masked' : undefined} data-testid="contact-phone">
            {erased ? (
              <span className="muted">Erased</span>
            ) : phone ? (
              masked ? (
                phone
              ) : (
                <a href={`tel:${phone}`}>{formatPhone(phone)}</a>
              )
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
        </div>
      </dl>
      {masked && (
        <div className="card-footer">
          {canReveal ? (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setAsking(true)}>
              <Eye size={15} aria-hidden="true" /> Reveal contact details
            </button>
          ) : (
            <p className="muted small">Your role sees contact details masked.</p>
          )}
        </div>
      )}
      {asking && (
        <RevealDialog customer={customer} onClose={() => setAsking(false)} onRevealed={() => setAsking(false)} />
      )}
    </section>
  );
}

/** When the reveal ends, the profile is read again, and the server answers it masked. */
function useRemaskAt(id: string, until: string | null) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!until) return;
    const timer = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: ['customers', 'one', id] }),
      Math.max(0, new Date(until).getTime() - Date.now()) + 500,
    );
    return () => window.clearTimeout(timer);
  }, [id, until, queryClient]);
}

function RevealDialog({
  customer,
  onClose,
  onRevealed,
}: {
  customer: Customer;
  onClose: () => void;
  onRevealed: () => void;
}) {
  const reveal = useRevealCustomer(customer.id);
  const [reason, setReason] = useState('');
  const error = reveal.error;
  const fieldError = isApiError(error, 422) ? (error.fieldErrors().reason ?? error.message) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reveal.mutate(reason.trim(), { onSuccess: onRevealed });
  };
  return (
    <Dialog
      title="Reveal contact details"
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="reveal-form"
            className="btn btn-primary"
            disabled={reveal.isPending || reason.trim().length < 3}
          >
            {reveal.isPending ? 'Revealing…' : 'Reveal'}
          </button>
        </>
      }
    >
      <p>
        Why do you need {customer.name}'s email and phone? Your reason is kept in the audit log with your name and the
        time.
      </p>
      {error && !fieldError && <Notice tone="danger">{error.message}</Notice>}
      <form id="reveal-form" onSubmit={submit} noValidate>
        <TextareaField
          label="Reason"
          name="reason"
          placeholder="e.g. Customer called about a failed payment, ticket 4711"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          error={fieldError}
          hint="At least 3 characters."
        />
      </form>
    </Dialog>
  );
}
