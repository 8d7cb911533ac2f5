import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useBrand } from '../../api/brands';
import { useCreateOrder, type OrderInput } from '../../api/orders';
import { activeMembership, useSession } from '../../api/session';
import type { Order } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { InputField } from '../../components/Field';
import { Notice } from '../../components/States';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { CurrencyField } from '../payments/CurrencyField';
import { CustomerPicker } from '../payments/CustomerPicker';
import { checkLines, emptyLine, LineItemsFieldset, type Line } from '../payments/LineItems';

type BuyerMode = 'customer' | 'new';

/** An order for a customer picked from the list, or for a buyer typed in (matched or created by email). */
export function NewOrderDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (order: Order) => void }) {
  const membership = activeMembership(useSession().data);
  // Roles that do not read customers (developers) can only type the buyer in.
  const mayPick = can(membership, 'customers.read');
  const brand = useBrand();
  const create = useCreateOrder();
  const [mode, setMode] = useState<BuyerMode>(mayPick ? 'customer' : 'new');
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [currency, setCurrency] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([emptyLine()]);
  const [tried, setTried] = useState(false);
  const code = currency ?? brand.data?.base_currency ?? 'BDT';
  const { items, total, problems } = checkLines(lines, code);

  if (mode === 'customer' && !customer) problems.customer = 'Choose the customer, or enter a new buyer';
  if (mode === 'new') {
    if (!name.trim()) problems['customer_details.name'] = "Enter the buyer's name";
    if (!email.trim()) problems['customer_details.email'] = "Enter the buyer's email";
  }

  const error = create.error;
  const errors: Record<string, string> = {
    ...(isApiError(error, 422) ? error.fieldErrors() : {}),
    ...(tried ? problems : {}),
  };
  const otherError = error && (!isApiError(error, 422) || Object.keys(errors).length === 0) ? error.message : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    const input: OrderInput = { currency: code, line_items: items };
    if (mode === 'customer' && customer) input.customer = customer.id;
    else input.customer_details = { name: name.trim(), email: email.trim(), phone: phone.trim() || null };
    create.mutate(input, { onSuccess: onCreated });
  };

  return (
    <Dialog
      title="New order"
      size="large"
      onClose={onClose}
      footer={
        <>
          <span className="dialog-total">Total {formatMoney({ amount: total, currency: code })}</span>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="order-form" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create order'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="order-form" onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend>Buyer</legend>
          {mayPick && (
            <div className="radio-row">
              <label className="radio">
                <input type="radio" name="buyer" checked={mode === 'customer'} onChange={() => setMode('customer')} />
                Existing customer
              </label>
              <label className="radio">
                <input type="radio" name="buyer" checked={mode === 'new'} onChange={() => setMode('new')} />
                New buyer
              </label>
            </div>
          )}
          {mode === 'customer' ? (
            <CustomerPicker
              value={customer}
              onChange={setCustomer}
              error={errors.customer}
              optional={false}
              hint={null}
            />
          ) : (
            <>
              <div className="field-pair">
                <InputField
                  label="Name"
                  name="buyer_name"
                  placeholder="Full name"
                  autoComplete="off"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  error={errors['customer_details.name']}
                />
                <InputField
                  label="Email"
                  name="buyer_email"
                  type="email"
                  placeholder="name@example.com"
                  autoComplete="off"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  error={errors['customer_details.email'] ?? errors.customer_details}
                />
              </div>
              <InputField
                label="Phone"
                name="buyer_phone"
                type="tel"
                optional
                placeholder="+880XXXXXXXXXX"
                autoComplete="off"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                error={errors['customer_details.phone']}
                hint="A known email is matched to its customer; a new one becomes a customer unless Settings turn that off."
              />
            </>
          )}
        </fieldset>
        <CurrencyField value={code} onChange={setCurrency} error={errors.currency} />
        <LineItemsFieldset lines={lines} onChange={setLines} currency={code} errors={errors} />
      </form>
    </Dialog>
  );
}
