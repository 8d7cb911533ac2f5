import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from './client';
import type { Membership, Session } from './types';

export const SESSION_KEY = ['session'] as const;

/** The signed-in staff member, or null when signed out (401). main.tsx starts it before the first render. */
export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  queryFn: async (): Promise<Session | null> => {
    try {
      return remember(await api.get<Session>('/session'));
    } catch (error) {
      if (isApiError(error, 401)) return forget();
      throw error;
    }
  },
  staleTime: 5 * 60_000,
});

export function useSession() {
  return useQuery(sessionQuery);
}

export function remember(session: Session): Session {
  setCsrfToken(session.csrf_token);
  return session;
}

export function forget(): null {
  setCsrfToken(null);
  return null;
}

/** The active brand and the role held there; null without one. */
export function activeMembership(session: Session | null | undefined): Membership | null {
  if (!session?.active_brand_id) return null;
  return session.brands.find((brand) => brand.id === session.active_brand_id) ?? null;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<Session>('/session', input),
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, remember(session));
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/session'),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, forget());
    },
  });
}

/** Every later call acts on the new brand, so nothing cached from the old one may be shown. */
export function useSwitchBrand() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (brandId: string) => api.post<Session>('/session/active-brand', { brand_id: brandId }),
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
      queryClient.setQueryData(SESSION_KEY, remember(session));
    },
  });
}
