import { useState, type ReactNode } from 'react';
import { Check, ChevronLeft, ChevronRight, Copy, Search, X } from 'lucide-react';
import { formatDateTime, formatRelative } from '../lib/format';
import { useNow } from '../lib/hooks';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function KpiCard({
  label,
  value,
  hint,
  loading,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  loading?: boolean;
}) {
  return (
    <section className="card kpi" aria-label={label}>
      <h2 className="kpi-label">{label}</h2>
      <p className="kpi-value">{loading ? <span className="skeleton skeleton-kpi" aria-label="Loading" /> : value}</p>
      {hint && <p className="kpi-hint">{hint}</p>}
    </section>
  );
}

const BADGE_TONES: Record<string, string> = {
  succeeded: 'success',
  paid: 'success',
  active: 'success',
  open: 'info',
  pending: 'warning',
  draft: 'neutral',
  failed: 'danger',
  void: 'neutral',
  refunded: 'neutral',
  partially_refunded: 'warning',
  inactive: 'neutral',
  fulfilled: 'success',
  cancelled: 'neutral',
  verified: 'success',
  unverified: 'warning',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span className={`badge badge-${BADGE_TONES[status] ?? 'neutral'}`}>{label ?? status.replace(/_/g, ' ')}</span>
  );
}

/**
 * Previous/Next over a cursor stack (useCursorStack) for a list query's current page, with the rows
 * shown ("21–40", and "of 57" when the caller knows the total cheaply).
 */
export function Pager({
  pages,
  list,
  total,
}: {
  pages: { page: number; offset?: number; previous: () => void; next: (cursor: string, rows?: number) => void };
  list: {
    data?:
      | { data?: unknown[] | undefined; has_more?: boolean | undefined; next_cursor?: string | null | undefined }
      | undefined;
    isFetching: boolean;
  };
  total?: number | null | undefined;
}) {
  const { page } = pages;
  const nextCursor = (list.data?.has_more && list.data.next_cursor) || null;
  const rows = list.data?.data?.length ?? 0;
  const busy = list.isFetching;
  if (page === 1 && !nextCursor) return null;
  const onNext = () => nextCursor && pages.next(nextCursor, rows);
  const first = (pages.offset ?? 0) + 1;
  const shown =
    pages.offset === undefined || rows === 0
      ? `Page ${page}`
      : `${first.toLocaleString()}–${(first + rows - 1).toLocaleString()}${typeof total === 'number' ? ` of ${total.toLocaleString()}` : ''}`;
  return (
    <nav className="pager" aria-label="Pagination">
      <span className="pager-page" data-testid="pager-rows">
        {shown}
      </span>
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={pages.previous}
        disabled={page === 1 || busy}
      >
        <ChevronLeft size={16} aria-hidden="true" /> Previous
      </button>
      <button type="button" className="btn btn-secondary btn-small" onClick={onNext} disabled={!nextCursor || busy}>
        Next <ChevronRight size={16} aria-hidden="true" />
      </button>
    </nav>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard access needs a secure context; fall back to a selection the person can copy.
      window.prompt('Copy this link', text);
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" className="btn btn-ghost btn-small" onClick={copy} aria-label={`${label}: ${text}`}>
      {copied ? <Check size={15} aria-hidden="true" /> : <Copy size={15} aria-hidden="true" />}
      <span>{copied ? 'Copied' : label}</span>
    </button>
  );
}

export function Switch({
  checked,
  onChange,
  label,
  disabled,
}: {
  checked: boolean;
  onChange: (value: boolean) => void;
  label: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      className="switch"
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-thumb" aria-hidden="true" />
    </button>
  );
}

/** An email that may wrap before its @, never inside the local part or the domain. */
export function EmailText({ email }: { email: string }) {
  const at = email.lastIndexOf('@');
  if (at <= 0) return <>{email}</>;
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  );
}

/** The All / status buttons above a list; choosing one starts the list again from its first page. */
export function StatusFilter<V extends string>({
  options,
  value,
  onChange,
  label = 'Filter by status',
}: {
  options: { value: V | ''; label: string }[];
  value: V | '';
  onChange: (value: V | '') => void;
  label?: string;
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value || 'all'}
          type="button"
          className="segment"
          aria-pressed={value === option.value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

/** The search field of a list's toolbar, with a button that clears it. */
export function SearchBox({
  id,
  label,
  placeholder,
  value,
  onChange,
}: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="search">
      <Search size={18} aria-hidden="true" className="search-icon" />
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        className="input search-input"
        type="search"
        placeholder={placeholder}
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {value && (
        <button
          type="button"
          className="icon-button search-clear"
          aria-label="Clear search"
          onClick={() => onChange('')}
        >
          <X size={16} aria-hidden="true" />
        </button>
      )}
    </div>
  );
}

/** "3 minutes ago", kept current while the page is open, with the exact time as its tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
