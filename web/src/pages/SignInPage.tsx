import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { useSession, useSignIn } from '../api/session';
import { InputField } from '../components/Field';
import { Logo } from '../components/Logo';
import { Notice, PageLoading } from '../components/States';
import { useDocumentTitle } from '../lib/hooks';

export function SignInPage() {
  useDocumentTitle('Sign in');
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));

  if (session.isPending) return <PageLoading />;
  if (session.data && !signIn.isPending) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };

  const error = signIn.error;
  const fields = isApiError(error, 422) ? error.fieldErrors() : {};
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <Logo />
        <h1>Sign in to Paydesk</h1>
        <p className="muted">Use the staff account your brand's owner gave you.</p>
        {error && !isApiError(error, 422) && (
          <Notice tone="danger" title={isApiError(error, 429) ? 'Too many attempts' : 'Could not sign in'}>
            {isApiError(error, 401) ? 'The email or the password is wrong.' : error.message}
          </Notice>
        )}
        <form onSubmit={submit} noValidate>
          <InputField
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fields.email}
          />
          <InputField
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fields.password}
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}

/** Only a path of this site: an open redirect through ?next= would make a phishing link look like ours. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
