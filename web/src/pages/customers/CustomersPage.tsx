import { useState } from 'react';
import { Link } from 'react-router';
import { Plus, Search, Upload, UserRound } from 'lucide-react';
import { useCustomerList, useCustomerStats } from '../../api/customers';
import { activeMembership, useSession } from '../../api/session';
import type { Customer } from '../../api/types';
import { EmailText, KpiCard, PageHeader, Pager, SearchBox } from '../../components/Bits';
import { EmptyState, ErrorState, SkeletonRows } from '../../components/States';
import { formatDate } from '../../lib/format';
import { useCursorStack, useDebouncedValue, useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { AddCustomerDialog } from './AddCustomerDialog';
import { ImportCustomersDialog } from './ImportCustomersDialog';
import { CustomerAvatar } from './CustomerAvatar';
import { DeleteCustomerDialog } from './DeleteCustomerDialog';

const COLUMNS = 7;

export default function CustomersPage() {
  useDocumentTitle('Customers');
  const membership = activeMembership(useSession().data);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 250);
  const pages = useCursorStack();
  const [lastQ, setLastQ] = useState(q);
  if (q !== lastQ) {
    // A new search starts from its first page.
    setLastQ(q);
    pages.reset();
  }
  const list = useCustomerList(q, pages.cursor);
  const stats = useCustomerStats();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Customer | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);

  const rows = list.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Customers"
        subtitle="Everyone who has paid or been registered with this brand."
        actions={
          <>
            {can(membership, 'customers.import') && (
              <button type="button" className="btn btn-secondary" onClick={() => setImporting(true)}>
                <Upload size={18} aria-hidden="true" /> Import
              </button>
            )}
            {can(membership, 'customers.create') && (
              <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
                <Plus size={18} aria-hidden="true" /> Add customer
              </button>
            )}
          </>
        }
      />
      <div className="kpi-row">
        <KpiCard
          label="Total Customers"
          loading={stats.isPending}
          value={stats.isError ? '—' : (stats.data?.total_customers ?? 0).toLocaleString()}
        />
      </div>

      <section className="card table-card" aria-label="Customer list">
        <div className="toolbar">
          <SearchBox
            id="customer-search"
            label="Search customers"
            placeholder="Search by name, email or phone"
            value={search}
            onChange={setSearch}
          />
          {list.isFetching && !list.isPending && (
            <span className="toolbar-status" role="status">
              Updating…
            </span>
          )}
        </div>

        {list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Customers could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          q ? (
            <EmptyState title="No matching customers" icon={<Search size={22} />}>
              Nobody's name, email or phone matches “{q}”.
              {!can(membership, 'customers.read_raw_contact')
                ? ' Your role finds emails and phone numbers only by their full value.'
                : ''}
            </EmptyState>
          ) : (
            <EmptyState
              title="No customers yet"
              icon={<UserRound size={22} />}
              action={
                can(membership, 'customers.create') && (
                  <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
                    <Plus size={18} aria-hidden="true" /> Add the first customer
                  </button>
                )
              }
            >
              Customers appear here when they pay, order or register on your site, or when you add them.
            </EmptyState>
          )
        ) : (
          <div className="table-scroll">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Name / ID</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                  <th scope="col" className="num">
                    Transactions
                  </th>
                  <th scope="col" className="num">
                    Total Spent
                  </th>
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
                  rows.map((customer) => (
                    <tr key={customer.id} className={customer.id === highlight ? 'row-new' : undefined}>
                      <td className="stack-full">
                        <span className="person">
                          <CustomerAvatar customer={customer} size="small" />
                          <span className="person-text">
                            <Link to={`/customers/${customer.id}`} className="cell-title">
                              {customer.name}
                            </Link>
                            <span className="cell-sub mono">{customer.id}</span>
                          </span>
                        </span>
                      </td>
                      <td className={`email stack-full${customer.contact_masked ? ' masked' : ''}`}>
                        <EmailText email={customer.email} />
                      </td>
                      <td className={`nowrap stack-full${customer.contact_masked ? ' masked' : ''}`}>
                        {customer.phone ?? '—'}
                      </td>
                      <td className="num" data-label="Transactions">
                        {customer.transactions_count.toLocaleString()}
                      </td>
                      <td className="num" data-label="Spent">
                        {formatMoney(customer.total_spent)}
                      </td>
                      <td className="nowrap" data-label="Created">
                        {formatDate(customer.created_at)}
                      </td>
                      <td className="actions">
                        <Link
                          to={`/customers/${customer.id}`}
                          className="btn btn-ghost btn-small"
                          aria-label={`View ${customer.name}`}
                        >
                          View
                        </Link>
                        {can(membership, 'customers.delete') && (
                          <button
                            type="button"
                            className="btn btn-ghost btn-small btn-danger-text"
                            aria-label={`Delete ${customer.name}`}
                            onClick={() => setDeleting(customer)}
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

      {adding && (
        <AddCustomerDialog
          onClose={() => setAdding(false)}
          onCreated={(customer) => {
            setAdding(false);
            setSearch('');
            pages.reset();
            setHighlight(customer.id);
          }}
        />
      )}
      {importing && (
        <ImportCustomersDialog onClose={() => setImporting(false)} mayUpdate={can(membership, 'customers.edit')} />
      )}
      {deleting && (
        <DeleteCustomerDialog
          customer={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => setDeleting(null)}
        />
      )}
    </>
  );
}
