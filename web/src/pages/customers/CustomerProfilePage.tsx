import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, useParams } from 'react-router';
import { ArrowLeft, Ellipsis, Eraser, PauseCircle, Pencil, PlayCircle, Trash2 } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useCustomer, useCustomerInvoices, useCustomerOrders } from '../../api/customers';
import { isMerged } from '../../api/merge';
import { activeMembership, useSession } from '../../api/session';
import { KpiCard } from '../../components/Bits';
import { EmptyState, ErrorState, Notice, PageLoading } from '../../components/States';
import { formatDate, formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { ActionsMenu, type MenuAction } from './ActionsMenu';
import { ContactCard } from './ContactCard';
import { CustomerAvatar } from './CustomerAvatar';
import { CustomerImageControls } from './CustomerImageControls';
import { sourcePhrase } from './customer-sources';
import { deleteBlockedReason } from './delete-guard';
import { DeleteCustomerDialog } from './DeleteCustomerDialog';
import { EraseCustomerDialog } from './EraseCustomerDialog';
import { EditCustomerDialog } from './EditCustomerDialog';
import { NotesCard } from './NotesCard';
import { InvoicesSection, OrdersSection, PaymentsSection } from './ProfileSections';
import { SiteAccountCard } from './SiteAccountCard';
import { ResumeDialog, SuspendDialog } from './suspension/SuspendDialog';
import { SuspensionNotice } from './suspension/SuspensionNotice';
import { CustomerTags } from './tags/CustomerTags';
import { TimelineCard } from './TimelineCard';

export default function CustomerProfilePage() {
  const { id = '' } = useParams();
  const session = useSession().data;
  const membership = activeMembership(session);
  const myId = session?.staff.id;
  const customer = useCustomer(id);
  const live = customer.isSuccess && !isMerged(customer.data);
  // The same pages the money sections show (one request each): what they hold keeps Delete from being offered.
  const invoices = useCustomerInvoices(id, live);
  const orders = useCustomerOrders(id, live && can(membership, 'orders.read'));
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [erasing, setErasing] = useState(false);
  // Which one was opened: the customer's status flips while the dialog closes.
  const [suspension, setSuspension] = useState<'suspend' | 'resume' | null>(null);
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
  const suspended = c.status === 'suspended';
  const mayErase = !erased && can(membership, 'customers.erase');
  const moreActions: MenuAction[] = [];
  if (can(membership, 'customers.delete')) {
    moreActions.push({
      label: 'Delete…',
      icon: <Trash2 size={15} aria-hidden="true" />,
      danger: true,
      disabledReason: deleteBlockedReason(
        {
          payments: c.transactions_count,
          invoices: invoices.data?.pages[0]?.data.length,
          orders: orders.data?.pages[0]?.data.length,
        },
        mayErase,
      ),
      onSelect: () => setDeleting(true),
    });
  }
  if (mayErase) {
    moreActions.push({
      label: 'Erase personal data…',
      icon: <Eraser size={15} aria-hidden="true" />,
      danger: true,
      onSelect: () => setErasing(true),
    });
  }
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
      <SuspensionNotice customer={c} />
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
            {suspended && (
              <span className="badge badge-danger" data-testid="suspended-badge">
                Suspended
              </span>
            )}
          </h1>
          <p className="muted">
            <span className="mono">{c.id}</span> · Customer since {formatDate(c.created_at)} · Added{' '}
            {sourcePhrase(c.source)}
          </p>
          <CustomerTags customer={c} canTag={!erased && can(membership, 'customers.tag')} />
          {!erased && can(membership, 'customers.edit') && <CustomerImageControls customer={c} />}
        </div>
        <div className="page-actions">
          {!erased && can(membership, 'customers.edit') && (
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
              <Pencil size={16} aria-hidden="true" /> Edit
            </button>
          )}
          {can(membership, 'customers.suspend') && (suspended || !erased) && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => setSuspension(suspended ? 'resume' : 'suspend')}
            >
              {suspended ? (
                <>
                  <PlayCircle size={16} aria-hidden="true" /> Resume
                </>
              ) : (
                <>
                  <PauseCircle size={16} aria-hidden="true" /> Suspend
                </>
              )}
            </button>
          )}
          {moreActions.length > 0 && (
            <ActionsMenu label={`More actions for ${c.name}`} actions={moreActions} className="btn btn-secondary">
              <Ellipsis size={16} aria-hidden="true" /> More
            </ActionsMenu>
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
            canWrite={can(membership, 'notes.write')}
            erased={erased}
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

      {suspension === 'suspend' && <SuspendDialog customer={c} onClose={() => setSuspension(null)} />}
      {suspension === 'resume' && <ResumeDialog customer={c} onClose={() => setSuspension(null)} />}
      {erasing && <EraseCustomerDialog customer={c} onClose={() => setErasing(false)} />}
      {editing && <EditCustomerDialog customer={c} onClose={() => setEditing(false)} />}
      {deleting && (
        <DeleteCustomerDialog
          customer={c}
          onClose={() => setDeleting(false)}
          onDeleted={() => navigate('/customers', { replace: true })}
          onErase={
            mayErase
              ? () => {
                  setDeleting(false);
                  setErasing(true);
                }
              : undefined
          }
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
