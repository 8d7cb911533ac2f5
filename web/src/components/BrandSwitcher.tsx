import { useId } from 'react';
import { useNavigate } from 'react-router';
import type { Session } from '../api/types';
import { useSwitchBrand } from '../api/session';
import { useToast } from './Toasts';

/** A select for staff in several brands; one brand is just shown. */
export function BrandSwitcher({ session }: { session: Session }) {
  const id = useId();
  const switchBrand = useSwitchBrand();
  const toast = useToast();
  const navigate = useNavigate();
  const active = session.brands.find((b) => b.id === session.active_brand_id);

  if (session.brands.length <= 1) {
    return (
      <div className="brand-box">
        <span className="brand-label">Brand</span>
        <strong className="brand-name">{active?.name ?? 'No brand'}</strong>
      </div>
    );
  }
  return (
    <div className="brand-box">
      <label className="brand-label" htmlFor={id}>
        Brand
      </label>
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
    </div>
  );
}
