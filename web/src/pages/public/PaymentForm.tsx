import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { CheckCircle2, CreditCard, XCircle } from 'lucide-react';
import { isApiError, publicApi } from '../../api/client';
import type { Money, PaymentResult } from '../../api/types';
import { InputField } from '../../components/Field';
import { Notice } from '../../components/States';
import { formatMoney, parseMajor } from '../../lib/money';

interface PaymentFormProps {
  /** `/pay/{slug}`, `/checkout/{token}` or `/invoice/{token}` under /api/public. */
  path: string;
  currency: string;
  /** Fixed amount to show on the button; null when the client chooses it. */
  amount: Money | null;
  minAmount?: Money | null;
  maxAmount?: Money | null;
  /** An invoice made out to a known customer does not ask who pays. */
  payerKnown?: boolean;
}

/** Card payment against the test-mode gateway: the form, then a success or a decline screen. */
export function PaymentForm({ path, currency, amount, minAmount, maxAmount, payerKnown }: PaymentFormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [chosen, setChosen] = useState('');
  const [card, setCard] = useState('');
  const [expiry, setExpiry] = useState('');
  const [cvc, setCvc] = useState('');
  const [tried, setTried] = useState(false);
  const pay = useMutation({ mutationFn: (body: unknown) => publicApi.post<PaymentResult>(path, body) });

  if (pay.isSuccess) {
    return (
      <div className="result result-success" role="status">
        <CheckCircle2 size={44} aria-hidden="true" />
        <h2>Payment successful</h2>
        <p>
          You paid <strong>{formatMoney(pay.data.amount)}</strong>. Thank you!
        </p>
        <p className="muted small">
          Reference <span className="mono">{pay.data.transaction_id}</span>
        </p>
        {/* No receipt is sent (there is no mail transport): this page is the payer's confirmation. */}
        <p className="muted small">No receipt is emailed: keep this reference (or a screenshot) for your records.</p>
      </div>
    );
  }
  const declined = isApiError(pay.error, 402) ? pay.error : null;
  if (declined?.code === 'payment_refused') {
    // This payer may not pay this merchant: another card would not help, and the page does not say why.
    return (
      <div className="result result-declined" role="alert">
        <XCircle size={44} aria-hidden="true" />
        <h2>Payment not accepted</h2>
        <p>{declined.message}</p>
        <p className="muted small">Nothing was charged.</p>
      </div>
    );
  }
  if (declined) {
    return (
      <div className="result result-declined" role="alert">
        <XCircle size={44} aria-hidden="true" />
        <h2>Payment declined</h2>
        <p>{declined.message}</p>
        <p className="muted small">Nothing was charged. You can try again with another card.</p>
        <button type="button" className="btn btn-primary" onClick={() => pay.reset()}>
          Try another card
        </button>
      </div>
    );
  }

  const chosenMinor = amount ? null : parseMajor(chosen, currency);
  const buttonAmount = amount ?? (chosenMinor ? { amount: chosenMinor, currency } : null);
  const [month, year] = expiry.split('/').map((part) => part.trim());
  const expMonth = Number(month);
  const expYear = Number(year?.length === 2 ? `20${year}` : year);
  // What the browser can tell before asking the server; shown from the first attempt on, as the person types.
  const problems: Record<string, string> = {};
  if (!month || !year || !(expMonth >= 1 && expMonth <= 12) || !Number.isInteger(expYear))
    problems.expiry = 'Use MM / YY, like 12 / 30';
  if (!amount && (chosenMinor === null || chosenMinor <= 0)) problems.amount = `Enter an amount in ${currency}`;

  const server = isApiError(pay.error, 422) ? pay.error.fieldErrors() : {};
  const errors: Record<string, string | undefined> = {
    ...server,
    expiry: server['card.exp_month'] ?? server['card.exp_year'],
    ...(tried ? problems : {}),
  };
  const general =
    pay.error && !isApiError(pay.error, 422)
      ? pay.error.message
      : isApiError(pay.error, 422) && Object.keys(server).length === 0
        ? pay.error.message
        : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    pay.mutate({
      ...(payerKnown ? {} : { name: name.trim(), email: email.trim() }),
      ...(phone.trim() && !payerKnown ? { phone: phone.trim() } : {}),
      ...(amount ? {} : { amount: chosenMinor }),
      card: { number: card.replace(/\D/g, ''), exp_month: expMonth, exp_year: expYear, cvc: cvc.trim() },
    });
  };

  return (
    <form className="pay-form" onSubmit={submit} noValidate>
      {general && <Notice tone="danger">{general}</Notice>}
      {!amount && (
        <InputField
          label={`Amount (${currency})`}
          name="amount"
          inputMode="decimal"
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
          error={errors.amount}
          hint={rangeHint(minAmount, maxAmount)}
        />
      )}
      {!payerKnown && (
        <fieldset className="fieldset">
          <legend>Your details</legend>
          <InputField
            label="Name"
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.name}
          />
          <InputField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.email}
            hint="So the seller can contact you about this payment. No email is sent: your confirmation shows on this page."
          />
          <InputField
            label="Phone"
            name="phone"
            type="tel"
            autoComplete="tel"
            optional
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            error={errors.phone}
          />
        </fieldset>
      )}
      <fieldset className="fieldset">
        <legend>Card</legend>
        <div className="test-cards" aria-label="Test mode">
          <strong>Test mode: no real card is charged.</strong>
          <span>
            <span className="mono">4242 4242 4242 4242</span> succeeds ·{' '}
            <span className="mono">4000 0000 0000 0002</span> is declined. Any future expiry, any 3-digit CVC.
          </span>
        </div>
        <InputField
          label="Card number"
          name="cardnumber"
          inputMode="numeric"
          autoComplete="cc-number"
          placeholder="1234 1234 1234 1234"
          value={card}
          onChange={(e) => setCard(groupCardNumber(e.target.value))}
          error={errors['card.number']}
        />
        <div className="field-pair">
          <InputField
            label="Expiry (MM / YY)"
            name="exp"
            inputMode="numeric"
            autoComplete="cc-exp"
            placeholder="MM / YY"
            value={expiry}
            onChange={(e) => setExpiry(formatExpiry(e.target.value, expiry))}
            error={errors.expiry}
          />
          <InputField
            label="CVC"
            name="cvc"
            inputMode="numeric"
            autoComplete="cc-csc"
            placeholder="123"
            maxLength={4}
            value={cvc}
            onChange={(e) => setCvc(e.target.value.replace(/\D/g, ''))}
            error={errors['card.cvc']}
          />
        </div>
      </fieldset>
      <button type="submit" className="btn btn-primary btn-block btn-large" disabled={pay.isPending}>
        <CreditCard size={18} aria-hidden="true" />
        {pay.isPending ? 'Processing…' : buttonAmount ? `Pay ${formatMoney(buttonAmount)}` : 'Pay'}
      </button>
    </form>
  );
}

function rangeHint(min?: Money | null, max?: Money | null): string | undefined {
  if (min && max) return `Between ${formatMoney(min)} and ${formatMoney(max)}`;
  if (min) return `At least ${formatMoney(min)}`;
  if (max) return `At most ${formatMoney(max)}`;
  return undefined;
}

function groupCardNumber(text: string): string {
  return text
    .replace(/\D/g, '')
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** "1230" → "12 / 30", and backspacing over the slash works. */
function formatExpiry(text: string, previous: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 4);
  if (text.length < previous.length && previous.endsWith(' / ') && digits.length === 2) return digits.slice(0, 1);
  if (digits.length >= 3) return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
  if (digits.length === 2 && text.length > previous.length) return `${digits} / `;
  return digits;
}
