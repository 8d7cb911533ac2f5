import { useState } from 'react';
import { ExternalLink, Link2, Plus } from 'lucide-react';
import { usePaymentLinks, useUpdatePaymentLink } from '../../api/payments';
import { activeMembership, useSession } from '../../api/session';
import type { PaymentLink } from '../../api/types';
import { CopyButton, PageHeader, Pager, Switch } from '../../components/Bits';
import { EmptyState, ErrorState, Notice, SkeletonRows } from '../../components/States';
import { TruncatedText } from '../../components/TruncatedText';
import { useToast } from '../../components/Toasts';
import { absoluteUrl, formatDate } from '../../lib/format';
import { useCursorStack, useDocumentTitle } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { CreatePaymentLinkDialog } from './CreatePaymentLinkDialog';

export function describeAmount(
  link: Pick<PaymentLink, 'amount_type' | 'amount' | 'min_amount' | 'max_amount' | 'currency'>,
): string {
  if (link.amount_type === 'fixed') return formatMoney(link.amount);
  const { min_amount: min, max_amount: max } = link;
  if (min && max) return `${formatMoney(min)} – ${formatMoney(max)}`;
  if (min) return `From ${formatMoney(min)}`;
  if (max) return `Up to ${formatMoney(max)}`;
  return `Any amount (${link.currency})`;
}

export default function PaymentLinksPage() {
  useDocumentTitle('Payment links');
  const membership = activeMembership(useSession().data);
  const manage = can(membership, 'payments.create');
  const pages = useCursorStack();
  const list = usePaymentLinks(pages.cursor);
  const update = useUpdatePaymentLink();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const rows = list.data?.data ?? [];

  const createButton = manage && (
    <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
      <Plus size={18} aria-hidden="true" /> New payment link
    </button>
  );

  return (
    <>
      <PageHeader
        title="Payment links"
        subtitle="A page your clients open to pay you: copy its link and share it by message or email."
        actions={createButton}
      />
      {update.isError && <Notice tone="danger">{update.error.message}</Notice>}
      <section className="card table-card stack-when-narrow" aria-label="Payment links">
        {list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} title="Payment links could not be loaded" />
        ) : !list.isPending && rows.length === 0 ? (
          <EmptyState title="No payment links yet" icon={<Link2 size={22} />} action={createButton}>
            Create one for a product or a service, with a fixed price or an amount the client chooses.
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="table table-stack payment-links-table">
              <thead>
                <tr>
                  <th scope="col" className="cell-fill title-cell">
                    Title
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="cell-fill">
                    Link
                  </th>
                  <th scope="col">Active</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.isPending ? (
                  <SkeletonRows columns={5} rows={4} />
                ) : (
                  rows.map((link) => (
                    <tr key={link.id} className={link.active ? undefined : 'row-muted'}>
                      <td className="cell-fill stack-full">
                        <TruncatedText className="cell-title-plain" text={link.title} />
                        {link.description ? (
                          <TruncatedText className="cell-sub" text={link.description} />
                        ) : (
                          <span className="cell-sub mono">{link.id}</span>
                        )}
                      </td>
                      <td className="num" data-label="Amount">
                        {describeAmount(link)}
                      </td>
                      <td className="cell-fill stack-full">
                        <div className="link-cell">
                          <a
                            href={link.url}
                            target="_blank"
                            rel="noreferrer"
                            className="mono link-url"
                            title={absoluteUrl(link.url)}
                            aria-label={`Open ${link.title} payment page`}
                          >
                            <span className="truncate">{link.url}</span>
                            <ExternalLink size={13} aria-hidden="true" />
                          </a>
                          <CopyButton text={absoluteUrl(link.url)} label="Copy" />
                        </div>
                      </td>
                      <td data-label="Active">
                        <Switch
                          checked={link.active}
                          disabled={!manage || update.isPending}
                          label={`${link.title} accepts payments`}
                          onChange={(active) =>
                            update.mutate(
                              { id: link.id, active },
                              {
                                onSuccess: () => toast(active ? `${link.title} is active` : `${link.title} is paused`),
                              },
                            )
                          }
                        />
                      </td>
                      <td className="nowrap" data-label="Created">
                        {formatDate(link.created_at)}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}
        <Pager pages={pages} list={list} />
      </section>
      {creating && (
        <CreatePaymentLinkDialog
          onClose={() => setCreating(false)}
          onCreated={(link) => {
            setCreating(false);
            pages.reset();
            toast(`${link.title} is ready to share`);
          }}
        />
      )}
    </>
  );
}
