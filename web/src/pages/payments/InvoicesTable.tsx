import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ExternalLink } from 'lucide-react';
import type { Invoice } from '../../api/types';
import { CopyButton, StatusBadge } from '../../components/Bits';
import { SkeletonRows } from '../../components/States';
import { absoluteUrl, formatDate, formatDay } from '../../lib/format';
import { formatMoney } from '../../lib/money';

interface InvoicesTableProps {
  rows: Invoice[];
  loading?: boolean;
  showCustomer?: boolean;
  customerNames?: Record<string, string>;
  actions?: (invoice: Invoice) => ReactNode;
}

/** Invoices newest first; on a phone each row becomes a small card (narrow.css). */
export function InvoicesTable({ rows, loading, showCustomer = true, customerNames = {}, actions }: InvoicesTableProps) {
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
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="hide-medium">
              Created
            </th>
            <th scope="col">Due</th>
            <th scope="col">
              <span className="visually-hidden">Link and actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows columns={columns} rows={4} />
          ) : (
            rows.map((invoice) => (
              <tr key={invoice.id}>
                {/* The number names the invoice; its id (for the API) is the number's title, leaving room for the customer. */}
                <td className="nowrap stack-full">
                  <span className="cell-title-plain" title={invoice.id}>
                    {invoice.number}
                  </span>
                </td>
                {showCustomer && (
                  <td className="cell-fill stack-full">
                    {invoice.customer_id ? (
                      <Link
                        to={`/customers/${invoice.customer_id}`}
                        className="truncate"
                        title={customerNames[invoice.customer_id]}
                      >
                        {customerNames[invoice.customer_id] ?? 'Customer'}
                      </Link>
                    ) : (
                      <span className="muted">Anyone with the link</span>
                    )}
                  </td>
                )}
                <td className="num" data-label="Total">
                  {formatMoney(invoice.total)}
                </td>
                <td>
                  <StatusBadge status={invoice.status} />
                </td>
                <td className="nowrap hide-medium" data-label="Created">
                  {formatDate(invoice.created_at)}
                </td>
                <td className="nowrap" data-label="Due">
                  {formatDay(invoice.due_date)}
                </td>
                <td className="actions">
                  {invoice.public_url && invoice.status !== 'void' && (
                    <>
                      <CopyButton text={absoluteUrl(invoice.public_url)} label="Copy link" />
                      <a
                        className="btn btn-ghost btn-small"
                        href={invoice.public_url}
                        target="_blank"
                        rel="noreferrer"
                        aria-label={`Open the payment page of ${invoice.number}`}
                      >
                        <ExternalLink size={15} aria-hidden="true" /> Open
                      </a>
                    </>
                  )}
                  {actions?.(invoice)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
