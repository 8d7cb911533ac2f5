import { useInfiniteQuery, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { List, Note } from './types';

/** The server's limit, in characters (code points), after trimming. */
export const NOTE_MAX_LENGTH = 5000;

const notesKey = (customerId: string) => ['customers', 'notes', customerId];
const notesPath = (customerId: string) => `/customers/${encodeURIComponent(customerId)}/notes`;

/** The customer's notes, newest first; fetchNextPage follows next_cursor. */
export function useCustomerNotes(customerId: string) {
  return useInfiniteQuery({
    queryKey: notesKey(customerId),
    queryFn: ({ pageParam }) => api.get<List<Note>>(withQuery(notesPath(customerId), pageParam)),
    // The latest few keep the profile short; "Show more" asks for more at a time.
    initialPageParam: { cursor: undefined as string | undefined, limit: 5 },
    getNextPageParam: (last) =>
      last.has_more && last.next_cursor ? { cursor: last.next_cursor, limit: 20 } : undefined,
  });
}

/** Every change to a note is also an event on the customer's timeline. */
function refresh(queryClient: QueryClient, customerId: string) {
  void queryClient.invalidateQueries({ queryKey: notesKey(customerId) });
  void queryClient.invalidateQueries({ queryKey: ['customers', 'timeline', customerId] });
}

export function useAddNote(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api.post<Note>(notesPath(customerId), { body }),
    onSuccess: () => refresh(queryClient, customerId),
  });
}

export function useEditNote(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: string }) =>
      api.patch<Note>(`${notesPath(customerId)}/${encodeURIComponent(id)}`, { body }),
    onSuccess: () => refresh(queryClient, customerId),
  });
}

export function useDeleteNote(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${notesPath(customerId)}/${encodeURIComponent(id)}`),
    onSuccess: () => refresh(queryClient, customerId),
  });
}
