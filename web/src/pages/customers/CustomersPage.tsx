import { useState } from 'react';
import { Plus, Upload } from 'lucide-react';
import { useBrand } from '../../api/brands';
import type { BulkAction } from '../../api/customer-bulk';
import { useCustomerCount, useCustomerList } from '../../api/customer-list';
import { useCustomerTags } from '../../api/customer-tags';
import { useCustomerStats } from '../../api/customers';
import { activeMembership, useSession } from '../../api/session';
import type { Customer } from '../../api/types';
import { KpiCard, PageHeader, Pager } from '../../components/Bits';
import { ErrorState } from '../../components/States';
import { plural } from '../../lib/format';
import { useDocumentTitle, useUrlCursorStack } from '../../lib/hooks';
import { can } from '../../lib/permissions';
import { AddCustomerDialog } from './AddCustomerDialog';
import { DeleteCustomerDialog } from './DeleteCustomerDialog';
import { EraseCustomerDialog } from './EraseCustomerDialog';
import { ImportCustomersDialog } from './ImportCustomersDialog';
import { BulkBar, SelectAllNotice } from './list/BulkBar';
import { BulkDialog } from './list/BulkDialog';
import { CustomerTable } from './list/CustomerTable';
import { filterChips, listSummary } from './list/filter-chips';
import { FiltersDialog } from './list/FiltersDialog';
import { isFiltered } from './list/list-params';
import { ListEmpty } from './list/ListEmpty';
import { ListToolbar } from './list/ListToolbar';
import { SavedViews } from './list/SavedViews';
import { useListState, useSearchText } from './list/use-list-state';
import { useSelection } from './list/use-selection';

/**
 * The customers list as a tool: its sort, filters, search and saved view live in the address; a page at a
 * time (cursor, never a total scan); pick rows, or everything the list matches, for a bulk action.
 */
export default function CustomersPage() {
  useDocumentTitle('Customers');
  const session = useSession().data;
  const membership = activeMembership(session);
  const { params, viewId, setParams, key } = useListState();
  const search = useSearchText(params, setParams);
  const pages = useUrlCursorStack();
  const selection = useSelection();
  const [listKey, setListKey] = useState(key);
  if (key !== listKey) {
    // Another list, with nothing picked (its address has no page: it starts at the first).
    setListKey(key);
    selection.clear();
  }
  const list = useCustomerList(params, pages.cursor);
  const count = useCustomerCount(params);
  const stats = useCustomerStats();
  const tags = useCustomerTags();
  const currency = useBrand().data?.base_currency ?? 'BDT';
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [filtering, setFiltering] = useState(false);
  const [deleting, setDeleting] = useState<Customer | null>(null);
  const [erasing, setErasing] = useState<Customer | null>(null);
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);

  const rows = list.data?.data ?? [];
  const chips = filterChips(params, { tags: tags.data?.data, currency });
  const total = count.data?.count;
  const allowed = bulkActions(membership, params.status === 'suspended' || rows.some((r) => r.status === 'suspended'));
  const filtered = isFiltered(params);
  return (
    <>
      <PageHeader
        title="Customers"
        subtitle="Everyone who has paid or been registered with this brand."
        actions={
          <>
            {can(membership, 'customers.import') && (
              <button type="button" className="btn btn-secondary" onClick={() => setImporting(true)}>
                <Upload size={18} aria-hidden="true" /> Import
              </button>
            )}
            {can(membership, 'customers.create') && (
              <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
                <Plus size={18} aria-hidden="true" /> Add customer
              </button>
            )}
          </>
        }
      />
      <div className="kpi-row">
        <KpiCard
          label="Total Customers"
          loading={stats.isPending}
          value={stats.isError ? '—' : (stats.data?.total_customers ?? 0).toLocaleString()}
        />
      </div>

      <SavedViews
        viewId={viewId}
        params={params}
        setParams={setParams}
        summary={listSummary(params, chips)}
        myId={session?.staff.id}
        canShare={can(membership, 'customer_views.share')}
      />
      <section className="card table-card" aria-label="Customer list">
        <ListToolbar
          search={search.text}
          onSearch={search.setText}
          params={params}
          onParams={setParams}
          chips={chips}
          onOpenFilters={() => setFiltering(true)}
          count={count.data}
          updating={list.isFetching && !list.isPending}
        />
        {allowed.length > 0 && (selection.size > 0 || selection.all) && (
          <BulkBar selection={selection} count={total} allowed={allowed} onAction={setBulk} />
        )}
        {allowed.length > 0 && (
          <SelectAllNotice selection={selection} rows={rows} hasMore={list.data?.has_more ?? false} count={total} />
        )}

        {list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Customers could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          <ListEmpty
            q={params.q}
            filtered={filtered}
            masked={!can(membership, 'customers.read_raw_contact')}
            onClear={() => {
              search.setText('');
              setParams({ sort: params.sort });
            }}
            onAdd={can(membership, 'customers.create') ? () => setAdding(true) : null}
          />
        ) : (
          <CustomerTable
            rows={rows}
            loading={list.isPending}
            busy={list.isFetching}
            sort={params.sort}
            onSort={(sort) => setParams({ ...params, sort })}
            selection={allowed.length > 0 ? selection : null}
            onDelete={can(membership, 'customers.delete') ? setDeleting : null}
            onErase={can(membership, 'customers.erase') ? setErasing : null}
            highlight={highlight}
          />
        )}
        <Pager pages={pages} list={list} total={count.data?.count} />
      </section>

      {filtering && (
        <FiltersDialog
          params={params}
          tags={tags.data?.data ?? []}
          currency={currency}
          onClose={() => setFiltering(false)}
          onApply={(next) => {
            setFiltering(false);
            setParams(next);
          }}
        />
      )}
      {bulk && (
        <BulkDialog
          action={bulk}
          target={selection.all ? { view: params } : { ids: selection.ids }}
          targetLabel={
            selection.all
              ? typeof total === 'number'
                ? `all ${plural(total, 'customer')}`
                : 'every matching customer'
              : plural(selection.size, 'customer')
          }
          names={new Map([...rows.map((row) => [row.id, row.name] as const), ...selection.names])}
          canCreateTag={can(membership, 'customers.tag')}
          onClose={(finished) => {
            setBulk(null);
            if (finished) selection.clear();
          }}
        />
      )}
      {adding && (
        <AddCustomerDialog
          onClose={() => setAdding(false)}
          onCreated={(customer) => {
            setAdding(false);
            search.setText('');
            setParams({ ...params, q: undefined });
            setHighlight(customer.id);
          }}
        />
      )}
      {importing && (
        <ImportCustomersDialog onClose={() => setImporting(false)} mayUpdate={can(membership, 'customers.edit')} />
      )}
      {deleting && (
        <DeleteCustomerDialog
          customer={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => setDeleting(null)}
          onErase={
            can(membership, 'customers.erase') && deleting.erased_at === null
              ? () => {
                  setDeleting(null);
                  setErasing(deleting);
                }
              : undefined
          }
        />
      )}
      {erasing && <EraseCustomerDialog customer={erasing} onClose={() => setErasing(null)} />}
    </>
  );
}

/**
 * The bulk actions the role may take (export only needs to read customers: a masked role's CSV is masked);
 * Resume only where a suspended customer may be among the picked.
 */
function bulkActions(membership: Parameters<typeof can>[0], suspendedInView: boolean): BulkAction[] {
  const actions: BulkAction[] = [];
  if (can(membership, 'customers.tag')) actions.push('tag', 'untag');
  actions.push('export');
  if (can(membership, 'customers.suspend')) actions.push('suspend', ...(suspendedInView ? ['resume' as const] : []));
  if (can(membership, 'customers.delete')) actions.push('delete');
  return actions;
}
