import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { activeMembership, useSession } from '../../api/session';
import { useChangePassword } from '../../api/staff';
import { PageHeader } from '../../components/Bits';
import { InputField } from '../../components/Field';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useDocumentTitle } from '../../lib/hooks';
import { can, ROLE_LABELS } from '../../lib/permissions';
import { AutoCreateCard } from './AutoCreateCard';
import { BrandProfileCard } from './BrandProfileCard';
import { ExchangeRatesCard } from './ExchangeRatesCard';

export default function SettingsPage() {
  useDocumentTitle('Settings');
  const session = useSession().data;
  const membership = activeMembership(session);
  const manage = can(membership, 'brand.manage');
  const ratesVisible = can(membership, 'payments.read');

  return (
    <>
      <PageHeader
        title="Settings"
        subtitle={membership ? `${membership.name} · you are ${ROLE_LABELS[membership.role].toLowerCase()}` : undefined}
      />
      <div className="settings-grid">
        <BrandProfileCard manage={manage} />
        <AutoCreateCard manage={manage} />
        {ratesVisible && <ExchangeRatesCard manage={manage} />}
        <PasswordCard />
      </div>
    </>
  );
}

function PasswordCard() {
  const change = useChangePassword();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const errors = isApiError(change.error, 422) ? change.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== confirm);
    if (next !== confirm) return;
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setConfirm('');
          toast('Password changed; your other sessions were signed out');
        },
      },
    );
  };
  return (
    <section className="card" aria-labelledby="password-title">
      <div className="card-header">
        <h2 id="password-title">Your password</h2>
      </div>
      {change.isError && Object.keys(errors).length === 0 && <Notice tone="danger">{change.error.message}</Notice>}
      <form onSubmit={submit} noValidate className="narrow-form">
        <InputField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.current_password}
        />
        <InputField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={errors.new_password}
          hint="At least 12 characters."
        />
        <InputField
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? 'The two new passwords differ' : undefined}
        />
        <button type="submit" className="btn btn-secondary" disabled={change.isPending || !current || !next}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
