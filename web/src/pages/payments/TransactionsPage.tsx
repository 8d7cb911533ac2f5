import { useState } from 'react';
import { CreditCard } from 'lucide-react';
import { useTransactions } from '../../api/payments';
import { activeMembership, useSession } from '../../api/session';
import type { Transaction, TransactionStatus } from '../../api/types';
import { PageHeader, Pager, StatusFilter } from '../../components/Bits';
import { EmptyState, ErrorState } from '../../components/States';
import { useCursorStack, useDocumentTitle } from '../../lib/hooks';
import { can } from '../../lib/permissions';
import { RefundDialog } from './RefundDialog';
import { TransactionsTable } from './TransactionsTable';

const STATUSES: { value: TransactionStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'pending', label: 'Pending' },
  { value: 'failed', label: 'Failed' },
  { value: 'partially_refunded', label: 'Partially refunded' },
  { value: 'refunded', label: 'Refunded' },
];

export default function TransactionsPage() {
  useDocumentTitle('Transactions');
  const membership = activeMembership(useSession().data);
  const [status, setStatus] = useState<TransactionStatus | ''>('');
  const pages = useCursorStack();
  const list = useTransactions({ status, cursor: pages.cursor });
  const [refunding, setRefunding] = useState<Transaction | null>(null);
  const rows = list.data?.data ?? [];

  return (
    <>
      <PageHeader title="Transactions" subtitle="Payments and refunds, newest first." />
      <section className="card table-card stack-when-narrow" aria-label="Transactions">
        <div className="toolbar">
          <StatusFilter
            options={STATUSES}
            value={status}
            onChange={(value) => {
              setStatus(value);
              pages.reset();
            }}
          />
          {list.isFetching && !list.isPending && (
            <span className="toolbar-status" role="status">
              Updating…
            </span>
          )}
        </div>
        {list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Transactions could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          <EmptyState
            title={status ? 'No transactions with this status' : 'No transactions yet'}
            icon={<CreditCard size={22} />}
          >
            {status
              ? 'Try another filter.'
              : 'Share a payment link or send an invoice: payments show up here as they happen.'}
          </EmptyState>
        ) : (
          <TransactionsTable
            rows={rows}
            loading={list.isPending}
            onRefund={can(membership, 'payments.refund') ? setRefunding : undefined}
          />
        )}
        <Pager pages={pages} list={list} />
      </section>
      {refunding && <RefundDialog transaction={refunding} onClose={() => setRefunding(null)} />}
    </>
  );
}
