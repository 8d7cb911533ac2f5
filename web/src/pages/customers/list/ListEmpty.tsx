import { Plus, Search, UserRound } from 'lucide-react';
import { EmptyState } from '../../../components/States';

/** No rows: nobody matches the search or filters (with a way out), or the brand has no customers yet. */
export function ListEmpty({
  q,
  filtered,
  masked,
  onClear,
  onAdd,
}: {
  q: string | undefined;
  filtered: boolean;
  masked: boolean;
  onClear: () => void;
  onAdd: (() => void) | null;
}) {
  if (filtered) {
    return (
      <EmptyState
        title="No matching customers"
        icon={<Search size={22} />}
        action={
          <button type="button" className="btn btn-secondary" onClick={onClear}>
            Show all customers
          </button>
        }
      >
        {q ? `Nobody's name, email or phone matches “${q}”` : 'Nobody matches these filters'}
        {q && masked ? '. Your role finds emails and phone numbers only by their full value.' : '.'}
      </EmptyState>
    );
  }
  return (
    <EmptyState
      title="No customers yet"
      icon={<UserRound size={22} />}
      action={
        onAdd && (
          <button type="button" className="btn btn-primary" onClick={onAdd}>
            <Plus size={18} aria-hidden="true" /> Add the first customer
          </button>
        )
      }
    >
      Customers appear here when they pay, order or register on your site, or when you add them.
    </EmptyState>
  );
}
