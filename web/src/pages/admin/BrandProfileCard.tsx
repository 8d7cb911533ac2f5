import { useState, type FormEvent } from 'react';
import { Pencil } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useBrand, useUpdateBrand, type BrandChanges } from '../../api/brands';
import type { Brand } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { InputField } from '../../components/Field';
import { ErrorState, Notice, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { countryName } from '../../lib/countries';
import { initials } from '../../lib/format';
import { CurrencyField } from '../payments/CurrencyField';
import { CountryField } from './CountryField';

/** Name, country, base currency and logo; owners and admins change them. */
export function BrandProfileCard({ manage }: { manage: boolean }) {
  const brand = useBrand();
  const [editing, setEditing] = useState(false);
  return (
    <section className="card" aria-labelledby="brand-title">
      <div className="card-header">
        <h2 id="brand-title">Brand profile</h2>
        {manage && brand.isSuccess && (
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setEditing(true)}>
            <Pencil size={15} aria-hidden="true" /> Edit
          </button>
        )}
      </div>
      {brand.isPending ? (
        <Spinner />
      ) : brand.isError ? (
        <ErrorState error={brand.error} retry={() => void brand.refetch()} title="The brand could not be loaded" />
      ) : (
        <>
          <div className="brand-identity">
            <BrandLogo brand={brand.data} />
            <div>
              <strong>{brand.data.name}</strong>
              <span className="muted small">{brand.data.logo_url ? 'Logo from your URL' : 'No logo yet'}</span>
            </div>
          </div>
          <dl className="facts">
            <div>
              <dt>Country</dt>
              <dd>
                {countryName(brand.data.country)} <span className="muted">({brand.data.country})</span>
              </dd>
            </div>
            <div>
              <dt>Base currency</dt>
              <dd>{brand.data.base_currency}</dd>
            </div>
            <div className="wide">
              <dt>Brand ID</dt>
              <dd className="mono">{brand.data.id}</dd>
            </div>
          </dl>
          {!manage && <p className="muted small">Only owners and admins change the brand profile.</p>}
        </>
      )}
      {editing && brand.data && <EditBrandDialog brand={brand.data} onClose={() => setEditing(false)} />}
    </section>
  );
}

/** The logo, or the brand's initials when there is none or it does not load. */
function BrandLogo({ brand }: { brand: Brand }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (brand.logo_url && failed !== brand.logo_url) {
    return (
      <img
        className="brand-logo"
        src={brand.logo_url}
        alt={`${brand.name} logo`}
        onError={() => setFailed(brand.logo_url)}
      />
    );
  }
  return (
    <span className="avatar brand-logo" aria-hidden="true">
      {initials(brand.name)}
    </span>
  );
}

function EditBrandDialog({ brand, onClose }: { brand: Brand; onClose: () => void }) {
  const update = useUpdateBrand();
  const toast = useToast();
  const [name, setName] = useState(brand.name);
  const [country, setCountry] = useState(brand.country);
  const [currency, setCurrency] = useState(brand.base_currency);
  const [logoUrl, setLogoUrl] = useState(brand.logo_url ?? '');

  const error = update.error;
  const errors: Record<string, string> = isApiError(error, 422) ? error.fieldErrors() : {};
  // Every total is kept in the base currency, so the server refuses to change it after the first payment.
  if (isApiError(error, 409) && error.code === 'currency_locked') errors.base_currency = error.message;
  const otherError = error && Object.keys(errors).length === 0 ? error.message : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Only what changed, so a locked base currency never blocks a new name.
    const changes: BrandChanges = {};
    if (name !== brand.name) changes.name = name;
    if (country !== brand.country) changes.country = country;
    if (currency !== brand.base_currency) changes.base_currency = currency;
    if (logoUrl.trim() !== (brand.logo_url ?? '')) changes.logo_url = logoUrl.trim() || null;
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate(changes, {
      onSuccess: () => {
        toast('Brand profile saved');
        onClose();
      },
    });
  };

  return (
    <Dialog
      title="Edit brand profile"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="brand-profile" className="btn btn-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="brand-profile" onSubmit={submit} noValidate>
        <InputField
          label="Name"
          name="name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
        <div className="field-pair">
          <CountryField value={country} onChange={setCountry} error={errors.country} />
          <CurrencyField
            label="Base currency"
            value={currency}
            onChange={setCurrency}
            error={errors.base_currency}
            hint="Fixed once the brand has a payment. Changing it clears the exchange rates."
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
          hint="An https:// address of an image. Leave empty to remove the logo."
        />
      </form>
    </Dialog>
  );
}
