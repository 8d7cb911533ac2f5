import { useState } from 'react';
import { FileText, Plus } from 'lucide-react';
import { useCustomerNames } from '../../api/customers';
import { useInvoiceAction, useInvoices } from '../../api/payments';
import { activeMembership, useSession } from '../../api/session';
import type { Invoice, InvoiceStatus } from '../../api/types';
import { PageHeader, Pager, StatusFilter } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState, Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { useCursorStack, useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { CreateInvoiceDialog } from './CreateInvoiceDialog';
import { InvoicesTable } from './InvoicesTable';

const STATUSES: { value: InvoiceStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'draft', label: 'Draft' },
  { value: 'open', label: 'Open' },
  { value: 'paid', label: 'Paid' },
  { value: 'void', label: 'Void' },
];

export default function InvoicesPage() {
  useDocumentTitle('Invoices');
  const membership = activeMembership(useSession().data);
  const manage = can(membership, 'payments.create');
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const pages = useCursorStack();
  const list = useInvoices({ status, cursor: pages.cursor });
  const action = useInvoiceAction();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [voiding, setVoiding] = useState<Invoice | null>(null);
  const rows = list.data?.data ?? [];
  const names = useCustomerNames(
    rows.flatMap((invoice) => (invoice.customer_id ? [invoice.customer_id] : [])),
    can(membership, 'customers.read'),
  );

  const createButton = manage && (
    <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
      <Plus size={18} aria-hidden="true" /> New invoice
    </button>
  );

  return (
    <>
      <PageHeader
        title="Invoices"
        subtitle="Bills with line items. Finalize one to get a link your client pays on."
        actions={createButton}
      />
      {action.isError && <Notice tone="danger">{action.error.message}</Notice>}
      <section className="card table-card stack-when-narrow" aria-label="Invoices">
        <div className="toolbar">
          <StatusFilter
            options={STATUSES}
            value={status}
            onChange={(value) => {
              setStatus(value);
              pages.reset();
            }}
          />
        </div>
        {list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Invoices could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          <EmptyState
            title={status ? `No ${status} invoices` : 'No invoices yet'}
            icon={<FileText size={22} />}
            action={!status && createButton}
          >
            {status ? 'Try another filter.' : 'Create an invoice, finalize it, and send your client its link.'}
          </EmptyState>
        ) : (
          <InvoicesTable
            rows={rows}
            loading={list.isPending}
            customerNames={names}
            actions={
              manage
                ? (invoice) => (
                    <>
                      {invoice.status === 'draft' && (
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          disabled={action.isPending}
                          onClick={() =>
                            action.mutate(
                              { id: invoice.id, action: 'finalize' },
                              { onSuccess: (inv) => toast(`${inv.number} is open for payment`) },
                            )
                          }
                        >
                          Finalize
                        </button>
                      )}
                      {(invoice.status === 'draft' || invoice.status === 'open') && (
                        <button
                          type="button"
                          className="btn btn-ghost btn-small btn-danger-text"
                          onClick={() => setVoiding(invoice)}
                        >
                          Void
                        </button>
                      )}
                    </>
                  )
                : undefined
            }
          />
        )}
        <Pager pages={pages} list={list} />
      </section>
      {creating && (
        <CreateInvoiceDialog
          onClose={() => setCreating(false)}
          onCreated={(invoice) => {
            setCreating(false);
            setStatus('');
            pages.reset();
            toast(`${invoice.number} was saved as a draft`);
          }}
        />
      )}
      {voiding && (
        <Dialog
          title={`Void ${voiding.number}?`}
          size="small"
          onClose={() => setVoiding(null)}
          footer={
            <>
              <button type="button" className="btn btn-secondary" onClick={() => setVoiding(null)}>
                Keep it
              </button>
              <button
                type="button"
                className="btn btn-danger"
                disabled={action.isPending}
                onClick={() =>
                  action.mutate(
                    { id: voiding.id, action: 'void' },
                    {
                      onSuccess: (inv) => {
                        toast(`${inv.number} was voided`);
                        setVoiding(null);
                      },
                    },
                  )
                }
              >
                Void invoice
              </button>
            </>
          }
        >
          <p>
            The invoice for {formatMoney(voiding.total)} can no longer be paid
            {voiding.public_url ? ', and its link stops working' : ''}. This cannot be undone.
          </p>
        </Dialog>
      )}
    </>
  );
}
