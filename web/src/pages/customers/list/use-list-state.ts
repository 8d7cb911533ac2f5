import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { CustomerListParams } from '../../../api/types';
import { useDebouncedValue } from '../../../lib/hooks';
import { normalise, readListParams, toSearchParams } from './list-params';

/**
 * The list's sort, filters, search and saved view, read from and written to the address. A new list is a
 * new history entry (Back undoes a filter); typing in the search box replaces the entry instead.
 */
export function useListState() {
  const [search, setSearch] = useSearchParams();
  const text = search.toString();
  // Keyed by the text: the object's identity changes more often than its value.
  const params = useMemo(() => readListParams(new URLSearchParams(text)), [text]);
  const viewId = search.get('view');
  const setParams = useCallback(
    (next: CustomerListParams, options: { view?: string | null; replace?: boolean } = {}) => {
      const view = options.view === undefined ? viewId : options.view;
      setSearch(toSearchParams(normalise(next), view), { replace: options.replace ?? false });
    },
    [setSearch, viewId],
  );
  return { params, viewId, setParams, key: toSearchParams(params).toString() };
}

/** The search box: as typed here, in the address once typing stops (250 ms), and back when the address changes. */
export function useSearchText(
  params: CustomerListParams,
  setParams: (next: CustomerListParams, options: { replace: boolean }) => void,
) {
  const fromUrl = params.q ?? '';
  const [text, setText] = useState(fromUrl);
  const [seen, setSeen] = useState(fromUrl);
  if (fromUrl !== seen) {
    // A tab, Back or a link changed the search: the box follows.
    setSeen(fromUrl);
    if (text.trim() !== fromUrl) setText(fromUrl);
  }
  const typed = useDebouncedValue(text.trim(), 250);
  useEffect(() => {
    if (typed !== fromUrl) setParams({ ...params, q: typed }, { replace: true });
    // Only a change of what was typed writes the address, never a change of the address itself.
  }, [typed]);
  return { text, setText };
}
