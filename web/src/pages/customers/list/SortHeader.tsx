import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import type { CustomerSort } from '../../../api/types';
import { sortKey } from './list-params';

type SortField = 'created_at' | 'total_spent' | 'transactions_count' | 'last_payment_at';

/**
 * A column header that sorts: the first click sorts descending (the biggest spenders, the latest payment),
 * the next ascending. aria-sort tells screen readers which column orders the list and which way.
 */
export function SortHeader({
  field,
  label,
  sort,
  onSort,
  numeric,
  className,
}: {
  field: SortField;
  label: string;
  sort: CustomerSort | undefined;
  onSort: (sort: CustomerSort) => void;
  numeric?: boolean;
  className?: string;
}) {
  const current = sortKey(sort);
  const active = current.key === field;
  const next: CustomerSort = active && current.direction === 'desc' ? field : `-${field}`;
  const Icon = !active ? ArrowUpDown : current.direction === 'desc' ? ArrowDown : ArrowUp;
  return (
    <th
      scope="col"
      className={[numeric && 'num', className].filter(Boolean).join(' ') || undefined}
      aria-sort={active ? (current.direction === 'desc' ? 'descending' : 'ascending') : 'none'}
    >
      <button type="button" className={`sort-button${active ? ' sort-active' : ''}`} onClick={() => onSort(next)}>
        {label}
        <Icon size={14} aria-hidden="true" />
      </button>
    </th>
  );
}
