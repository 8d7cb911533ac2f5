import { useMemo } from 'react';
import { SelectField } from '../../components/Field';
import { countryOptions } from '../../lib/countries';

/** The brand's country: the default region of phone numbers typed without a country code. */
export function CountryField({
  value,
  onChange,
  error,
  disabled,
}: {
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  const options = useMemo(countryOptions, []);
  return (
    <SelectField
      label="Country"
      name="country"
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint="Phone numbers without a country code are read in this country."
    >
      {!options.some((c) => c.code === value) && <option value={value}>{value || 'Choose a country'}</option>}
      {options.map((c) => (
        <option key={c.code} value={c.code}>
          {c.name}
        </option>
      ))}
    </SelectField>
  );
}
