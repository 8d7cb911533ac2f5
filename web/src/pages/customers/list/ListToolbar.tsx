import { SlidersHorizontal, X } from 'lucide-react';
import type { CustomerCount, CustomerListParams, CustomerSort } from '../../../api/types';
import { SearchBox } from '../../../components/Bits';
import { plural } from '../../../lib/format';
import { SORT_LABELS, type FilterChip } from './filter-chips';
import { DEFAULT_SORT, SORTS, withoutKeys } from './list-params';

/** Search, the Filters button, the sort (phones only: the column headers are hidden there), and the chips. */
export function ListToolbar({
  search,
  onSearch,
  params,
  onParams,
  chips,
  onOpenFilters,
  count,
  updating,
}: {
  search: string;
  onSearch: (text: string) => void;
  params: CustomerListParams;
  onParams: (params: CustomerListParams) => void;
  chips: FilterChip[];
  onOpenFilters: () => void;
  count: CustomerCount | undefined;
  updating: boolean;
}) {
  return (
    <>
      <div className="toolbar">
        <SearchBox
          id="customer-search"
          label="Search customers"
          placeholder="Search by name, email or phone"
          value={search}
          onChange={onSearch}
        />
        <button type="button" className="btn btn-secondary" onClick={onOpenFilters} aria-haspopup="dialog">
          <SlidersHorizontal size={16} aria-hidden="true" /> Filters
          {chips.length > 0 && <span className="count-pill">{chips.length}</span>}
        </button>
        <label className="sort-narrow">
          <span className="visually-hidden">Sort by</span>
          <select
            className="input input-compact"
            value={params.sort ?? DEFAULT_SORT}
            onChange={(event) => onParams({ ...params, sort: event.target.value as CustomerSort })}
          >
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar-status result-count" role="status" data-testid="result-count">
          {updating && <span className="updating">Updating… </span>}
          {count && (count.count === null ? 'many customers' : plural(count.count, 'customer'))}
        </span>
      </div>
      {chips.length > 0 && (
        <ul className="filter-chips" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={chip.label} className="chip">
              <button type="button" className="chip-label" onClick={onOpenFilters}>
                {chip.label}
              </button>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove filter ${chip.label}`}
                onClick={() => onParams(withoutKeys(params, chip.keys))}
              >
                <X size={14} aria-hidden="true" />
              </button>
            </li>
          ))}
          {chips.length > 1 && (
            <li>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() =>
                  onParams(
                    withoutKeys(
                      params,
                      chips.flatMap((chip) => chip.keys),
                    ),
                  )
                }
              >
                Clear filters
              </button>
            </li>
          )}
        </ul>
      )}
    </>
  );
}
