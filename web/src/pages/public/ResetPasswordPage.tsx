import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useCompletePasswordReset, usePublicPasswordReset } from '../../api/password-resets';
import type { PublicStaffPasswordReset } from '../../api/types';
import { InputField } from '../../components/Field';
import { Logo } from '../../components/Logo';
import { EmptyState, ErrorState, Notice, Spinner } from '../../components/States';
import { useDocumentTitle } from '../../lib/hooks';

/** /reset-password/{token}: a password reset an owner or admin started. The person sets a new password. */
export default function ResetPasswordPage() {
  useDocumentTitle('Set a new password');
  const { token = '' } = useParams();
  const reset = usePublicPasswordReset(token);
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <Logo />
        {reset.isPending ? (
          <div className="center">
            <Spinner />
          </div>
        ) : reset.isError ? (
          isApiError(reset.error, 404) || isApiError(reset.error, 410) ? (
            <EmptyState title="This link cannot be used">
              {isApiError(reset.error, 410)
                ? 'It has expired, was replaced by a newer link, or was already used.'
                : 'The link is not valid; check that it was copied whole.'}{' '}
              Ask an owner or admin of your brand for a new link.
            </EmptyState>
          ) : (
            <ErrorState error={reset.error} retry={() => void reset.refetch()} />
          )
        ) : (
          <ResetForm token={token} reset={reset.data} />
        )}
      </div>
    </main>
  );
}

function ResetForm({ token, reset }: { token: string; reset: PublicStaffPasswordReset }) {
  const complete = useCompletePasswordReset(token);
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const error = complete.error;
  const fields = isApiError(error, 422) ? error.fieldErrors() : {};
  const otherError = error && Object.keys(fields).length === 0 ? error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate({ password }, { onSuccess: () => void navigate('/', { replace: true }) });
  };

  return (
    <>
      <h1>Set a new password</h1>
      <p className="muted">
        For <strong>{reset.name}</strong>. Saving it signs you in here and signs you out everywhere else.
      </p>
      {otherError && (
        <Notice tone="danger" title="Could not set the password">
          {otherError.message}
        </Notice>
      )}
      <form onSubmit={submit} noValidate>
        <InputField label="Email" type="email" name="email" autoComplete="username" value={reset.email} readOnly />
        <InputField
          label="New password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          hint="At least 12 characters."
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={complete.isPending}>
          {complete.isPending ? 'Saving…' : 'Set password and sign in'}
        </button>
      </form>
    </>
  );
}
