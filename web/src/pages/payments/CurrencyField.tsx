import { useId, type ReactNode } from 'react';
import { Field } from '../../components/Field';
import { COMMON_CURRENCIES } from '../../lib/money';

/** Any ISO 4217 code, with the common ones offered as you type. */
export function CurrencyField({
  value,
  onChange,
  error,
  label = 'Currency',
  hint = "A payment in another currency than the brand's needs an exchange rate (Settings).",
  disabled,
}: {
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
  label?: string;
  hint?: ReactNode;
  disabled?: boolean;
}) {
  const listId = useId();
  return (
    <Field label={label} error={error} hint={hint}>
      {(a11y) => (
        <>
          <input
            className="input input-short"
            name="currency"
            list={listId}
            maxLength={3}
            autoComplete="off"
            disabled={disabled}
            value={value}
            onChange={(e) => onChange(e.target.value.toUpperCase())}
            {...a11y}
          />
          <datalist id={listId}>
            {COMMON_CURRENCIES.map((code) => (
              <option key={code} value={code} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
