import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useAcceptInvitation, usePublicInvitation } from '../../api/invitations';
import type { PublicStaffInvitation } from '../../api/types';
import { InputField } from '../../components/Field';
import { Logo } from '../../components/Logo';
import { EmptyState, ErrorState, Notice, Spinner } from '../../components/States';
import { useDocumentTitle } from '../../lib/hooks';
import { ROLE_LABELS } from '../../lib/permissions';

/** /invite/{token}: a staff invitation. A new account sets its name and password; an existing one signs in. */
export default function InvitePage() {
  useDocumentTitle('Join a brand');
  const { token = '' } = useParams();
  const invitation = usePublicInvitation(token);
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <Logo />
        {invitation.isPending ? (
          <div className="center">
            <Spinner />
          </div>
        ) : invitation.isError ? (
          isApiError(invitation.error, 404) || isApiError(invitation.error, 410) ? (
            <EmptyState title="This invitation cannot be used">
              {isApiError(invitation.error, 410)
                ? 'It has expired, was revoked, or was already used.'
                : 'The link is not valid; check that it was copied whole.'}{' '}
              Ask the person who invited you for a new link.
            </EmptyState>
          ) : (
            <ErrorState error={invitation.error} retry={() => void invitation.refetch()} />
          )
        ) : (
          <AcceptForm token={token} invitation={invitation.data} />
        )}
      </div>
    </main>
  );
}

function AcceptForm({ token, invitation }: { token: string; invitation: PublicStaffInvitation }) {
  const accept = useAcceptInvitation(token);
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const isNew = invitation.account === 'new';
  const error = accept.error;
  const fields = isApiError(error, 422) ? error.fieldErrors() : {};
  const otherError = error && Object.keys(fields).length === 0 ? error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate(isNew ? { name, password } : { password }, {
      onSuccess: () => void navigate('/', { replace: true }),
    });
  };

  return (
    <>
      <h1>Join {invitation.brand.name}</h1>
      <p className="muted">
        You are invited as <strong>{ROLE_LABELS[invitation.role].toLowerCase()}</strong>.{' '}
        {isNew
          ? 'Choose your name and a password to create your Paydesk account.'
          : 'You already have a Paydesk account: sign in with its password to join.'}
      </p>
      {otherError && (
        <Notice tone="danger" title={isApiError(otherError, 429) ? 'Too many attempts' : 'Could not join'}>
          {otherError.message}
        </Notice>
      )}
      <form onSubmit={submit} noValidate>
        <InputField label="Email" type="email" name="email" autoComplete="username" value={invitation.email} readOnly />
        {isNew && (
          <InputField
            label="Your name"
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fields.name}
          />
        )}
        <InputField
          label={isNew ? 'Choose a password' : 'Password'}
          type="password"
          name="password"
          autoComplete={isNew ? 'new-password' : 'current-password'}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          hint={isNew ? 'At least 12 characters.' : undefined}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={accept.isPending}>
          {accept.isPending ? 'Joining…' : isNew ? 'Create account and join' : 'Sign in and join'}
        </button>
      </form>
    </>
  );
}
