import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { Trash2 } from 'lucide-react';
import type { Customer, CustomerSort } from '../../../api/types';
import { EmailText } from '../../../components/Bits';
import { SkeletonRows } from '../../../components/States';
import { formatDateTime, formatShortDate } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { CustomerAvatar } from '../CustomerAvatar';
import { TagList } from '../tags/TagChip';
import { SortHeader } from './SortHeader';
import type { Selection } from './use-selection';

interface CustomerTableProps {
  rows: Customer[];
  loading: boolean;
  busy: boolean;
  sort: CustomerSort | undefined;
  onSort: (sort: CustomerSort) => void;
  /** Null when the role has no bulk action: no checkboxes. */
  selection: Selection | null;
  onDelete: ((customer: Customer) => void) | null;
  highlight: string | null;
}

/** One page of customers; on a phone each row is a small card (narrow.css). */
export function CustomerTable({
  rows,
  loading,
  busy,
  sort,
  onSort,
  selection,
  onDelete,
  highlight,
}: CustomerTableProps) {
  return (
    <div className="table-scroll">
      <table className={`table table-stack customer-table${selection ? ' selectable' : ''}`}>
        <thead>
          <tr>
            {/* The checkboxes sit in the name column, so the columns are the same for every role. */}
            <th scope="col" className="name-head">
              {selection && <PageCheckbox rows={rows} selection={selection} />}
              <span className="name-head-text">Name / ID</span>
            </th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <SortHeader field="transactions_count" label="Transactions" sort={sort} onSort={onSort} numeric />
            <SortHeader field="total_spent" label="Total spent" sort={sort} onSort={onSort} numeric />
            <SortHeader field="last_payment_at" label="Last payment" sort={sort} onSort={onSort} />
            <SortHeader field="created_at" label="Created" sort={sort} onSort={onSort} />
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody aria-busy={busy}>
          {loading ? (
            <SkeletonRows columns={8} />
          ) : (
            rows.map((customer) => {
              const picked = selection?.has(customer.id) ?? false;
              const classes = [
                customer.id === highlight && 'row-new',
                picked && 'row-selected',
                customer.status === 'suspended' && 'row-suspended',
              ].filter(Boolean);
              return (
                <tr key={customer.id} className={classes.join(' ') || undefined}>
                  <td className="stack-full">
                    <span className="person">
                      {selection && (
                        <input
                          type="checkbox"
                          className="row-check"
                          checked={picked}
                          onChange={() => selection.toggle(customer, rows)}
                          aria-label={`Select ${customer.name}`}
                        />
                      )}
                      <CustomerAvatar customer={customer} size="small" />
                      <span className="person-text">
                        <Link to={`/customers/${customer.id}`} className="cell-title">
                          {customer.name}
                        </Link>
                        {customer.status === 'suspended' && <span className="badge badge-danger">Suspended</span>}
                        <span className="cell-sub mono">{customer.id}</span>
                        <TagList tags={customer.tags} label={`Tags of ${customer.name}`} />
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
                  <td className="nowrap" data-label="Last paid">
                    {customer.last_payment_at ? <ShortDate iso={customer.last_payment_at} /> : 'Never'}
                  </td>
                  <td className="nowrap" data-label="Created">
                    <ShortDate iso={customer.created_at} />
                  </td>
                  <td className="actions">
                    {/* On a laptop the name is the link; a phone's card gets a button-sized one. */}
                    <Link
                      to={`/customers/${customer.id}`}
                      className="btn btn-ghost btn-small view-narrow"
                      aria-label={`View ${customer.name}`}
                    >
                      View
                    </Link>
                    {onDelete && (
                      <button
                        type="button"
                        className="btn btn-ghost btn-small btn-danger-text"
                        aria-label={`Delete ${customer.name}`}
                        title="Delete"
                        onClick={() => onDelete(customer)}
                      >
                        <Trash2 size={15} aria-hidden="true" />
                        <span className="delete-text">Delete</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Ticks or clears every row of the page; half-ticked when only some are. */
function PageCheckbox({ rows, selection }: { rows: Customer[]; selection: Selection }) {
  const ref = useRef<HTMLInputElement>(null);
  const picked = rows.filter((row) => selection.has(row.id)).length;
  const every = rows.length > 0 && picked === rows.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = picked > 0 && !every;
  }, [picked, every]);
  return (
    <label className="select-page">
      <input
        ref={ref}
        type="checkbox"
        checked={every}
        disabled={rows.length === 0}
        onChange={() => selection.setPage(rows, !every)}
        aria-label="Select all customers on this page"
      />
      {/* Phones show only this header cell, so it says what it does. */}
      <span className="select-page-text" aria-hidden="true">
        Select all on this page
      </span>
    </label>
  );
}

function ShortDate({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatShortDate(iso)}
    </time>
  );
}
