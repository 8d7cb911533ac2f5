const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

const sameYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** "Dec 3" this year, "Dec 3, 2025" before: for dense tables (pair it with formatDateTime as a title). */
export function formatShortDate(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  return date.getFullYear() === now.getFullYear() ? sameYearFormat.format(date) : dateFormat.format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : '—';
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/**
 * "just now", "3 minutes ago", "yesterday", up to a week back, then the date ("5 weeks ago" says less
 * than the day). Pair it with formatDateTime (a title) for the exact time.
 */
export function formatRelative(iso: string, now: number = Date.now()): string {
  // A server clock a little ahead of this one would otherwise say "in 1 minute".
  const seconds = Math.min(0, (new Date(iso).getTime() - now) / 1000);
  const minutes = Math.round(seconds / 60);
  const hours = Math.round(seconds / 3600);
  const days = Math.round(seconds / 86_400);
  if (seconds > -45) return 'just now';
  if (minutes > -60) return relativeFormat.format(minutes, 'minute');
  if (hours > -24) return relativeFormat.format(hours, 'hour');
  if (days > -7) return relativeFormat.format(days, 'day');
  return formatDate(iso);
}

/** "YYYY-MM-DD" dates (due dates) are calendar days, not instants: shown without a time zone shift. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.split('-').map(Number);
  return dateFormat.format(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0], parts[0]?.[1]];
  return letters.filter(Boolean).join('').toUpperCase() || '?';
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** An absolute URL for a path the server serves (payment links, invoices). */
export function absoluteUrl(path: string): string {
  return new URL(path, window.location.origin).toString();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** "2:35 PM": a time later today (when a reveal ends). */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}
