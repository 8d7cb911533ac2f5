import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ArrowLeft, Ban, Banknote, CreditCard, PackageCheck } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useCustomerNames } from '../../api/customers';
import { useOrder, useOrderAction, useOrderCheckout } from '../../api/orders';
import { activeMembership, useSession } from '../../api/session';
import type { CheckoutSession, Order } from '../../api/types';
import { userName, useUser } from '../../api/users';
import { StatusBadge } from '../../components/Bits';
import { EmptyState, ErrorState, Notice, PageLoading } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDateTime, plural } from '../../lib/format';
import { formatPhone } from '../../lib/phone';
import { useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { METHOD_LABELS } from '../payments/TransactionsTable';
import { CancelOrderDialog, PayOnlineDialog, RecordPaymentDialog } from './OrderDialogs';
import { OrderCustomer } from './OrdersTable';

/** One order: its lines, who ordered, how it was paid, and what may happen next (open → paid → fulfilled). */
export default function OrderPage() {
  const { id = '' } = useParams();
  const membership = activeMembership(useSession().data);
  const order = useOrder(id);
  useDocumentTitle(order.data ? `Order ${order.data.number}` : 'Order');

  if (order.isPending) return <PageLoading />;
  if (order.isError) {
    return (
      <>
        <BackLink />
        {isApiError(order.error, 404) ? (
          <EmptyState title="Order not found">There is no order {id} in this brand.</EmptyState>
        ) : (
          <ErrorState error={order.error} retry={() => void order.refetch()} />
        )}
      </>
    );
  }
  const o = order.data;
  return (
    <>
      <BackLink />
      <OrderHeader order={o} membership={membership} />
      <div className="profile-grid">
        <div className="profile-main">
          <section className="card table-card" aria-labelledby="items-title">
            <div className="card-header">
              <h2 id="items-title">Items</h2>
              <span className="muted small">{plural(o.line_items.length, 'line')}</span>
            </div>
            <div className="table-scroll">
              <table className="table table-stack order-lines">
                <thead>
                  <tr>
                    <th scope="col">Description</th>
                    <th scope="col" className="num">
                      Qty
                    </th>
                    <th scope="col" className="num">
                      Unit price
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {o.line_items.map((line, i) => (
                    <tr key={i}>
                      {/* The order's own page: a description wraps whole rather than being cut. */}
                      <td className="stack-full break-anywhere">{line.description}</td>
                      <td className="num" data-label="Qty">
                        {line.quantity.toLocaleString()}
                      </td>
                      <td className="num" data-label="Unit price">
                        {formatMoney(line.unit_amount)}
                      </td>
                      <td className="num" data-label="Amount">
                        {formatMoney(line.amount)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="card-footer order-total">
              <span>Total</span>
              <strong>{formatMoney(o.total)}</strong>
            </div>
          </section>
        </div>
        <div className="profile-side">
          <BuyerCard
            order={o}
            canReadCustomers={can(membership, 'customers.read')}
            canReadUsers={can(membership, 'users.read')}
          />
          <PaymentCard order={o} />
        </div>
      </div>
    </>
  );
}

function BackLink() {
  return (
    <Link to="/orders" className="back-link">
      <ArrowLeft size={16} aria-hidden="true" /> Orders
    </Link>
  );
}

function OrderHeader({ order, membership }: { order: Order; membership: ReturnType<typeof activeMembership> }) {
  const action = useOrderAction();
  const checkout = useOrderCheckout();
  const toast = useToast();
  const [recording, setRecording] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [session, setSession] = useState<CheckoutSession | null>(null);
  const open = order.status === 'open';
  const write = can(membership, 'orders.write');
  const error = action.error ?? checkout.error;

  return (
    <>
      <header className="profile-header">
        <div className="profile-title">
          <h1 className="title-with-badge">
            Order {order.number} <StatusBadge status={order.status} />
          </h1>
          <p className="muted">
            <span className="mono">{order.id}</span> · Placed {formatDateTime(order.created_at)}
          </p>
        </div>
        <div className="page-actions">
          {open && can(membership, 'orders.record_payment') && (
            <button type="button" className="btn btn-primary" onClick={() => setRecording(true)}>
              <Banknote size={16} aria-hidden="true" /> Record payment
            </button>
          )}
          {open && write && (
            <button
              type="button"
              className="btn btn-secondary"
              disabled={checkout.isPending}
              onClick={() => checkout.mutate(order.id, { onSuccess: setSession })}
            >
              <CreditCard size={16} aria-hidden="true" /> {checkout.isPending ? 'Making a link…' : 'Pay online'}
            </button>
          )}
          {order.status === 'paid' && write && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={action.isPending}
              onClick={() =>
                action.mutate(
                  { id: order.id, action: 'fulfil' },
                  { onSuccess: (done) => toast(`${done.number} is fulfilled`) },
                )
              }
            >
              <PackageCheck size={16} aria-hidden="true" /> Mark fulfilled
            </button>
          )}
          {open && write && (
            <button type="button" className="btn btn-secondary btn-danger-text" onClick={() => setCancelling(true)}>
              <Ban size={16} aria-hidden="true" /> Cancel order
            </button>
          )}
        </div>
      </header>
      {error && <Notice tone="danger">{error.message}</Notice>}
      {recording && <RecordPaymentDialog order={order} onClose={() => setRecording(false)} />}
      {cancelling && <CancelOrderDialog order={order} onClose={() => setCancelling(false)} />}
      {session && <PayOnlineDialog session={session} onClose={() => setSession(null)} />}
    </>
  );
}

function BuyerCard({
  order,
  canReadCustomers,
  canReadUsers,
}: {
  order: Order;
  canReadCustomers: boolean;
  canReadUsers: boolean;
}) {
  const names = useCustomerNames(order.customer ? [order.customer] : [], canReadCustomers);
  const user = useUser(canReadUsers ? order.user : null);
  return (
    <section className="card order-buyer" aria-labelledby="buyer-title">
      <div className="card-header">
        <h2 id="buyer-title">{order.customer ? 'Customer' : 'Buyer'}</h2>
      </div>
      <dl className="contact-list">
        <div>
          <dt>Name</dt>
          <dd>
            <OrderCustomer order={order} name={order.customer ? names[order.customer] : undefined} />
          </dd>
        </div>
        {order.buyer && (
          <div>
            <dt>Phone</dt>
            <dd className={order.contact_masked ? 'masked' : undefined}>
              {order.buyer.phone ? formatPhone(order.buyer.phone) : <span className="muted">None</span>}
            </dd>
          </div>
        )}
        {order.user && (
          <div>
            <dt>Site account</dt>
            <dd>{user.data ? userName(user.data) : <span className="mono small">{order.user}</span>}</dd>
          </div>
        )}
      </dl>
      {!order.customer && order.buyer && (
        <p className="muted small card-note">
          No customer was created for this buyer: automatic creation from orders is off in Settings.
        </p>
      )}
    </section>
  );
}

function PaymentCard({ order }: { order: Order }) {
  const steps: { label: string; at: string | null }[] = [
    { label: 'Placed', at: order.created_at },
    { label: 'Paid', at: order.paid_at },
    { label: 'Fulfilled', at: order.fulfilled_at },
    { label: 'Cancelled', at: order.cancelled_at },
  ];
  return (
    <section className="card" aria-labelledby="payment-title">
      <div className="card-header">
        <h2 id="payment-title">Payment</h2>
      </div>
      <dl className="contact-list">
        <div>
          <dt>Method</dt>
          <dd>
            {order.payment_method ? (
              METHOD_LABELS[order.payment_method]
            ) : (
              <span className="muted">{order.status === 'cancelled' ? 'Not paid' : 'Not paid yet'}</span>
            )}
          </dd>
        </div>
        {order.payment_reference && (
          <div>
            <dt>Reference</dt>
            <dd className="mono">{order.payment_reference}</dd>
          </div>
        )}
        {order.transaction && (
          <div>
            <dt>Transaction</dt>
            <dd className="mono small">{order.transaction}</dd>
          </div>
        )}
        {steps
          .filter((step) => step.at)
          .map((step) => (
            <div key={step.label}>
              <dt>{step.label}</dt>
              <dd>{formatDateTime(step.at)}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
