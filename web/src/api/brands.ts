import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { SESSION_KEY } from './session';
import type { Brand, RequestBody } from './types';

/* The active brand's profile and settings, and new brands (docs: GET/PATCH /brand, POST /brands). */

export function useBrand() {
  return useQuery({ queryKey: ['brand'], queryFn: () => api.get<Brand>('/brand'), staleTime: 60_000 });
}

export type BrandInput = RequestBody<'createBrand'>;
export type BrandChanges = RequestBody<'updateBrand'>;
export type BrandSettingsInput = RequestBody<'updateBrandSettings'>;

/** A new brand owned by the signed-in person; the caller switches to it (useSwitchBrand) afterwards. */
export function useCreateBrand() {
  return useMutation({ mutationFn: (input: BrandInput) => api.post<Brand>('/brands', input) });
}

/** The brand's name shows in the sidebar and the session, so the session is read again too. */
export function useUpdateBrand() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: BrandChanges) => api.patch<Brand>('/brand', changes),
    onSuccess: (brand) => {
      queryClient.setQueryData(['brand'], brand);
      void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      // Totals and exchange rates are kept in the base currency; a change there clears the rates.
      void queryClient.invalidateQueries({ queryKey: ['exchange-rates'] });
    },
  });
}

export function useUpdateBrandSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: BrandSettingsInput) => api.patch<Brand>('/brand/settings', settings),
    onSuccess: (brand) => queryClient.setQueryData(['brand'], brand),
  });
}
