import { useEffect, useRef, type MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Ellipsis, Eraser, Trash2, UserRound } from 'lucide-react';
import type { Customer, CustomerSort } from '../../../api/types';
import { SkeletonRows } from '../../../components/States';
import { formatDateTime, formatShortDate } from '../../../lib/format';
import { formatMoney } from '../../../lib/money';
import { formatPhone } from '../../../lib/phone';
import { ActionsMenu, type MenuAction } from '../ActionsMenu';
import { CustomerAvatar } from '../CustomerAvatar';
import { deleteBlockedReason } from '../delete-guard';
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
  /** Null when the role may not erase. */
  onErase: ((customer: Customer) => void) | null;
  highlight: string | null;
}

/**
 * One page of customers; on a phone each row is a small card (narrow.css). A click anywhere on a row but its
 * checkbox and its menu opens the profile; the keyboard has one stop per row for that, the name. Long values
 * are cut (customer-list.css) with the whole value in their title, and shown whole while the row has focus.
 */
export function CustomerTable({
  rows,
  loading,
  busy,
  sort,
  onSort,
  selection,
  onDelete,
  onErase,
  highlight,
}: CustomerTableProps) {
  const navigate = useNavigate();
  const openRow = (event: MouseEvent<HTMLTableRowElement>, customer: Customer) => {
    // The row's own controls do their own thing; a drag that selects text (to copy an email) is not a click.
    if ((event.target as Element).closest('a, button, input, label, [role="menu"]')) return;
    if (window.getSelection()?.toString()) return;
    const path = `/customers/${customer.id}`;
    if (event.ctrlKey || event.metaKey) window.open(path, '_blank', 'noopener');
    else void navigate(path);
  };
  return (
    <div className="table-scroll">
      <table className={`table table-stack customer-table${selection ? ' selectable' : ''}`}>
        <thead>
          <tr>
            {/* The checkboxes sit in the name column, so the columns are the same for every role. */}
            <th scope="col" className="name-head cell-fill">
              {selection && <PageCheckbox rows={rows} selection={selection} />}
              <span className="name-head-text">Name / ID</span>
            </th>
            <th scope="col" className="email-head cell-fill">
              Email / phone
            </th>
            <SortHeader field="transactions_count" label="Payments" sort={sort} onSort={onSort} numeric />
            <SortHeader field="total_spent" label="Total spent" sort={sort} onSort={onSort} numeric />
            <SortHeader
              field="last_payment_at"
              label="Last payment"
              sort={sort}
              onSort={onSort}
              className="col-spare"
            />
            <SortHeader field="created_at" label="Created" sort={sort} onSort={onSort} className="col-spare" />
            <th scope="col" className="actions-head">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody aria-busy={busy}>
          {loading ? (
            <SkeletonRows columns={7} />
          ) : (
            rows.map((customer) => {
              const picked = selection?.has(customer.id) ?? false;
              const classes = [
                customer.id === highlight && 'row-new',
                picked && 'row-selected',
                customer.status === 'suspended' && 'row-suspended',
              ].filter(Boolean);
              return (
                <tr
                  key={customer.id}
                  className={['row-link', ...classes].join(' ')}
                  onClick={(event) => openRow(event, customer)}
                >
                  <td className="stack-full cell-fill name-cell">
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
                        <Link to={`/customers/${customer.id}`} className="cell-title name-clamp" title={customer.name}>
                          {customer.name}
                        </Link>
                        {customer.status === 'suspended' && <span className="badge badge-danger">Suspended</span>}
                        <span className="cell-sub mono truncate" title={customer.id}>
                          {customer.id}
                        </span>
                        <TagList tags={customer.tags} label={`Tags of ${customer.name}`} />
                      </span>
                    </span>
                  </td>
                  {/* Email above phone: one column leaves the name room on a laptop; a phone is short, shown whole. */}
                  <td className={`stack-full cell-fill${customer.contact_masked ? ' masked' : ''}`}>
                    <span className="truncate" title={customer.email}>
                      {customer.email}
                    </span>
                    {customer.phone && <span className="cell-sub nowrap">{formatPhone(customer.phone)}</span>}
                  </td>
                  <td className="num" data-label="Payments">
                    {customer.transactions_count.toLocaleString()}
                  </td>
                  <td className="num" data-label="Spent">
                    {formatMoney(customer.total_spent)}
                  </td>
                  <td className="nowrap col-spare" data-label="Last paid">
                    {customer.last_payment_at ? <ShortDate iso={customer.last_payment_at} /> : 'Never'}
                  </td>
                  <td className="nowrap col-spare" data-label="Created">
                    <ShortDate iso={customer.created_at} />
                  </td>
                  <td className="actions">
                    <ActionsMenu
                      label={`Actions for ${customer.name}`}
                      actions={rowActions(customer, {
                        open: () => void navigate(`/customers/${customer.id}`),
                        onDelete,
                        onErase,
                      })}
                    >
                      <Ellipsis size={18} aria-hidden="true" />
                    </ActionsMenu>
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

/** View, then Delete (disabled with its reason while payments point at the customer) and Erase as the role allows. */
function rowActions(
  customer: Customer,
  { open, onDelete, onErase }: Pick<CustomerTableProps, 'onDelete' | 'onErase'> & { open: () => void },
): MenuAction[] {
  const actions: MenuAction[] = [
    { label: 'View profile', icon: <UserRound size={15} aria-hidden="true" />, onSelect: open },
  ];
  const erasable = onErase && customer.erased_at === null;
  if (onDelete) {
    actions.push({
      label: 'Delete…',
      icon: <Trash2 size={15} aria-hidden="true" />,
      danger: true,
      disabledReason: deleteBlockedReason({ payments: customer.transactions_count }, Boolean(erasable)),
      onSelect: () => onDelete(customer),
    });
  }
  if (erasable && customer.transactions_count > 0) {
    actions.push({
      label: 'Erase personal data…',
      icon: <Eraser size={15} aria-hidden="true" />,
      danger: true,
      onSelect: () => onErase(customer),
    });
  }
  return actions;
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
