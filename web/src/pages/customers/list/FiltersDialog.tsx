import { useState, type FormEvent } from 'react';
import type { CustomerListParams, CustomerTag } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { InputField, SelectField } from '../../../components/Field';
import { parseMajor, toMajorString } from '../../../lib/money';
import { dayEnd, dayStart, daysBefore, isoToDay, isoToLastDay } from './dates';
import { SOURCE_LABELS } from './filter-chips';
import { parseSources, SOURCES, withoutKeys, type FilterKey } from './list-params';

type Payment = 'any' | 'between' | 'none_since';

const FILTER_KEYS: FilterKey[] = [
  'source',
  'created_gte',
  'created_lt',
  'last_payment_gte',
  'last_payment_lt',
  'last_payment_before',
  'no_payment_days',
  'total_spent_gte',
  'total_spent_lt',
  'has_payments',
  'has_user',
  'tag',
  'status',
];

const yesNo = (value: boolean | undefined) => (value === undefined ? '' : String(value));
const fromYesNo = (value: string) => (value === '' ? undefined : value === 'true');

/** Every filter in one form; Apply writes them to the address (the list, its count and a saved view follow). */
export function FiltersDialog({
  params,
  tags,
  currency,
  onApply,
  onClose,
}: {
  params: CustomerListParams;
  tags: CustomerTag[];
  /** The brand's base currency: totals are entered in its major units and sent in minor units. */
  currency: string;
  onApply: (params: CustomerListParams) => void;
  onClose: () => void;
}) {
  const [sources, setSources] = useState(() => new Set(parseSources(params.source)));
  const [createdFrom, setCreatedFrom] = useState(isoToDay(params.created_gte));
  const [createdTo, setCreatedTo] = useState(isoToLastDay(params.created_lt));
  const [payment, setPayment] = useState<Payment>(
    params.no_payment_days || params.last_payment_before
      ? 'none_since'
      : params.last_payment_gte || params.last_payment_lt
        ? 'between'
        : 'any',
  );
  const [paidFrom, setPaidFrom] = useState(isoToDay(params.last_payment_gte));
  const [paidTo, setPaidTo] = useState(isoToLastDay(params.last_payment_lt));
  const [days, setDays] = useState(
    params.no_payment_days
      ? String(params.no_payment_days)
      : params.last_payment_before
        ? String(daysBefore(params.last_payment_before))
        : '90',
  );
  const [spentMin, setSpentMin] = useState(
    params.total_spent_gte !== undefined ? toMajorString(params.total_spent_gte, currency) : '',
  );
  const [spentMax, setSpentMax] = useState(
    params.total_spent_lt !== undefined ? toMajorString(params.total_spent_lt - 1, currency) : '',
  );
  const [hasPayments, setHasPayments] = useState(yesNo(params.has_payments));
  const [hasUser, setHasUser] = useState(yesNo(params.has_user));
  const [tag, setTag] = useState(params.tag ?? '');
  const [status, setStatus] = useState<string>(params.status ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const min = spentMin.trim() ? parseMajor(spentMin, currency) : undefined;
    const max = spentMax.trim() ? parseMajor(spentMax, currency) : undefined;
    if (min === null) problems.spentMin = `Enter an amount in ${currency}, like 1500 or 1500.50`;
    if (max === null) problems.spentMax = `Enter an amount in ${currency}, like 1500 or 1500.50`;
    if (typeof min === 'number' && typeof max === 'number' && max < min)
      problems.spentMax = 'Must not be below the minimum';
    if (createdFrom && createdTo && createdTo < createdFrom) problems.createdTo = 'Must not be before the first day';
    const n = Number(days);
    if (payment === 'between' && paidFrom && paidTo && paidTo < paidFrom)
      problems.paidTo = 'Must not be before the first day';
    if (payment === 'none_since' && !(Number.isInteger(n) && n >= 1 && n <= 3650)) {
      problems.days = 'Enter a number of days from 1 to 3650';
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    onApply({
      ...withoutKeys(params, FILTER_KEYS),
      source: [...sources].join(','),
      created_gte: dayStart(createdFrom),
      created_lt: dayEnd(createdTo),
      last_payment_gte: payment === 'between' ? dayStart(paidFrom) : undefined,
      last_payment_lt: payment === 'between' ? dayEnd(paidTo) : undefined,
      // Relative, so a saved view keeps meaning "the last N days".
      no_payment_days: payment === 'none_since' ? n : undefined,
      total_spent_gte: min ?? undefined,
      total_spent_lt: typeof max === 'number' ? max + 1 : undefined,
      has_payments: fromYesNo(hasPayments),
      has_user: fromYesNo(hasUser),
      tag: tag || undefined,
      status: status === 'active' || status === 'suspended' ? status : undefined,
    });
  };

  const clear = () => onApply(withoutKeys(params, FILTER_KEYS));
  return (
    <Dialog
      title="Filter customers"
      size="large"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-ghost filters-clear" onClick={clear}>
            Clear all
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="filters-form" className="btn btn-primary">
            Apply filters
          </button>
        </>
      }
    >
      <form id="filters-form" className="filters-form" onSubmit={submit} noValidate>
        <fieldset className="fieldset filters-sources">
          <legend>Source</legend>
          <div className="check-grid">
            {SOURCES.map((source) => (
              <label key={source} className="radio">
                <input
                  type="checkbox"
                  checked={sources.has(source)}
                  onChange={(event) => {
                    const next = new Set(sources);
                    if (event.target.checked) next.add(source);
                    else next.delete(source);
                    setSources(next);
                  }}
                />
                {SOURCE_LABELS[source]}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Created</legend>
          <div className="field-pair">
            <InputField label="From" type="date" value={createdFrom} onChange={(e) => setCreatedFrom(e.target.value)} />
            <InputField
              label="Until"
              type="date"
              value={createdTo}
              error={errors.createdTo}
              onChange={(e) => setCreatedTo(e.target.value)}
            />
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Last payment</legend>
          <div className="radio-row">
            {(
              [
                ['any', 'Any time'],
                ['between', 'Between'],
                ['none_since', 'None lately'],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="radio">
                <input type="radio" name="payment" checked={payment === value} onChange={() => setPayment(value)} />
                {label}
              </label>
            ))}
          </div>
          {payment === 'between' && (
            <div className="field-pair">
              <InputField
                label="Paid from"
                type="date"
                value={paidFrom}
                onChange={(e) => setPaidFrom(e.target.value)}
              />
              <InputField
                label="Paid until"
                type="date"
                value={paidTo}
                error={errors.paidTo}
                onChange={(e) => setPaidTo(e.target.value)}
              />
            </div>
          )}
          {payment === 'none_since' && (
            <InputField
              label="No payment in the last … days"
              inputMode="numeric"
              className="input input-short"
              value={days}
              error={errors.days}
              hint="Includes customers who never paid; set “Has paid” to Yes to leave them out."
              onChange={(e) => setDays(e.target.value)}
            />
          )}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Total spent ({currency})</legend>
          <div className="field-pair">
            <InputField
              label={`At least (${currency})`}
              inputMode="decimal"
              value={spentMin}
              error={errors.spentMin}
              onChange={(e) => setSpentMin(e.target.value)}
            />
            <InputField
              label={`Up to (${currency})`}
              inputMode="decimal"
              value={spentMax}
              error={errors.spentMax}
              onChange={(e) => setSpentMax(e.target.value)}
            />
          </div>
        </fieldset>
        <div className="field-pair">
          <SelectField label="Has paid" value={hasPayments} onChange={(e) => setHasPayments(e.target.value)}>
            <option value="">Either</option>
            <option value="true">Yes</option>
            <option value="false">No, never</option>
          </SelectField>
          <SelectField label="Site account" value={hasUser} onChange={(e) => setHasUser(e.target.value)}>
            <option value="">Either</option>
            <option value="true">Linked to a site user</option>
            <option value="false">Not linked</option>
          </SelectField>
          <SelectField label="Tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">Any tag or none</option>
            {tags.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Active or suspended</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </SelectField>
        </div>
      </form>
    </Dialog>
  );
}
