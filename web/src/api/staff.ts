import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  List,
  RequestBody,
  Role,
  StaffInvitation,
  StaffInvitationCreated,
  StaffMember,
  StaffPasswordResetStarted,
} from './types';

export function useStaff() {
  return useQuery({ queryKey: ['staff'], queryFn: () => api.get<List<StaffMember>>('/staff') });
}

export function useStaffInvitations() {
  return useQuery({
    queryKey: ['staff-invitations'],
    queryFn: () => api.get<List<StaffInvitation>>('/staff-invitations'),
  });
}

/** Invites an email; the answer's accept_url is shown once (only a hash of its token is kept). */
export function useInviteStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBody<'inviteStaff'>) => api.post<StaffInvitationCreated>('/staff', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['staff-invitations'] }),
  });
}

export function useRevokeStaffInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/staff-invitations/${encodeURIComponent(id)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['staff-invitations'] }),
  });
}

export function useChangeStaffRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      api.patch<StaffMember>(`/staff/${encodeURIComponent(id)}`, { role }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['staff'] }),
  });
}

export function useRemoveStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/staff/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['staff'] }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { current_password: string; new_password: string }) =>
      api.post<void>('/session/password', input),
  });
}

/** Starts a password reset for a member; the answer's reset_url is shown once (only a hash of its token is kept). */
export function useStartPasswordReset() {
  return useMutation({
    mutationFn: (staffId: string) =>
      api.post<StaffPasswordResetStarted>(`/staff/${encodeURIComponent(staffId)}/password-reset`),
  });
}
