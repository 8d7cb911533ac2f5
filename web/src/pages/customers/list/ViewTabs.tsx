import { Link } from 'react-router';
import { Save, Trash2, Users } from 'lucide-react';
import type { CustomerListParams, CustomerView } from '../../../api/types';
import { sameParams, toSearchParams } from './list-params';

/**
 * "All customers" and the saved views as links (each its own address, so a view opens in a new tab too),
 * with Save view, and for the active view Save changes and Delete when the person may change it.
 */
export function ViewTabs({
  views,
  activeId,
  params,
  mayChange,
  onSaveNew,
  onSaveChanges,
  onDelete,
}: {
  views: CustomerView[];
  activeId: string | null;
  params: CustomerListParams;
  mayChange: (view: CustomerView) => boolean;
  onSaveNew: () => void;
  onSaveChanges: (view: CustomerView) => void;
  onDelete: (view: CustomerView) => void;
}) {
  const active = views.find((view) => view.id === activeId) ?? null;
  const changed = active !== null && !sameParams(active.params, params);
  return (
    <div className="view-bar">
      <nav className="view-tabs" aria-label="Saved views">
        <ul>
          <li>
            <Link to="/customers" className="view-tab" aria-current={active === null ? 'page' : undefined}>
              All customers
            </Link>
          </li>
          {views.map((view) => (
            <li key={view.id}>
              <Link
                to={`/customers?${toSearchParams(view.params, view.id).toString()}`}
                className="view-tab"
                aria-current={view.id === active?.id ? 'page' : undefined}
              >
                {view.name}
                {view.shared && <Users size={13} aria-label="shared with the brand" className="view-shared" />}
                {view.id === active?.id && changed && <span className="view-changed"> (edited)</span>}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="view-actions">
        {active && changed && mayChange(active) && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => onSaveChanges(active)}>
            <Save size={15} aria-hidden="true" /> Save changes
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-small" onClick={onSaveNew}>
          <Save size={15} aria-hidden="true" /> Save view
        </button>
        {active && mayChange(active) && (
          <button
            type="button"
            className="btn btn-ghost btn-small btn-danger-text"
            onClick={() => onDelete(active)}
            aria-label={`Delete view ${active.name}`}
          >
            <Trash2 size={15} aria-hidden="true" /> Delete
          </button>
        )}
      </div>
    </div>
  );
}
