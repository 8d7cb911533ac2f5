import { useId, useState, type ReactNode } from 'react';
import { X } from 'lucide-react';
import { useCustomerList } from '../../api/customer-list';
import { useDebouncedValue } from '../../lib/hooks';
import { fieldSentence } from '../../lib/field-message';

interface Picked {
  id: string;
  name: string;
}

/** Finds a customer by the same server search as the Customers page; leaving it empty bills anyone with the link. */
export function CustomerPicker({
  value,
  onChange,
  error,
  optional = true,
  hint = 'Without a customer, whoever opens the link fills in their name and email.',
}: {
  value: Picked | null;
  onChange: (customer: Picked | null) => void;
  error?: string | undefined;
  optional?: boolean;
  hint?: ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 250);
  const results = useCustomerList(q ? { q } : {}, undefined);
  const options = q ? (results.data?.data ?? []).slice(0, 6) : [];

  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>Customer{optional && <span className="field-optional"> (optional)</span>}</label>
      {value ? (
        <div className="picked">
          <span>{value.name}</span>
          <span className="mono muted small">{value.id}</span>
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${value.name}`}
            onClick={() => onChange(null)}
          >
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ) : (
        <>
          <input
            id={id}
            className="input"
            type="search"
            placeholder="Search by name, email or phone"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
          />
          {q && (
            <ul className="picker-results" aria-label="Matching customers">
              {options.length === 0 && !results.isFetching && <li className="muted small">No matching customers</li>}
              {options.map((c) => (
                <li key={c.id}>
                  <button type="button" className="picker-option" onClick={() => onChange({ id: c.id, name: c.name })}>
                    <strong>{c.name}</strong> <span className="muted">{c.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {error ? (
        <p className="field-error">{fieldSentence('Customer', error)}</p>
      ) : (
        !value && hint && <p className="field-hint">{hint}</p>
      )}
    </div>
  );
}
