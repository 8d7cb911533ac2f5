import { Download, PauseCircle, PlayCircle, Tag, Tags, Trash2, X } from 'lucide-react';
import type { BulkAction } from '../../../api/customer-bulk';
import type { Customer } from '../../../api/types';
import { plural } from '../../../lib/format';
import type { Selection } from './use-selection';

const ACTIONS: { action: BulkAction; label: string; icon: typeof Tag; danger?: boolean }[] = [
  { action: 'tag', label: 'Tag', icon: Tag },
  { action: 'untag', label: 'Untag', icon: Tags },
  { action: 'export', label: 'Export', icon: Download },
  { action: 'suspend', label: 'Suspend', icon: PauseCircle },
  { action: 'resume', label: 'Resume', icon: PlayCircle },
  { action: 'delete', label: 'Delete', icon: Trash2, danger: true },
];

/** What the selection is, in words: "3 selected", "All 1,234 selected", "All matching selected". */
export function selectionLabel(selection: Selection, count: number | null | undefined): string {
  if (!selection.all) return `${selection.size.toLocaleString()} selected`;
  return typeof count === 'number' ? `All ${count.toLocaleString()} selected` : 'All matching selected';
}

/** The actions the role may take on the selection, above the table while anything is selected. */
export function BulkBar({
  selection,
  count,
  allowed,
  onAction,
}: {
  selection: Selection;
  count: number | null | undefined;
  allowed: BulkAction[];
  onAction: (action: BulkAction) => void;
}) {
  return (
    <div className="bulk-bar" role="group" aria-label="Bulk actions">
      <span className="bulk-count" aria-live="polite">
        {selectionLabel(selection, count)}
        <button type="button" className="icon-button" onClick={selection.clear} aria-label="Clear selection">
          <X size={16} aria-hidden="true" />
        </button>
      </span>
      <div className="bulk-buttons">
        {ACTIONS.filter(({ action }) => allowed.includes(action)).map(({ action, label, icon: Icon, danger }) => (
          <button
            key={action}
            type="button"
            className={`btn btn-secondary btn-small${danger ? ' btn-danger-text' : ''}`}
            onClick={() => onAction(action)}
          >
            <Icon size={15} aria-hidden="true" /> {label}
          </button>
        ))}
      </div>
    </div>
  );
}

/** Once a whole page is ticked: the offer to act on everything the list matches, past this page. */
export function SelectAllNotice({
  selection,
  rows,
  hasMore,
  count,
}: {
  selection: Selection;
  rows: Customer[];
  hasMore: boolean;
  count: number | null | undefined;
}) {
  const pageTicked = rows.length > 0 && rows.every((row) => selection.has(row.id));
  const more = hasMore || (typeof count === 'number' && count > rows.length);
  if (!pageTicked || !more) return null;
  const everyone = typeof count === 'number' ? `all ${plural(count, 'customer')}` : 'every customer';
  return (
    <div className="select-all-notice" role="status">
      {selection.all ? (
        <span>
          Every customer in this list is selected{typeof count === 'number' ? ` (${count.toLocaleString()})` : ''}.
        </span>
      ) : (
        <>
          <span>All {rows.length} customers on this page are selected.</span>
          <button type="button" className="btn btn-ghost btn-small" onClick={selection.selectAll}>
            Select {everyone} in this list
          </button>
        </>
      )}
    </div>
  );
}
