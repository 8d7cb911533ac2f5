import { useId, useState } from 'react';
import { Link } from 'react-router';
import { BadgeCheck, CircleUserRound, Hash, Link2, Mail, Unlink } from 'lucide-react';
import { isApiError } from '../../api/client';
import type { Customer, SiteUser } from '../../api/types';
import { useLinkUser, userName, useUser, useUsers } from '../../api/users';
import { StatusBadge } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { ErrorState, Notice, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useDebouncedValue } from '../../lib/hooks';

/**
 * The customer's account on the merchant's site: the linked one with Unlink, or a search to link one,
 * and the accounts whose unverified email matches (the server only suggests those; staff confirm).
 */
export function SiteAccountCard({
  customer,
  canEdit,
  className,
}: {
  customer: Customer;
  canEdit: boolean;
  className?: string;
}) {
  const link = useLinkUser(customer.id);
  const toast = useToast();
  const [unlinking, setUnlinking] = useState<SiteUser | null>(null);
  const suggestions = useUsers({ suggested_customer: customer.id, limit: 5 });
  const suggested = (suggestions.data?.data ?? []).filter((user) => user.id !== customer.user);

  const linkUser = (user: SiteUser) =>
    link.mutate(user.id, { onSuccess: () => toast(`Site account ${user.external_id} is linked to ${customer.name}`) });
  const refused = isApiError(link.error, 409) && link.error.code === 'user_linked' ? link.error.problem : null;
  const holder = refused && typeof refused.customer_id === 'string' ? refused.customer_id : null;

  return (
    <section className={`card ${className ?? ''}`} aria-labelledby="site-account-title">
      <div className="card-header">
        <h2 id="site-account-title">Site account</h2>
        {customer.user && <StatusBadge status="active" label="Linked" />}
      </div>
      {customer.user ? (
        <LinkedUser id={customer.user} canEdit={canEdit} onUnlink={setUnlinking} />
      ) : (
        <p className="muted small">No account on your site is linked to {customer.name}.</p>
      )}
      {suggested.length > 0 && (
        <div className="suggestions">
          <h3 className="suggestions-title">Suggested: same email, not verified</h3>
          <ul className="account-list">
            {suggested.map((user) => (
              <li key={user.id}>
                <AccountSummary user={user} />
                {canEdit && (
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={link.isPending}
                    aria-label={`Link ${userName(user)}`}
                    onClick={() => linkUser(user)}
                  >
                    <Link2 size={14} aria-hidden="true" /> Link
                  </button>
                )}
              </li>
            ))}
          </ul>
          <p className="muted small">
            The site has not verified this email, so it was not linked on its own.
            {customer.user && canEdit ? ' Linking one replaces the linked account.' : ''}
          </p>
        </div>
      )}

      {!customer.user && canEdit && <UserSearch onPick={linkUser} busy={link.isPending} />}

      {link.isError && (
        <Notice tone="danger">
          {link.error.message}
          {holder && (
            <>
              {' '}
              <Link to={`/customers/${holder}`}>Open that customer</Link>
            </>
          )}
        </Notice>
      )}

      {unlinking && (
        <Dialog
          title={`Unlink ${userName(unlinking)}'s site account?`}
          size="small"
          onClose={() => setUnlinking(null)}
          initialFocus="[data-autofocus]"
          footer={
            <>
              <button type="button" className="btn btn-secondary" onClick={() => setUnlinking(null)} data-autofocus>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-danger"
                disabled={link.isPending}
                onClick={() =>
                  link.mutate(null, {
                    onSuccess: () => {
                      toast(`Site account ${unlinking.external_id} was unlinked from ${customer.name}`);
                      setUnlinking(null);
                    },
                  })
                }
              >
                {link.isPending ? 'Unlinking…' : 'Unlink'}
              </button>
            </>
          }
        >
          <p>
            {customer.name} and the account <strong className="mono">{unlinking.external_id}</strong> stay, no longer
            linked. Orders the account places later are not matched to {customer.name} by their account.
          </p>
        </Dialog>
      )}
    </section>
  );
}

function LinkedUser({ id, canEdit, onUnlink }: { id: string; canEdit: boolean; onUnlink: (user: SiteUser) => void }) {
  const user = useUser(id);
  if (user.isPending) return <Spinner />;
  if (user.isError) {
    return (
      <ErrorState error={user.error} retry={() => void user.refetch()} title="The site account could not be loaded" />
    );
  }
  const u = user.data;
  return (
    <>
      <dl className="contact-list">
        <div>
          <dt>
            <CircleUserRound size={15} aria-hidden="true" /> Name
          </dt>
          <dd data-testid="site-account-name">{userName(u)}</dd>
        </div>
        <div>
          <dt>
            <Mail size={15} aria-hidden="true" /> Email
          </dt>
          <dd className={u.contact_masked ? 'masked' : undefined}>
            {u.email}{' '}
            {u.email_verified ? (
              <span className="verified" title="Your site verified this email">
                <BadgeCheck size={14} aria-hidden="true" /> Verified
              </span>
            ) : (
              <StatusBadge status="unverified" />
            )}
          </dd>
        </div>
        <div>
          <dt>
            <Hash size={15} aria-hidden="true" /> External ID
          </dt>
          <dd className="mono">{u.external_id}</dd>
        </div>
      </dl>
      {canEdit && (
        <div className="card-footer">
          <button type="button" className="btn btn-secondary btn-small btn-danger-text" onClick={() => onUnlink(u)}>
            <Unlink size={14} aria-hidden="true" /> Unlink
          </button>
        </div>
      )}
    </>
  );
}

function AccountSummary({ user }: { user: SiteUser }) {
  return (
    <span className="account-summary">
      <strong>{userName(user)}</strong>
      <span className={`small${user.contact_masked ? ' masked' : ' muted'}`}>{user.email}</span>
      <span className="mono muted small">{user.external_id}</span>
    </span>
  );
}

/** Finds a site account by the same server search as the Site users page (like CustomerPicker). */
function UserSearch({ onPick, busy }: { onPick: (user: SiteUser) => void; busy: boolean }) {
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 250);
  const results = useUsers({ q, limit: 6 }, { enabled: q !== '' });
  const options = q ? (results.data?.data ?? []) : [];
  return (
    <div className="field">
      <label htmlFor={id}>Link a site account</label>
      <input
        id={id}
        className="input"
        type="search"
        placeholder="Search by name or email"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoComplete="off"
      />
      {q && (
        <ul className="picker-results" aria-label="Matching site accounts">
          {options.length === 0 && !results.isFetching && <li className="muted small">No matching site accounts</li>}
          {options.map((user) => (
            <li key={user.id}>
              <button type="button" className="picker-option" disabled={busy} onClick={() => onPick(user)}>
                <AccountSummary user={user} />
                {user.customer && <span className="small warning-text">Linked to another customer</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
