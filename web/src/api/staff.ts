import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { List, Role, StaffMember } from './types';

export function useStaff() {
  return useQuery({ queryKey: ['staff'], queryFn: () => api.get<List<StaffMember>>('/staff') });
}

export function useAddStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; name: string; role: Role; password?: string }) =>
      api.post<StaffMember & { account: 'created' | 'existing' }>('/staff', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['staff'] }),
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
