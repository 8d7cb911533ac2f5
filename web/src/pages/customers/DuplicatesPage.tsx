import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ArrowLeft, GitMerge } from 'lucide-react';
import { useDuplicates, type DuplicatePair, type DuplicateReason } from '../../api/merge';
import type { Customer } from '../../api/types';
import { PageHeader } from '../../components/Bits';
import { EmptyState, ErrorState, Notice, PageLoading } from '../../components/States';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { formatPhone } from '../../lib/phone';
import { MergeDialog } from './MergeDialog';

export const REASON_LABELS: Record<DuplicateReason, string> = {
  phone: 'Same phone number',
  name_email: 'Same name, similar email',
};

/** Suggested duplicate pairs side by side; Review opens the merge dialog. */
export default function DuplicatesPage() {
  useDocumentTitle('Duplicates');
  const duplicates = useDuplicates();
  const navigate = useNavigate();
  const [reviewing, setReviewing] = useState<DuplicatePair | null>(null);

  return (
    <>
      <Link to="/customers" className="back-link">
        <ArrowLeft size={16} aria-hidden="true" /> Customers
      </Link>
      <PageHeader
        title="Duplicates"
        subtitle="Customers that look like one person: the same phone number, or the same name with similar emails."
      />
      {duplicates.isPending ? (
        <PageLoading />
      ) : duplicates.isError ? (
        <ErrorState error={duplicates.error} retry={() => void duplicates.refetch()} />
      ) : duplicates.data.data.length === 0 ? (
        <EmptyState title="No duplicates found">Every customer of this brand looks like a different person.</EmptyState>
      ) : (
        <>
          {duplicates.data.has_more && (
            <Notice>More pairs were found than are shown. Merge or review these, and the next ones appear.</Notice>
          )}
          <ul className="duplicate-list" aria-label="Suggested duplicates" style={{ listStyle: 'none', padding: 0 }}>
            {duplicates.data.data.map((pair) => (
              <li
                key={pair.customers.map((c) => c.id).join('-')}
                className="card"
                data-testid="duplicate-pair"
                aria-label={`${pair.customers[0]!.name} and ${pair.customers[1]!.name}`}
              >
                <div className="card-header">
                  <span className="badge">{REASON_LABELS[pair.reason]}</span>
                  <button type="button" className="btn btn-primary btn-small" onClick={() => setReviewing(pair)}>
                    <GitMerge size={16} aria-hidden="true" /> Review
                  </button>
                </div>
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))', gap: 16 }}>
                  {pair.customers.map((customer) => (
                    <CustomerSummary key={customer.id} customer={customer} />
                  ))}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {reviewing && (
        <MergeDialog
          pair={reviewing}
          onClose={() => setReviewing(null)}
          onMerged={(survivor) => navigate(`/customers/${survivor.id}`)}
        />
      )}
    </>
  );
}

function CustomerSummary({ customer }: { customer: Customer }) {
  return (
    <dl className="facts facts-labelled">
      <dt>Name</dt>
      <dd>
        <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
      </dd>
      <dt>Email</dt>
      <dd>{customer.email}</dd>
      <dt>Phone</dt>
      <dd>{formatPhone(customer.phone)}</dd>
      <dt>Payments</dt>
      <dd>
        {customer.transactions_count} · {formatMoney(customer.total_spent)}
      </dd>
      <dt>Since</dt>
      <dd>{formatDate(customer.created_at)}</dd>
    </dl>
  );
}
