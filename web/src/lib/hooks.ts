import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';

/** The value, once it has stopped changing for `ms` (search as you type). */
export function useDebouncedValue<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Cursor pagination without counting: a stack of the cursors that led to each page seen, so Previous
 * works and nothing depends on the total (a brand may have a million customers). Each entry keeps how
 * many rows came before it, for "21–40".
 */
export function useCursorStack() {
  const [stack, setStack] = useState<{ cursor: string | undefined; offset: number }[]>([
    { cursor: undefined, offset: 0 },
  ]);
  const top = stack[stack.length - 1]!;
  return {
    cursor: top.cursor,
    page: stack.length,
    /** Rows on the pages before this one. */
    offset: top.offset,
    /** To the page after `cursor`; `rows` is how many the current page shows. */
    next: (cursor: string, rows = 0) => setStack((s) => [...s, { cursor, offset: s[s.length - 1]!.offset + rows }]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([{ cursor: undefined, offset: 0 }]),
  };
}

interface CursorTrail {
  /** The pages before this one, for Previous: each page's cursor and first row number. */
  trail?: { cursor: string | null; from: number }[];
}

/**
 * useCursorStack with the page in the address (`cursor`, `from`: the first row's number), so a reload or
 * a shared link opens the same rows. The cursors before it travel in the history entry's state (kept
 * across reloads); a link opened elsewhere has none, so Previous goes back to the first page. A list
 * whose search or filters change writes a new address without them: it starts at its first page.
 */
export function useUrlCursorStack() {
  const [search, setSearch] = useSearchParams();
  const location = useLocation();
  const cursor = search.get('cursor') ?? undefined;
  const from = cursor ? Math.max(1, Math.trunc(Number(search.get('from'))) || 1) : 1;
  const trail = (location.state as CursorTrail | null)?.trail ?? [];
  const go = (to: { cursor: string | null; from: number }, nextTrail: CursorTrail['trail']) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (to.cursor) {
          next.set('cursor', to.cursor);
          next.set('from', String(to.from));
        } else {
          next.delete('cursor');
          next.delete('from');
        }
        return next;
      },
      { state: { trail: nextTrail } satisfies CursorTrail },
    );
  return {
    cursor,
    page: cursor ? Math.max(2, trail.length + 1) : 1,
    offset: from - 1,
    next: (nextCursor: string, rows = 0) =>
      go({ cursor: nextCursor, from: from + rows }, [...trail, { cursor: cursor ?? null, from }]),
    previous: () => {
      const before = trail.at(-1) ?? { cursor: null, from: 1 };
      go(before, trail.slice(0, -1));
    },
  };
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Paydesk` : 'Paydesk';
  }, [title]);
}

/** The current time, updated every `ms`: relative times ("3 minutes ago") stay true while a page is open. */
export function useNow(ms = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}
