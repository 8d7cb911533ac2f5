import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { useBrand, useCreateBrand, type BrandInput } from '../../api/brands';
import { useSwitchBrand } from '../../api/session';
import { Dialog } from '../../components/Dialog';
import { InputField } from '../../components/Field';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { CurrencyField } from '../payments/CurrencyField';
import { CountryField } from './CountryField';

/**
 * A new brand, owned by whoever makes it: its own customers, payments and keys. Once created the session
 * switches to it, so the person lands in the empty brand they just made.
 */
export default function NewBrandDialog({ onClose }: { onClose: () => void }) {
  const active = useBrand();
  const create = useCreateBrand();
  const switchBrand = useSwitchBrand();
  const toast = useToast();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [country, setCountry] = useState<string | null>(null);
  const [currency, setCurrency] = useState<string | null>(null);
  const [logoUrl, setLogoUrl] = useState('');
  const chosenCountry = country ?? active.data?.country ?? 'BD';
  const chosenCurrency = currency ?? active.data?.base_currency ?? 'BDT';

  const error = create.error;
  const errors = isApiError(error, 422) ? error.fieldErrors() : {};
  const otherError = error && Object.keys(errors).length === 0 ? error.message : null;
  const busy = create.isPending || switchBrand.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: BrandInput = { name, country: chosenCountry, base_currency: chosenCurrency };
    if (logoUrl.trim()) input.logo_url = logoUrl.trim();
    create.mutate(input, {
      onSuccess: (brand) =>
        switchBrand.mutate(brand.id, {
          onSuccess: () => {
            toast(`${brand.name} was created; you are its owner`);
            onClose();
            void navigate('/customers', { replace: true });
          },
        }),
    });
  };

  return (
    <Dialog
      title="New brand"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="new-brand" className="btn btn-primary" disabled={busy || create.isSuccess}>
            {busy ? 'Creating…' : 'Create brand'}
          </button>
        </>
      }
    >
      <p className="muted">
        A brand has its own customers, payments, staff and keys. You become its owner, and the dashboard switches to it.
      </p>
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      {switchBrand.isError && (
        <Notice tone="warning" title="The brand was created">
          It could not be opened ({switchBrand.error.message}). Choose it in the brand menu of the sidebar.
        </Notice>
      )}
      <form id="new-brand" onSubmit={submit} noValidate>
        <InputField
          label="Name"
          name="name"
          placeholder="e.g. Chittagong Tea House"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
        <div className="field-pair">
          <CountryField value={chosenCountry} onChange={setCountry} error={errors.country} />
          <CurrencyField
            label="Base currency"
            value={chosenCurrency}
            onChange={setCurrency}
            error={errors.base_currency}
            hint="Totals and “total spent” are kept in it. It cannot change once the brand has a payment."
          />
        </div>
        <InputField
          label="Logo URL"
          name="logo_url"
          type="url"
          optional
          placeholder="https://example.com/logo.png"
          autoComplete="off"
          value={logoUrl}
          onChange={(e) => setLogoUrl(e.target.value)}
          error={errors.logo_url}
        />
      </form>
    </Dialog>
  );
}
