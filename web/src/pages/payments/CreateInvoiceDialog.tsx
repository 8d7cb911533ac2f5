import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useBrand } from '../../api/brands';
import { useCreateInvoice, type InvoiceInput } from '../../api/payments';
import type { Invoice } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { InputField, TextareaField } from '../../components/Field';
import { Notice } from '../../components/States';
import { formatMoney } from '../../lib/money';
import { CurrencyField } from './CurrencyField';
import { CustomerPicker } from './CustomerPicker';
import { checkLines, emptyLine, LineItemsFieldset, type Line } from './LineItems';

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

  const { items, total, problems } = checkLines(lines, code);

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
    const input: InvoiceInput = { currency: code, line_items: items };
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
        <LineItemsFieldset lines={lines} onChange={setLines} currency={code} errors={errors} />
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
