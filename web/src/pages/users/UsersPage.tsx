import { useState } from 'react';
import { Link } from 'react-router';
import { CircleUserRound, Search } from 'lucide-react';
import { useCustomerNames } from '../../api/customers';
import { activeMembership, useSession } from '../../api/session';
import type { SiteUser } from '../../api/types';
import { userName, useUsers } from '../../api/users';
import { PageHeader, Pager, SearchBox, StatusBadge, StatusFilter } from '../../components/Bits';
import { EmptyState, ErrorState, SkeletonRows } from '../../components/States';
import { TruncatedText } from '../../components/TruncatedText';
import { formatDate } from '../../lib/format';
import { useCursorStack, useDebouncedValue, useDocumentTitle } from '../../lib/hooks';
import { can } from '../../lib/permissions';
import { formatPhone } from '../../lib/phone';
import { DeleteUserDialog } from './DeleteUserDialog';

type Linked = 'linked' | 'unlinked';

const FILTERS: { value: Linked | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'linked', label: 'Linked' },
  { value: 'unlinked', label: 'Not linked' },
];

const COLUMNS = 6;

/** The merchant's storefront accounts, as their site registered them; read-only but for deleting. */
export default function UsersPage() {
  useDocumentTitle('Site users');
  const membership = activeMembership(useSession().data);
  const [search, setSearch] = useState('');
  const [linked, setLinked] = useState<Linked | ''>('');
  const q = useDebouncedValue(search.trim(), 250);
  const pages = useCursorStack();
  const [lastQ, setLastQ] = useState(q);
  if (q !== lastQ) {
    // A new search starts from its first page.
    setLastQ(q);
    pages.reset();
  }
  const list = useUsers({ q, linked: linked ? linked === 'linked' : undefined, cursor: pages.cursor });
  const [deleting, setDeleting] = useState<SiteUser | null>(null);
  const rows = list.data?.data ?? [];
  const names = useCustomerNames(
    rows.flatMap((user) => [user.customer, user.suggested_customer].filter((id): id is string => id !== null)),
    can(membership, 'customers.read'),
  );

  return (
    <>
      <PageHeader
        title="Site users"
        subtitle="Accounts on your site, as its backend registers them, and the customer each one is linked to."
      />
      <section className="card table-card stack-when-narrow" aria-label="Site user list">
        <div className="toolbar">
          <SearchBox
            id="user-search"
            label="Search site users"
            placeholder={can(membership, 'customers.read_raw_contact') ? 'Search by name or email' : 'Search by name'}
            value={search}
            onChange={setSearch}
          />
          <StatusFilter
            label="Filter by customer link"
            options={FILTERS}
            value={linked}
            onChange={(value) => {
              setLinked(value);
              pages.reset();
            }}
          />
          {list.isFetching && !list.isPending && (
            <span className="toolbar-status" role="status">
              Updating…
            </span>
          )}
        </div>

        {list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Site users could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          q || linked ? (
            <EmptyState title="No matching site users" icon={<Search size={22} />}>
              {noMatch(q, linked)}
              {q && !can(membership, 'customers.read_raw_contact')
                ? ' Your role finds emails only by their full value.'
                : ''}
            </EmptyState>
          ) : (
            <EmptyState title="No site users yet" icon={<CircleUserRound size={22} />}>
              When your site's backend registers an account (POST /api/v1/users), it shows up here, linked to its
              customer.
            </EmptyState>
          )
        ) : (
          <div className="table-scroll">
            <table className="table table-stack users-table">
              <thead>
                <tr>
                  <th scope="col" className="cell-fill">
                    Name
                  </th>
                  <th scope="col" className="cell-fill">
                    Email and phone
                  </th>
                  <th scope="col" className="cell-fill">
                    Customer
                  </th>
                  <th scope="col">External ID</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody aria-busy={list.isFetching}>
                {list.isPending ? (
                  <SkeletonRows columns={COLUMNS} />
                ) : (
                  rows.map((user) => (
                    <tr key={user.id}>
                      <td className="cell-fill stack-full">
                        <TruncatedText className="cell-title-plain" text={userName(user)} />
                        <span className="cell-sub mono">{user.id}</span>
                      </td>
                      <td className={`cell-fill stack-full${user.contact_masked ? ' masked' : ''}`}>
                        <TruncatedText text={user.email} />
                        {user.phone && <span className="cell-sub nowrap">{formatPhone(user.phone)}</span>}
                        <span className="cell-sub">
                          <StatusBadge status={user.email_verified ? 'verified' : 'unverified'} />
                        </span>
                      </td>
                      <td className="cell-fill stack-full">
                        <CustomerCell user={user} names={names} />
                      </td>
                      <td data-label="External ID">
                        <TruncatedText className="mono external-id" text={user.external_id} />
                      </td>
                      <td className="nowrap" data-label="Created">
                        {formatDate(user.created_at)}
                      </td>
                      <td className="actions">
                        {can(membership, 'users.write') && (
                          <button
                            type="button"
                            className="btn btn-ghost btn-small btn-danger-text"
                            aria-label={`Delete ${userName(user)}`}
                            onClick={() => setDeleting(user)}
                          >
                            Delete
                          </button>
                        )}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}
        <Pager pages={pages} list={list} />
      </section>
      {deleting && <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

function CustomerCell({ user, names }: { user: SiteUser; names: Record<string, string> }) {
  if (user.customer) {
    const name = names[user.customer];
    return (
      <Link
        to={`/customers/${user.customer}`}
        className="truncate"
        title={name}
        aria-label={`Customer ${name ?? user.customer}`}
      >
        {name ?? <span className="mono small">{user.customer}</span>}
      </Link>
    );
  }
  return (
    <>
      <span className="muted">Not linked</span>
      {user.suggested_customer && (
        <span className="cell-sub">
          Suggested:{' '}
          <Link to={`/customers/${user.suggested_customer}`}>{names[user.suggested_customer] ?? 'same email'}</Link>
        </span>
      )}
    </>
  );
}

function noMatch(q: string, linked: Linked | ''): string {
  if (!q) {
    return linked === 'linked'
      ? 'No site account is linked to a customer yet.'
      : 'Every site account is linked to a customer.';
  }
  const among =
    linked === 'linked' ? ' among the linked accounts' : linked === 'unlinked' ? ' among the unlinked ones' : '';
  return `Nobody's name or email matches “${q}”${among}.`;
}
