import { useState } from 'react';
import { Link } from 'react-router';
import { isRunning, useBulkJob, useStartBulk, type BulkAction, type BulkRequest } from '../../../api/customer-bulk';
import { SUSPENSION_REASON_LABELS } from '../../../api/customer-suspension';
import type { CustomerBulkJob, CustomerTag, SuspensionReason } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { SelectField, TextareaField } from '../../../components/Field';
import { Notice } from '../../../components/States';
import { plural } from '../../../lib/format';
import { SUSPENSION_REASONS } from '../suspension/SuspendDialog';
import { TagPicker } from '../tags/TagPicker';

const VERBS: Record<BulkAction, string> = {
  tag: 'Tag',
  untag: 'Untag',
  export: 'Export',
  suspend: 'Suspend',
  resume: 'Resume',
  delete: 'Delete',
};

/** Why a customer was left alone, in words (the server's reason is written for developers, with ids). */
const REFUSALS: Record<string, string> = {
  has_transactions: 'has payments, invoices or orders, so is kept (their personal data can be erased instead)',
  customer_not_found: 'no longer exists',
  customer_merged: 'was merged into another customer',
  customer_erased: 'personal data was erased',
};
/**
 * Confirm a bulk action (with its tag or reason), then its progress while the job runs, then what it did and
 * each customer it left alone with the reason.
 */
export function BulkDialog({
  action,
  target,
  targetLabel,
  names,
  canCreateTag,
  onClose,
}: {
  action: BulkAction;
  /** The ids picked, or the list's parameters for everything it matches. */
  target: Pick<BulkRequest, 'ids' | 'view'>;
  /** "3 customers", "all 1,234 customers". */
  targetLabel: string;
  /** Names of the customers known here (picked, or on the page), for the refusals. */
  names: ReadonlyMap<string, string>;
  canCreateTag: boolean;
  onClose: (finished: boolean) => void;
}) {
  const start = useStartBulk();
  const polled = useBulkJob(start.data);
  const job = polled.data ?? start.data;
  const [tag, setTag] = useState<CustomerTag | null>(null);
  const [reason, setReason] = useState<SuspensionReason | ''>('');
  const [note, setNote] = useState('');
  const needsTag = action === 'tag' || action === 'untag';
  const ready = (!needsTag || tag !== null) && (action !== 'suspend' || reason !== '');
  const finished = job !== undefined && !isRunning(job);

  const run = () =>
    start.mutate({
      action,
      ...target,
      ...(needsTag && tag ? { tag: tag.id } : {}),
      ...(action === 'suspend' && reason ? { reason, ...(note.trim() ? { note: note.trim() } : {}) } : {}),
    });

  // Fixed when the dialog opens: the count behind "all 1,234 customers" changes as the job works.
  const [title] = useState(`${VERBS[action]} ${targetLabel}`);
  const close = () => onClose(finished);
  return (
    <Dialog
      title={title}
      size="medium"
      onClose={close}
      footer={
        job ? (
          <button type="button" className="btn btn-primary" onClick={close}>
            {finished ? 'Done' : 'Hide'}
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className={`btn ${action === 'delete' || action === 'suspend' ? 'btn-danger' : 'btn-primary'}`}
              disabled={!ready || start.isPending}
              onClick={run}
            >
              {start.isPending ? 'Starting…' : title}
            </button>
          </>
        )
      }
    >
      {job ? (
        <JobReport job={job} tag={tag} names={names} />
      ) : (
        <>
          {action === 'tag' && (
            <TagPicker value={tag?.id ?? null} onChange={setTag} canCreate={canCreateTag} legend="Add this tag" />
          )}
          {action === 'untag' && (
            <TagPicker value={tag?.id ?? null} onChange={setTag} canCreate={false} legend="Remove this tag" />
          )}
          {action === 'suspend' && (
            <>
              <p>
                Payment pages, checkouts, invoices and orders will refuse new payments from these customers' emails.
              </p>
              <SelectField
                label="Reason"
                value={reason}
                onChange={(event) => setReason(event.target.value as SuspensionReason | '')}
              >
                <option value="">Choose a reason…</option>
                {SUSPENSION_REASONS.map((value) => (
                  <option key={value} value={value}>
                    {SUSPENSION_REASON_LABELS[value]}
                  </option>
                ))}
              </SelectField>
              <TextareaField
                label="Note for your team"
                optional
                maxLength={1000}
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
            </>
          )}
          {action === 'resume' && <p>Payments from these customers' emails will be accepted again.</p>}
          {action === 'export' && <p>A CSV file of these customers, to download when it is ready.</p>}
          {action === 'delete' && (
            <Notice tone="warning">
              Deleting cannot be undone. Customers with payment history are kept so the records stay complete; each one
              left alone is listed with the reason.
            </Notice>
          )}
          {start.isError && <Notice tone="danger">{start.error.message}</Notice>}
        </>
      )}
    </Dialog>
  );
}

const PROGRESS: Record<BulkAction, string> = {
  tag: 'Tagging',
  untag: 'Untagging',
  export: 'Exporting',
  suspend: 'Suspending',
  resume: 'Resuming',
  delete: 'Deleting',
};

const DONE: Record<BulkAction, string> = {
  tag: 'Tagged',
  untag: 'Untagged',
  export: 'Exported',
  suspend: 'Suspended',
  resume: 'Resumed',
  delete: 'Deleted',
};

function JobReport({
  job,
  tag,
  names,
}: {
  job: CustomerBulkJob;
  tag: CustomerTag | null;
  names: ReadonlyMap<string, string>;
}) {
  if (isRunning(job)) {
    const total = job.total ?? undefined;
    return (
      <div className="bulk-progress">
        <p role="status">
          {PROGRESS[job.action]}… {job.done.toLocaleString()}
          {total !== undefined ? ` of ${total.toLocaleString()}` : ''} done
        </p>
        <progress value={job.done} max={total} aria-label="Progress" />
        <p className="muted small">You can close this; the job carries on.</p>
      </div>
    );
  }
  return (
    <div className="bulk-report" data-testid="bulk-report">
      {job.status === 'failed' ? (
        <Notice tone="danger" title="The job stopped before the end">
          {DONE[job.action]} {plural(job.succeeded, 'customer')} before it stopped. Try again for the rest.
        </Notice>
      ) : (
        <p role="status">
          <strong>
            {DONE[job.action]} {plural(job.succeeded, 'customer')}
          </strong>
          {tag && (job.action === 'tag' || job.action === 'untag') ? ` (${tag.name})` : ''}.
        </p>
      )}
      {job.export_url && (
        <p>
          <a className="btn btn-primary" href={job.export_url} download>
            Download the CSV
          </a>
        </p>
      )}
      {job.refusals.length > 0 && (
        <>
          <p>{plural(job.refused, 'customer was', 'customers were')} left alone:</p>
          <ul className="refusals" aria-label="Left alone">
            {job.refusals.map((refusal) => (
              <li key={refusal.customer}>
                <Link to={`/customers/${refusal.customer}`}>{names.get(refusal.customer) ?? refusal.customer}</Link>
                <span className="muted"> — {REFUSALS[refusal.code] ?? refusal.reason}</span>
              </li>
            ))}
          </ul>
          {job.refused > job.refusals.length && (
            <p className="muted small">And {(job.refused - job.refusals.length).toLocaleString()} more.</p>
          )}
        </>
      )}
    </div>
  );
}
