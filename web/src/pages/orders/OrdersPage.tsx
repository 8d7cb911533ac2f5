import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Plus, ShoppingBag } from 'lucide-react';
import { useCustomerNames } from '../../api/customers';
import { useOrders } from '../../api/orders';
import { activeMembership, useSession } from '../../api/session';
import type { OrderStatus } from '../../api/types';
import { PageHeader, Pager, StatusFilter } from '../../components/Bits';
import { EmptyState, ErrorState } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useCursorStack, useDocumentTitle } from '../../lib/hooks';
import { can } from '../../lib/permissions';
import { NewOrderDialog } from './NewOrderDialog';
import { OrdersTable } from './OrdersTable';

const STATUSES: { value: OrderStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'paid', label: 'Paid' },
  { value: 'fulfilled', label: 'Fulfilled' },
  { value: 'cancelled', label: 'Cancelled' },
];

export default function OrdersPage() {
  useDocumentTitle('Orders');
  const membership = activeMembership(useSession().data);
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const pages = useCursorStack();
  const list = useOrders({ status, cursor: pages.cursor });
  const [creating, setCreating] = useState(false);
  const toast = useToast();
  const navigate = useNavigate();
  const rows = list.data?.data ?? [];
  const names = useCustomerNames(
    rows.flatMap((order) => (order.customer ? [order.customer] : [])),
    can(membership, 'customers.read'),
  );

  const createButton = can(membership, 'orders.write') && (
    <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
      <Plus size={18} aria-hidden="true" /> New order
    </button>
  );

  return (
    <>
      <PageHeader
        title="Orders"
        subtitle="What your clients ordered, paid online by card or in cash, by transfer or mobile money."
        actions={createButton}
      />
      <section className="card table-card stack-when-narrow" aria-label="Orders">
        <div className="toolbar">
          <StatusFilter
            options={STATUSES}
            value={status}
            onChange={(value) => {
              setStatus(value);
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
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Orders could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          <EmptyState
            title={status ? `No ${status} orders` : 'No orders yet'}
            icon={<ShoppingBag size={22} />}
            action={!status && createButton}
          >
            {status
              ? 'Try another filter.'
              : 'Orders placed by your site through the API, or entered here, show up with their status and payment.'}
          </EmptyState>
        ) : (
          <OrdersTable rows={rows} loading={list.isPending} customerNames={names} />
        )}
        <Pager pages={pages} list={list} />
      </section>
      {creating && (
        <NewOrderDialog
          onClose={() => setCreating(false)}
          onCreated={(order) => {
            setCreating(false);
            toast(`${order.number} was created`);
            void navigate(`/orders/${order.id}`);
          }}
        />
      )}
    </>
  );
}
