import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { publicApi } from './client';
import { remember, SESSION_KEY } from './session';
import type { PublicStaffPasswordReset, RequestBody, Session } from './types';

/** The person's side of a password reset an owner or admin started: the link's token is all they have. */
function resetPath(token: string): string {
  return `/password-resets/${encodeURIComponent(token)}`;
}

export function usePublicPasswordReset(token: string) {
  return useQuery({
    queryKey: ['public', 'password-reset', token],
    queryFn: () => publicApi.get<PublicStaffPasswordReset>(resetPath(token)),
  });
}

/** Setting the password signs in (the answer is the session): whatever was cached for another session is dropped. */
export function useCompletePasswordReset(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBody<'completeStaffPasswordReset'>) => publicApi.post<Session>(resetPath(token), input),
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, remember(session));
    },
  });
}
