import { useId, useState, type FormEvent } from 'react';
import { Download } from 'lucide-react';
import { isApiError } from '../../api/client';
import { reportUrl, useImportJob, useStartImport, type CustomerImport, type ImportOptions } from '../../api/imports';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';

/**
 * Import customers from a CSV file: choose it and the options, upload, follow the job's progress, then
 * read the counts and the problem rows (and download the whole report).
 */
export function ImportCustomersDialog({ onClose, mayUpdate }: { onClose: () => void; mayUpdate: boolean }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useStartImport();
  const job = useImportJob(jobId);
  const current = job.data ?? start.data;
  const running = current !== undefined && (current.status === 'running' || current.status === 'queued');

  return (
    <Dialog
      title="Import customers"
      onClose={onClose}
      size="large"
      footer={
        current && !running ? (
          <>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                setJobId(null);
                start.reset();
              }}
            >
              Import another file
            </button>
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Done
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              {running ? 'Close (the import goes on)' : 'Cancel'}
            </button>
            {!current && (
              <button type="submit" form="import-form" className="btn btn-primary" disabled={start.isPending}>
                {start.isPending ? 'Uploading…' : 'Upload and import'}
              </button>
            )}
          </>
        )
      }
    >
      {!current ? (
        <ImportForm
          mayUpdate={mayUpdate}
          error={start.error}
          onSubmit={(file, options) =>
            start.mutate({ file, options }, { onSuccess: (created) => setJobId(created.id) })
          }
        />
      ) : (
        <ImportProgress job={current} />
      )}
      {job.isError && <Notice tone="danger">{job.error.message}</Notice>}
    </Dialog>
  );
}

function ImportForm({
  mayUpdate,
  error,
  onSubmit,
}: {
  mayUpdate: boolean;
  error: Error | null;
  onSubmit: (file: File, options: ImportOptions) => void;
}) {
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const [options, setOptions] = useState<ImportOptions>({
    mode: 'all_or_nothing',
    update_existing: false,
    dry_run: false,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setMissing(true);
      return;
    }
    onSubmit(file, options);
  };
  const problem = error && isApiError(error) ? error.problem.detail : error?.message;

  return (
    <form id="import-form" onSubmit={submit} noValidate>
      {problem && (
        <Notice tone="danger" title="The file was not imported">
          {problem}
        </Notice>
      )}
      <div className={`field${missing ? ' field-invalid' : ''}`}>
        <label htmlFor={fileId}>CSV file</label>
        <input
          id={fileId}
          className="input"
          type="file"
          accept=".csv,text/csv"
          aria-invalid={missing}
          aria-describedby={`${fileId}-hint`}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setMissing(false);
          }}
        />
        <p className={missing ? 'field-error' : 'field-hint'} id={`${fileId}-hint`}>
          {missing
            ? 'Choose a file to import'
            : 'UTF-8, up to 50 MB, with a header row. Exports from Stripe, Shopify and WooCommerce are read as they are; metadata.<key> columns become metadata.'}
        </p>
      </div>
      <fieldset className="fieldset">
        <legend>When a row is invalid</legend>
        <div className="radio-row">
          <label className="radio">
            <input
              type="radio"
              name="mode"
              checked={options.mode === 'all_or_nothing'}
              onChange={() => setOptions({ ...options, mode: 'all_or_nothing' })}
            />
            Import nothing
          </label>
          <label className="radio">
            <input
              type="radio"
              name="mode"
              checked={options.mode === 'skip_invalid'}
              onChange={() => setOptions({ ...options, mode: 'skip_invalid' })}
            />
            Skip it, import the others
          </label>
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Options</legend>
        {mayUpdate && (
          <label className="radio">
            <input
              type="checkbox"
              checked={options.update_existing}
              onChange={(event) => setOptions({ ...options, update_existing: event.target.checked })}
            />
            Update customers who already exist (same email): name, phone and metadata
          </label>
        )}
        <label className="radio">
          <input
            type="checkbox"
            checked={options.dry_run}
            onChange={(event) => setOptions({ ...options, dry_run: event.target.checked })}
          />
          Dry run: check and report every row, write nothing
        </label>
      </fieldset>
    </form>
  );
}

function ImportProgress({ job }: { job: CustomerImport }) {
  const progressId = useId();
  const running = job.status === 'running' || job.status === 'queued';
  const total = job.rows_total ?? 0;
  return (
    <div className="import-progress">
      <label htmlFor={progressId}>
        {running ? 'Importing' : job.dry_run ? 'Checked (dry run)' : 'Finished'}: {job.rows_done.toLocaleString()} of{' '}
        {total.toLocaleString()} rows
      </label>
      <progress id={progressId} value={job.rows_done} max={Math.max(total, 1)} style={{ width: '100%' }}>
        {Math.round(job.progress * 100)}%
      </progress>
      <p role="status" aria-live="polite">
        {running
          ? 'You may close this window: the import goes on.'
          : `${job.dry_run ? 'Would import' : 'Imported'} ${job.imported}, updated ${job.updated}, skipped ${job.skipped}, failed ${job.failed}`}
      </p>
      {!running && job.error && (
        <Notice tone={job.failed > 0 ? 'warning' : 'danger'} title="Nothing was imported">
          {job.error}
        </Notice>
      )}
      {!running && job.status === 'succeeded' && job.failed === 0 && job.skipped === 0 && (
        <Notice tone="success">Every row was {job.dry_run ? 'checked' : 'imported'}.</Notice>
      )}
      {job.unknown_columns.length > 0 && (
        <p className="field-hint">Columns not imported: {job.unknown_columns.join(', ')}</p>
      )}
      {!running && job.report_rows > 0 && <ProblemRows job={job} />}
    </div>
  );
}

function ProblemRows({ job }: { job: CustomerImport }) {
  return (
    <section aria-label="Rows with problems">
      <div className="table-scroll">
        <table className="table table-compact">
          <caption className="field-hint" style={{ textAlign: 'left' }}>
            {job.report_rows > job.problems.length
              ? `The first ${job.problems.length} of ${job.report_rows} rows of the report`
              : 'Rows that were not imported as they are'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Status</th>
              <th scope="col">Field</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {job.problems.map((row, i) => (
              <tr key={`${row.line}-${i}`}>
                <td>{row.line}</td>
                <td>{row.status}</td>
                <td>{row.field ?? '—'}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <a className="btn btn-secondary btn-small" href={reportUrl(job.id)} download>
        <Download size={15} aria-hidden="true" /> Download report
      </a>
    </section>
  );
}
