import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { publicApi } from './client';
import { remember, SESSION_KEY } from './session';
import type { PublicStaffInvitation, RequestBody, Session } from './types';

/** The invited person's side of a staff invitation: the link's token is all they have. */
function invitationPath(token: string): string {
  return `/invitations/${encodeURIComponent(token)}`;
}

export function usePublicInvitation(token: string) {
  return useQuery({
    queryKey: ['public', 'invitation', token],
    queryFn: () => publicApi.get<PublicStaffInvitation>(invitationPath(token)),
  });
}

/** Accepting signs in (the answer is the session): whatever was cached for another session is dropped. */
export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBody<'acceptStaffInvitation'>) =>
      publicApi.post<Session>(`${invitationPath(token)}/accept`, input),
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, remember(session));
    },
  });
}
