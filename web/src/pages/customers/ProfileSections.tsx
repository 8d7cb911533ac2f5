import { lazy, Suspense, useState } from 'react';
import { useCustomerInvoices, useCustomerOrders, useCustomerTransactions } from '../../api/customers';
import type { Invoice, Order, Transaction } from '../../api/types';
import { EmptyState, ErrorState, Spinner } from '../../components/States';
import { InvoicesTable } from '../payments/InvoicesTable';
import { RefundDialog } from '../payments/RefundDialog';
import { TransactionsTable } from '../payments/TransactionsTable';
import { OrdersTable } from '../orders/OrdersTable';

/* The profile's money: payments (with their chart), orders and invoices, each a page at a time. */

// recharts is the largest dependency; only this page needs it.
const PaymentsChart = lazy(() => import('./PaymentsChart'));

export function PaymentsSection({
  customerId,
  baseCurrency,
  canRefund,
}: {
  customerId: string;
  baseCurrency: string;
  canRefund: boolean;
}) {
  const pages = useCustomerTransactions(customerId);
  const [refunding, setRefunding] = useState<Transaction | null>(null);
  const rows = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const empty = pages.isSuccess && rows.length === 0;
  return (
    <>
      {!empty && (
        <section className="card" aria-labelledby="chart-title">
          <div className="card-header">
            <h2 id="chart-title">Payments over time</h2>
            {pages.hasNextPage && <span className="muted small">From the {rows.length} most recent transactions</span>}
          </div>
          {pages.isPending ? (
            <div className="chart-placeholder">
              <Spinner />
            </div>
          ) : pages.isError ? (
            <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Payments could not be loaded" />
          ) : (
            <Suspense
              fallback={
                <div className="chart-placeholder">
                  <Spinner />
                </div>
              }
            >
              <PaymentsChart transactions={rows} currency={baseCurrency} />
            </Suspense>
          )}
        </section>
      )}
      <section className="card table-card" aria-labelledby="transactions-title">
        <div className="card-header">
          <h2 id="transactions-title">Transactions</h2>
        </div>
        {pages.isError ? null : !pages.isPending && rows.length === 0 ? (
          <EmptyState title="No payments yet">
            Payments by this customer, and a chart of them over time, will show up here.
          </EmptyState>
        ) : (
          <TransactionsTable
            rows={rows}
            loading={pages.isPending}
            showCustomer={false}
            onRefund={canRefund ? setRefunding : undefined}
          />
        )}
        {pages.hasNextPage && (
          <div className="card-footer">
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          </div>
        )}
      </section>
      {refunding && <RefundDialog transaction={refunding} onClose={() => setRefunding(null)} />}
    </>
  );
}

export function InvoicesSection({ customerId }: { customerId: string }) {
  const pages = useCustomerInvoices(customerId);
  const rows: Invoice[] = pages.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="card table-card" aria-labelledby="invoices-title">
      <div className="card-header">
        <h2 id="invoices-title">Invoices</h2>
      </div>
      {pages.isError ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Invoices could not be loaded" />
      ) : !pages.isPending && rows.length === 0 ? (
        <EmptyState title="No invoices yet">Invoices made out to this customer will show up here.</EmptyState>
      ) : (
        <InvoicesTable rows={rows} loading={pages.isPending} showCustomer={false} />
      )}
      {pages.hasNextPage && (
        <div className="card-footer">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </section>
  );
}

export function OrdersSection({ customerId }: { customerId: string }) {
  const pages = useCustomerOrders(customerId);
  const rows: Order[] = pages.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="card table-card" aria-labelledby="orders-title">
      <div className="card-header">
        <h2 id="orders-title">Orders</h2>
      </div>
      {pages.isError ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} title="Orders could not be loaded" />
      ) : !pages.isPending && rows.length === 0 ? (
        <EmptyState title="No orders yet">
          Orders placed by this customer, on your site or here, will show up here.
        </EmptyState>
      ) : (
        <OrdersTable rows={rows} loading={pages.isPending} showCustomer={false} />
      )}
      {pages.hasNextPage && (
        <div className="card-footer">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </section>
  );
}
