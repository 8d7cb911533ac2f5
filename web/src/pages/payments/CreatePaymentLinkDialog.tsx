import { useState, type FormEvent } from 'react';
import { CheckCircle2, ExternalLink } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useBrand } from '../../api/brands';
import { useCreatePaymentLink, type PaymentLinkInput } from '../../api/payments';
import type { PaymentLink } from '../../api/types';
import { CopyButton } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { InputField, TextareaField } from '../../components/Field';
import { Notice } from '../../components/States';
import { absoluteUrl } from '../../lib/format';
import { parseMajor } from '../../lib/money';
import { CurrencyField } from './CurrencyField';

export function CreatePaymentLinkDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (link: PaymentLink) => void;
}) {
  const brand = useBrand();
  const create = useCreatePaymentLink();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [currency, setCurrency] = useState<string | null>(null);
  const [amountType, setAmountType] = useState<'fixed' | 'customer_chosen'>('fixed');
  const [amount, setAmount] = useState('');
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [slug, setSlug] = useState('');
  const [tried, setTried] = useState(false);
  const [created, setCreated] = useState<PaymentLink | null>(null);
  const chosenCurrency = currency ?? brand.data?.base_currency ?? 'BDT';

  // The body as typed, and what is wrong with it that the browser can already tell.
  const input: PaymentLinkInput = { title: title.trim(), currency: chosenCurrency };
  const problems: Record<string, string> = {};
  if (description.trim()) input.description = description.trim();
  if (slug.trim()) input.slug = slug.trim();
  const money = (text: string, field: 'amount' | 'min_amount' | 'max_amount', required: boolean) => {
    if (!text.trim()) {
      if (required) problems[field] = 'Enter an amount';
      return;
    }
    const minor = parseMajor(text, chosenCurrency);
    if (minor === null || minor <= 0) problems[field] = `Enter an amount in ${chosenCurrency}, like 1500 or 1500.50`;
    else input[field] = minor;
  };
  if (amountType === 'fixed') money(amount, 'amount', true);
  else {
    money(min, 'min_amount', false);
    money(max, 'max_amount', false);
  }

  const error = create.error;
  const errors: Record<string, string> = {
    ...(isApiError(error, 422) ? error.fieldErrors() : {}),
    ...(tried ? problems : {}),
  };
  if (isApiError(error, 409)) errors.slug = error.message;
  const otherError = error && Object.keys(errors).length === 0 ? error.message : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    create.mutate(input, { onSuccess: setCreated });
  };

  if (created) {
    const url = absoluteUrl(created.url);
    return (
      <Dialog
        title="Payment link created"
        onClose={() => onCreated(created)}
        footer={
          <button type="button" className="btn btn-primary" onClick={() => onCreated(created)}>
            Done
          </button>
        }
      >
        <div className="success-panel">
          <CheckCircle2 size={28} aria-hidden="true" className="success-icon" />
          <p>
            <strong>{created.title}</strong> is ready. Anyone with this link can pay:
          </p>
          <p className="share-url mono" data-testid="new-link-url">
            {url}
          </p>
          <div className="button-row">
            <CopyButton text={url} label="Copy link" />
            <a className="btn btn-secondary btn-small" href={created.url} target="_blank" rel="noreferrer">
              <ExternalLink size={15} aria-hidden="true" /> Open payment page
            </a>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="New payment link"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="payment-link-form" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create link'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="payment-link-form" onSubmit={submit} noValidate>
        <InputField
          label="Title"
          name="title"
          placeholder="e.g. Yoga class, 10 sessions"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.title}
        />
        <TextareaField
          label="Description"
          optional
          name="description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
        />
        <CurrencyField value={chosenCurrency} onChange={setCurrency} error={errors.currency} />
        <fieldset className="fieldset">
          <legend>Amount</legend>
          <div className="radio-row">
            <label className="radio">
              <input
                type="radio"
                name="amount_type"
                checked={amountType === 'fixed'}
                onChange={() => setAmountType('fixed')}
              />{' '}
              Fixed price
            </label>
            <label className="radio">
              <input
                type="radio"
                name="amount_type"
                checked={amountType === 'customer_chosen'}
                onChange={() => setAmountType('customer_chosen')}
              />{' '}
              Client chooses
            </label>
          </div>
          {amountType === 'fixed' ? (
            <InputField
              label={`Price (${chosenCurrency})`}
              name="amount"
              inputMode="decimal"
              placeholder="1500"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              error={errors.amount}
            />
          ) : (
            <div className="field-pair">
              <InputField
                label={`Minimum (${chosenCurrency})`}
                optional
                name="min_amount"
                inputMode="decimal"
                value={min}
                onChange={(e) => setMin(e.target.value)}
                error={errors.min_amount}
              />
              <InputField
                label={`Maximum (${chosenCurrency})`}
                optional
                name="max_amount"
                inputMode="decimal"
                value={max}
                onChange={(e) => setMax(e.target.value)}
                error={errors.max_amount}
              />
            </div>
          )}
        </fieldset>
        <InputField
          label="Link name"
          optional
          name="slug"
          placeholder="yoga-10"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          error={errors.slug}
          hint="The end of the address: /pay/yoga-10. Left empty, Paydesk picks one."
        />
      </form>
    </Dialog>
  );
}
