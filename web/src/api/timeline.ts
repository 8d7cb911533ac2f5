import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { CustomerEvent, CustomerEventKind, List } from './types';

/** The customer's timeline, newest first, one kind of event or all; fetchNextPage follows next_cursor. */
export function useCustomerTimeline(customerId: string, kind: CustomerEventKind | '') {
  return useInfiniteQuery({
    queryKey: ['customers', 'timeline', customerId, kind],
    queryFn: ({ pageParam }) =>
      api.get<List<CustomerEvent>>(
        withQuery(`/customers/${encodeURIComponent(customerId)}/timeline`, { kind, ...pageParam }),
      ),
    // The latest events first; "Show more" asks for more at a time.
    initialPageParam: { cursor: undefined as string | undefined, limit: 10 },
    getNextPageParam: (last) =>
      last.has_more && last.next_cursor ? { cursor: last.next_cursor, limit: 25 } : undefined,
  });
}
