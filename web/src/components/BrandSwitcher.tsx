import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Plus } from 'lucide-react';
import type { Session } from '../api/types';
import { useSwitchBrand } from '../api/session';
import { useToast } from './Toasts';

// Only owners make brands, and rarely: the dialog (and its country list) loads when opened.
const NewBrandDialog = lazy(() => import('../pages/admin/NewBrandDialog'));

/** A select for staff in several brands; one brand is just shown. Owners of any brand may add one. */
export function BrandSwitcher({ session }: { session: Session }) {
  const id = useId();
  const switchBrand = useSwitchBrand();
  const toast = useToast();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const active = session.brands.find((b) => b.id === session.active_brand_id);
  const mayCreate = session.brands.some((b) => b.role === 'owner');

  const header = (label: ReactNode) => (
    <div className="brand-box-header">
      {label}
      {mayCreate && (
        <button type="button" className="btn btn-ghost btn-small brand-new" onClick={() => setCreating(true)}>
          <Plus size={14} aria-hidden="true" /> New brand
        </button>
      )}
    </div>
  );
  const dialog = creating && (
    <Suspense fallback={null}>
      <NewBrandDialog onClose={() => setCreating(false)} />
    </Suspense>
  );

  if (session.brands.length <= 1) {
    return (
      <div className="brand-box">
        {header(<span className="brand-label">Brand</span>)}
        <strong className="brand-name">{active?.name ?? 'No brand'}</strong>
        {dialog}
      </div>
    );
  }
  return (
    <div className="brand-box">
      {header(
        <label className="brand-label" htmlFor={id}>
          Brand
        </label>,
      )}
      <select
        id={id}
        className="input brand-select"
        value={session.active_brand_id ?? ''}
        disabled={switchBrand.isPending}
        onChange={(event) =>
          switchBrand.mutate(event.target.value, {
            onSuccess: (next) => {
              toast(`Switched to ${next.brands.find((b) => b.id === next.active_brand_id)?.name ?? 'brand'}`);
              void navigate('/', { replace: true });
            },
          })
        }
      >
        {!active && <option value="">Choose a brand</option>}
        {session.brands.map((brand) => (
          <option key={brand.id} value={brand.id}>
            {brand.name}
          </option>
        ))}
      </select>
      {switchBrand.isError && <p className="field-error">{switchBrand.error.message}</p>}
      {dialog}
    </div>
  );
}
