import { useState, type FormEvent } from 'react';
import { Plus, Trash2 } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useExchangeRates, useSaveExchangeRates } from '../../api/payments';
import { ErrorState, Notice, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDate } from '../../lib/format';
import { fieldSentence } from '../../lib/field-message';

interface Row {
  key: string;
  currency: string;
  rate: string;
  saved: boolean;
  updatedAt?: string;
}

const RATE = /^\d+(\.\d+)?$/;

/**
 * How many units of the base currency one unit of another buys. A payment in a currency without a rate is
 * refused, so each currency your links and invoices use needs one here. Rates set replace old ones; a
 * payment keeps the rate it was made at.
 */
export function ExchangeRatesCard({ manage }: { manage: boolean }) {
  const rates = useExchangeRates();
  const save = useSaveExchangeRates();
  const toast = useToast();
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [added, setAdded] = useState<Row[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});

  if (rates.isPending) {
    return (
      <section className="card" aria-label="Exchange rates">
        <Spinner />
      </section>
    );
  }
  if (rates.isError) {
    return (
      <section className="card" aria-label="Exchange rates">
        <ErrorState error={rates.error} retry={() => void rates.refetch()} title="Exchange rates could not be loaded" />
      </section>
    );
  }
  const base = rates.data.base_currency;
  const rows: Row[] = [
    ...rates.data.rates.map((r) => ({
      key: r.currency,
      currency: r.currency,
      rate: edits[r.currency] ?? r.rate,
      saved: true,
      updatedAt: r.updated_at,
    })),
    ...added,
  ];
  const serverErrors = isApiError(save.error, 422) ? save.error.fieldErrors() : {};
  const errorFor = (row: Row) => local[row.key] ?? serverErrors[`rates.${row.currency}`];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const body: Record<string, string> = {};
    for (const row of rows) {
      const code = row.currency.trim().toUpperCase();
      if (!row.saved && !/^[A-Z]{3}$/.test(code)) problems[row.key] = 'A three-letter currency code, like USD';
      else if (!RATE.test(row.rate.trim()) || Number(row.rate) <= 0)
        problems[row.key] = 'A positive decimal number, like 117.25';
      else if (!row.saved || edits[row.currency] !== undefined) body[code] = row.rate.trim();
    }
    setLocal(problems);
    if (Object.keys(problems).length > 0 || Object.keys(body).length === 0) return;
    save.mutate(body, {
      onSuccess: () => {
        setEdits({});
        setAdded([]);
        toast('Exchange rates saved');
      },
    });
  };

  return (
    <section className="card" aria-labelledby="rates-title">
      <div className="card-header">
        <h2 id="rates-title">Exchange rates</h2>
        <span className="muted small">Base currency {base}</span>
      </div>
      <p className="muted small">
        How many {base} one unit of each currency buys. Payments in a currency without a rate are refused.
      </p>
      {save.isError && !Object.keys(serverErrors).length && <Notice tone="danger">{save.error.message}</Notice>}
      <form onSubmit={submit} noValidate>
        {rows.length === 0 ? (
          <p className="muted">No rates yet: only {base} payments are accepted.</p>
        ) : (
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Currency</th>
                <th scope="col">1 unit = … {base}</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <td>
                    {row.saved ? (
                      <strong>{row.currency}</strong>
                    ) : (
                      <input
                        className="input input-short"
                        aria-label="Currency code"
                        maxLength={3}
                        value={row.currency}
                        disabled={!manage}
                        onChange={(e) =>
                          setAdded((all) =>
                            all.map((r) => (r.key === row.key ? { ...r, currency: e.target.value.toUpperCase() } : r)),
                          )
                        }
                      />
                    )}
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-label={`Rate of ${row.currency || 'new currency'} in ${base}`}
                      aria-invalid={Boolean(errorFor(row))}
                      inputMode="decimal"
                      value={row.rate}
                      disabled={!manage}
                      onChange={(e) =>
                        row.saved
                          ? setEdits((all) => ({ ...all, [row.currency]: e.target.value }))
                          : setAdded((all) => all.map((r) => (r.key === row.key ? { ...r, rate: e.target.value } : r)))
                      }
                    />
                    {errorFor(row) && (
                      <p className="field-error">{fieldSentence(`The rate for ${row.currency}`, errorFor(row)!)}</p>
                    )}
                  </td>
                  <td className="muted small nowrap">{row.updatedAt ? formatDate(row.updatedAt) : 'Not saved'}</td>
                  <td>
                    {!row.saved && (
                      <button
                        type="button"
                        className="icon-button"
                        aria-label="Remove this row"
                        onClick={() => setAdded((all) => all.filter((r) => r.key !== row.key))}
                      >
                        <Trash2 size={16} aria-hidden="true" />
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {manage && (
          <div className="button-row">
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() =>
                setAdded((all) => [...all, { key: `new-${Date.now()}`, currency: '', rate: '', saved: false }])
              }
            >
              <Plus size={15} aria-hidden="true" /> Add currency
            </button>
            <button
              type="submit"
              className="btn btn-secondary btn-small"
              disabled={save.isPending || (added.length === 0 && Object.keys(edits).length === 0)}
            >
              {save.isPending ? 'Saving…' : 'Save rates'}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
