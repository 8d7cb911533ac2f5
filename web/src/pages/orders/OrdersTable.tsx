import { Link } from 'react-router';
import type { Order } from '../../api/types';
import { StatusBadge } from '../../components/Bits';
import { SkeletonRows } from '../../components/States';
import { TruncatedText } from '../../components/TruncatedText';
import { formatDate } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { METHOD_LABELS } from '../payments/TransactionsTable';

interface OrdersTableProps {
  rows: Order[];
  loading?: boolean;
  showCustomer?: boolean;
  customerNames?: Record<string, string>;
}

/** Orders newest first; on a phone each row becomes a small card (like Customers). */
export function OrdersTable({ rows, loading, showCustomer = true, customerNames = {} }: OrdersTableProps) {
  const columns = 6 + (showCustomer ? 1 : 0);
  return (
    <div className="table-scroll">
      <table className="table table-stack">
        <thead>
          <tr>
            <th scope="col">Number</th>
            {showCustomer && (
              <th scope="col" className="cell-fill">
                Customer
              </th>
            )}
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Payment</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows columns={columns} rows={4} />
          ) : (
            rows.map((order) => (
              <tr key={order.id}>
                <td className="stack-full">
                  <Link to={`/orders/${order.id}`} className="cell-title">
                    {order.number}
                  </Link>
                  <span className="cell-sub mono truncate id-sub" title={order.id}>
                    {order.id}
                  </span>
                </td>
                {showCustomer && (
                  <td className="cell-fill stack-full">
                    <OrderCustomer order={order} name={order.customer ? customerNames[order.customer] : undefined} />
                  </td>
                )}
                <td>
                  <StatusBadge status={order.status} />
                </td>
                <td className="num" data-label="Total">
                  {formatMoney(order.total)}
                </td>
                <td className="nowrap" data-label="Paid by">
                  {order.payment_method ? METHOD_LABELS[order.payment_method] : <span className="muted">—</span>}
                </td>
                <td className="nowrap" data-label="Created">
                  {formatDate(order.created_at)}
                </td>
                <td className="actions">
                  <Link
                    to={`/orders/${order.id}`}
                    className="btn btn-ghost btn-small"
                    aria-label={`View order ${order.number}`}
                  >
                    View
                  </Link>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The customer who ordered, or the buyer's own details when no customer was created for them. */
export function OrderCustomer({ order, name }: { order: Order; name: string | undefined }) {
  if (order.customer) {
    return (
      <Link to={`/customers/${order.customer}`} className="truncate" title={name}>
        {name ?? <span className="mono small">{order.customer}</span>}
      </Link>
    );
  }
  if (order.buyer) {
    return (
      <>
        <TruncatedText text={order.buyer.name} />
        <TruncatedText
          className={`cell-sub${order.contact_masked ? ' masked' : ''}`}
          text={`${order.buyer.email} · not a customer`}
        />
      </>
    );
  }
  return <span className="muted">—</span>;
}
