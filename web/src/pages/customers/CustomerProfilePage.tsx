import { lazy, Suspense, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, useParams } from 'react-router';
import { ArrowLeft, Pencil, Trash2 } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useCustomer, useCustomerInvoices, useCustomerOrders, useCustomerTransactions } from '../../api/customers';
import { isMerged } from '../../api/merge';
import { activeMembership, useSession } from '../../api/session';
import type { Invoice, Order, Transaction } from '../../api/types';
import { KpiCard } from '../../components/Bits';
import { EmptyState, ErrorState, Notice, PageLoading, Spinner } from '../../components/States';
import { formatDate, formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { RefundDialog } from '../payments/RefundDialog';
import { TransactionsTable } from '../payments/TransactionsTable';
import { InvoicesTable } from '../payments/InvoicesTable';
import { OrdersTable } from '../orders/OrdersTable';
import { ContactCard } from './ContactCard';
import { CustomerAvatar } from './CustomerAvatar';
import { CustomerImageControls } from './CustomerImageControls';
import { sourcePhrase } from './customer-sources';
import { DeleteCustomerDialog } from './DeleteCustomerDialog';
import { EraseCustomerDialog } from './EraseCustomerDialog';
import { EditCustomerDialog } from './EditCustomerDialog';
import { NotesCard } from './NotesCard';
import { SiteAccountCard } from './SiteAccountCard';
import { TimelineCard } from './TimelineCard';

// recharts is the largest dependency; only this page needs it.
const PaymentsChart = lazy(() => import('./PaymentsChart'));

export default function CustomerProfilePage() {
  const { id = '' } = useParams();
  const session = useSession().data;
  const membership = activeMembership(session);
  const myId = session?.staff.id;
  const customer = useCustomer(id);
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [erasing, setErasing] = useState(false);
  // Arriving from a merged customer's address (the redirect below), the profile says so.
  const mergedFrom = (useLocation().state as { mergedFrom?: string } | null)?.mergedFrom;
  useDocumentTitle(customer.data && !isMerged(customer.data) ? customer.data.name : 'Customer');

  if (customer.isPending) return <PageLoading />;
  if (customer.isError) {
    return (
      <>
        <BackLink />
        {isApiError(customer.error, 404) ? (
          <EmptyState title="Customer not found">
            There is no customer {id} in this brand. It may have been deleted.
          </EmptyState>
        ) : (
          <ErrorState error={customer.error} retry={() => void customer.refetch()} />
        )}
      </>
    );
  }
  const c = customer.data;
  if (isMerged(c)) {
    return <Navigate to={`/customers/${encodeURIComponent(c.merged_into)}`} replace state={{ mergedFrom: c.id }} />;
  }
  const erased = c.erased_at !== null;
  return (
    <>
      <BackLink />
      {mergedFrom && (
        <Notice title="This customer was merged">
          <span data-testid="merged-notice">
            <span className="mono">{mergedFrom}</span> was merged into this customer, which now holds its records.
          </span>
        </Notice>
      )}
      <header className="profile-header">
        <CustomerAvatar customer={c} size="large" />
        <div className="profile-title">
          <h1>
            {c.name}
            {erased && (
              <span className="badge badge-danger" data-testid="erased-badge">
                Erased {formatDate(c.erased_at!)}
              </span>
            )}
          </h1>
          <p className="muted">
            <span className="mono">{c.id}</span> · Customer since {formatDate(c.created_at)} · Added{' '}
            {sourcePhrase(c.source)}
          </p>
          {!erased && can(membership, 'customers.edit') && <CustomerImageControls customer={c} />}
        </div>
        <div className="page-actions">
          {!erased && can(membership, 'customers.edit') && (
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
              <Pencil size={16} aria-hidden="true" /> Edit
            </button>
          )}
          {can(membership, 'customers.delete') && (
            <button type="button" className="btn btn-secondary btn-danger-text" onClick={() => setDeleting(true)}>
              <Trash2 size={16} aria-hidden="true" /> Delete
            </button>
          )}
        </div>
      </header>

      {/* One column on narrow screens, where CSS orders these by use: contact, notes, timeline, then money. */}
      <div className="profile-grid">
        <div className="kpi-row kpi-row-fill profile-kpis">
          <KpiCard label="Transactions" value={c.transactions_count.toLocaleString()} />
          <KpiCard
            label="Total spent"
            value={formatMoney(c.total_spent)}
            hint={`In ${c.total_spent.currency}, the brand's base currency`}
          />
          <KpiCard
            label="Last payment"
            value={c.last_payment_at ? formatDate(c.last_payment_at) : 'None yet'}
            hint={c.last_payment_at ? formatDateTime(c.last_payment_at) : undefined}
          />
        </div>
        <div className="profile-main">
          <PaymentsSection
            customerId={c.id}
            baseCurrency={c.total_spent.currency}
            canRefund={can(membership, 'payments.refund')}
          />
          {can(membership, 'orders.read') && <OrdersSection customerId={c.id} />}
          <InvoicesSection customerId={c.id} />
        </div>
        <div className="profile-side">
          <ContactCard className="profile-contact" customer={c} canReveal={can(membership, 'customers.reveal')} />
          <NotesCard
            className="profile-notes"
            customerId={c.id}
            canWrite={!erased && can(membership, 'notes.write')}
            myId={myId}
          />
          {can(membership, 'users.read') && (
            <SiteAccountCard
              className="profile-account"
              customer={c}
              canEdit={!erased && can(membership, 'customers.edit')}
            />
          )}
          <TimelineCard
            className="profile-timeline"
            customerId={c.id}
            myId={myId}
            canOpenOrders={can(membership, 'orders.read')}
            canOpenPayments={can(membership, 'payments.read')}
          />
        </div>
      </div>

      {!erased && can(membership, 'customers.erase') && (
        <section className="card danger-zone" aria-labelledby="danger-title" style={{ marginTop: 24 }}>
          <div className="card-header">
            <h2 id="danger-title">Danger zone</h2>
          </div>
          <p>
            Erase this customer's personal data for good (name, email, phone, notes, image, site account), for someone
            who asked to be forgotten. Payments, invoices and totals stay.
          </p>
          <div>
            <button type="button" className="btn btn-danger" onClick={() => setErasing(true)}>
              Erase personal data
            </button>
          </div>
        </section>
      )}

      {erasing && <EraseCustomerDialog customer={c} onClose={() => setErasing(false)} />}
      {editing && <EditCustomerDialog customer={c} onClose={() => setEditing(false)} />}
      {deleting && (
        <DeleteCustomerDialog
          customer={c}
          onClose={() => setDeleting(false)}
          onDeleted={() => navigate('/customers', { replace: true })}
        />
      )}
    </>
  );
}

function BackLink() {
  return (
    <Link to="/customers" className="back-link">
      <ArrowLeft size={16} aria-hidden="true" /> Customers
    </Link>
  );
}

function PaymentsSection({
  customerId,
  baseCurrency,
  canRefund,
}: {
  customerId: string;
  baseCurrency: string;
  canRefund: boolean;
}) {
  const pages = useCustomerTransactions(customerId);
  const [refunding, setRefunding] = useState<Transaction | null>(null);
  const rows = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const empty = pages.isSuccess && rows.length === 0;
  return (
    <>
      {!empty && (
        <section className="card" aria-labelledby="chart-title">
          <div className="card-header">
            <h2 id="chart-title">Payments over time</h2>
            {pages.hasNextPage && <span className="muted small">From the {rows.length} most recent transactions</span>}
          </div>
          {pages.isPending ? (
            <div className="chart-placeholder">
              <Spinner />
            </div>
          ) : pages.isError ? (
            <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Payments could not be loaded" />
          ) : (
            <Suspense
              fallback={
                <div className="chart-placeholder">
                  <Spinner />
                </div>
              }
            >
              <PaymentsChart transactions={rows} currency={baseCurrency} />
            </Suspense>
          )}
        </section>
      )}
      <section className="card table-card" aria-labelledby="transactions-title">
        <div className="card-header">
          <h2 id="transactions-title">Transactions</h2>
        </div>
        {pages.isError ? null : !pages.isPending && rows.length === 0 ? (
          <EmptyState title="No payments yet">
            Payments by this customer, and a chart of them over time, will show up here.
          </EmptyState>
        ) : (
          <TransactionsTable
            rows={rows}
            loading={pages.isPending}
            showCustomer={false}
            onRefund={canRefund ? setRefunding : undefined}
          />
        )}
        {pages.hasNextPage && (
          <div className="card-footer">
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          </div>
        )}
      </section>
      {refunding && <RefundDialog transaction={refunding} onClose={() => setRefunding(null)} />}
    </>
  );
}

function InvoicesSection({ customerId }: { customerId: string }) {
  const pages = useCustomerInvoices(customerId);
  const rows: Invoice[] = pages.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="card table-card" aria-labelledby="invoices-title">
      <div className="card-header">
        <h2 id="invoices-title">Invoices</h2>
      </div>
      {pages.isError ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Invoices could not be loaded" />
      ) : !pages.isPending && rows.length === 0 ? (
        <EmptyState title="No invoices yet">Invoices made out to this customer will show up here.</EmptyState>
      ) : (
        <InvoicesTable rows={rows} loading={pages.isPending} showCustomer={false} />
      )}
      {pages.hasNextPage && (
        <div className="card-footer">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </section>
  );
}

function OrdersSection({ customerId }: { customerId: string }) {
  const pages = useCustomerOrders(customerId);
  const rows: Order[] = pages.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="card table-card" aria-labelledby="orders-title">
      <div className="card-header">
        <h2 id="orders-title">Orders</h2>
      </div>
      {pages.isError ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Orders could not be loaded" />
      ) : !pages.isPending && rows.length === 0 ? (
        <EmptyState title="No orders yet">
          Orders placed by this customer, on your site or here, will show up here.
        </EmptyState>
      ) : (
        <OrdersTable rows={rows} loading={pages.isPending} showCustomer={false} />
      )}
      {pages.hasNextPage && (
        <div className="card-footer">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </section>
  );
}
