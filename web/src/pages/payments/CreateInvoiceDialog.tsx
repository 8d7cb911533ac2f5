import { useState, type FormEvent } from 'react';
import { Plus, Trash2 } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useBrand, useCreateInvoice, type InvoiceInput } from '../../api/payments';
import type { Invoice } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { InputField, TextareaField } from '../../components/Field';
import { Notice } from '../../components/States';
import { formatMoney, parseMajor } from '../../lib/money';
import { CurrencyField } from './CurrencyField';
import { CustomerPicker } from './CustomerPicker';

interface Line {
  key: number;
  description: string;
  quantity: string;
  unit: string;
}

let nextKey = 1;
const emptyLine = (): Line => ({ key: nextKey++, description: '', quantity: '1', unit: '' });

export function CreateInvoiceDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (invoice: Invoice) => void;
}) {
  const brand = useBrand();
  const create = useCreateInvoice();
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [currency, setCurrency] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([emptyLine()]);
  const [memo, setMemo] = useState('');
  const [due, setDue] = useState('');
  const [tried, setTried] = useState(false);
  const code = currency ?? brand.data?.base_currency ?? 'BDT';

  const parsed = lines.map((line) => ({ qty: Number(line.quantity), unit: parseMajor(line.unit, code) }));
  const total = parsed.reduce((sum, p) => sum + (Number.isInteger(p.qty) && p.unit !== null ? p.qty * p.unit : 0), 0);
  const update = (key: number, patch: Partial<Line>) =>
    setLines((all) => all.map((line) => (line.key === key ? { ...line, ...patch } : line)));
  const problems: Record<string, string> = {};
  lines.forEach((line, i) => {
    if (!line.description.trim()) problems[`line_items.${i}.description`] = 'Describe the item';
    if (!Number.isInteger(parsed[i]!.qty) || parsed[i]!.qty < 1)
      problems[`line_items.${i}.quantity`] = 'A whole number, 1 or more';
    if (parsed[i]!.unit === null) problems[`line_items.${i}.unit_amount`] = `An amount in ${code}`;
  });

  const error = create.error;
  const errors: Record<string, string> = {
    ...(isApiError(error, 422) ? error.fieldErrors() : {}),
    ...(tried ? problems : {}),
  };
  const otherError =
    error && !isApiError(error, 422)
      ? error.message
      : isApiError(error, 422) && Object.keys(errors).length === 0
        ? error.message
        : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    const input: InvoiceInput = {
      currency: code,
      line_items: lines.map((line, i) => ({
        description: line.description.trim(),
        quantity: parsed[i]!.qty,
        unit_amount: parsed[i]!.unit!,
      })),
    };
    if (customer) input.customer_id = customer.id;
    if (memo.trim()) input.memo = memo.trim();
    if (due) input.due_date = due;
    create.mutate(input, { onSuccess: onCreated });
  };

  return (
    <Dialog
      title="New invoice"
      size="large"
      onClose={onClose}
      footer={
        <>
          <span className="dialog-total">Total {formatMoney({ amount: total, currency: code })}</span>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="invoice-form" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Saving…' : 'Save draft'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="invoice-form" onSubmit={submit} noValidate>
        <CustomerPicker value={customer} onChange={setCustomer} error={errors.customer_id} />
        <div className="field-pair">
          <CurrencyField value={code} onChange={setCurrency} error={errors.currency} />
          <InputField
            label="Due date"
            optional
            type="date"
            name="due_date"
            value={due}
            onChange={(e) => setDue(e.target.value)}
            error={errors.due_date}
          />
        </div>
        <fieldset className="fieldset">
          <legend>Line items</legend>
          {errors.line_items && <p className="field-error">{errors.line_items}</p>}
          {lines.map((line, i) => (
            <div className={i === 0 ? 'line-item' : 'line-item line-item-more'} key={line.key}>
              <InputField
                label="Description"
                value={line.description}
                onChange={(e) => update(line.key, { description: e.target.value })}
                error={errors[`line_items.${i}.description`]}
              />
              <InputField
                label="Qty"
                inputMode="numeric"
                className="input input-short"
                value={line.quantity}
                onChange={(e) => update(line.key, { quantity: e.target.value })}
                error={errors[`line_items.${i}.quantity`]}
              />
              <InputField
                label={`Unit price (${code})`}
                inputMode="decimal"
                value={line.unit}
                onChange={(e) => update(line.key, { unit: e.target.value })}
                error={errors[`line_items.${i}.unit_amount`]}
              />
              <button
                type="button"
                className="icon-button line-remove"
                aria-label={`Remove line ${i + 1}`}
                disabled={lines.length === 1}
                onClick={() => setLines((all) => all.filter((l) => l.key !== line.key))}
              >
                <Trash2 size={16} aria-hidden="true" />
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => setLines((all) => [...all, emptyLine()])}
          >
            <Plus size={15} aria-hidden="true" /> Add line
          </button>
        </fieldset>
        <TextareaField
          label="Memo"
          optional
          name="memo"
          value={memo}
          onChange={(e) => setMemo(e.target.value)}
          error={errors.memo}
          hint="Shown to the client on the invoice."
        />
      </form>
    </Dialog>
  );
}
