import { Plus, Trash2 } from 'lucide-react';
import { InputField } from '../../components/Field';
import { parseMajor } from '../../lib/money';
import { fieldSentence } from '../../lib/field-message';

/* Line items as typed (invoices, orders): description, quantity and unit price in major units. */

export interface Line {
  key: number;
  description: string;
  quantity: string;
  unit: string;
}

let nextKey = 1;
export const emptyLine = (): Line => ({ key: nextKey++, description: '', quantity: '1', unit: '' });

export interface CheckedLines {
  /** What the API takes, in minor units; only meaningful when `problems` is empty. */
  items: { description: string; quantity: number; unit_amount: number }[];
  /** The sum of the lines that parse, for the running total. */
  total: number;
  /** What the browser can already tell is wrong, keyed like the server's field errors. */
  problems: Record<string, string>;
}

export function checkLines(lines: Line[], currency: string): CheckedLines {
  const problems: Record<string, string> = {};
  let total = 0;
  const items = lines.map((line, i) => {
    const quantity = Number(line.quantity);
    const unit = parseMajor(line.unit, currency);
    const wholeQuantity = Number.isInteger(quantity) && quantity >= 1;
    if (!line.description.trim()) problems[`line_items.${i}.description`] = 'Describe the item';
    if (!wholeQuantity) problems[`line_items.${i}.quantity`] = 'A whole number, 1 or more';
    if (unit === null) problems[`line_items.${i}.unit_amount`] = `An amount in ${currency}`;
    if (Number.isInteger(quantity) && unit !== null) total += quantity * unit;
    return { description: line.description.trim(), quantity, unit_amount: unit ?? 0 };
  });
  return { items, total, problems };
}

export function LineItemsFieldset({
  lines,
  onChange,
  currency,
  errors,
}: {
  lines: Line[];
  onChange: (lines: Line[]) => void;
  currency: string;
  errors: Record<string, string>;
}) {
  const update = (key: number, patch: Partial<Line>) =>
    onChange(lines.map((line) => (line.key === key ? { ...line, ...patch } : line)));
  return (
    <fieldset className="fieldset">
      <legend>Line items</legend>
      {errors.line_items && <p className="field-error">{fieldSentence('Line items', errors.line_items)}</p>}
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
            label={`Unit price (${currency})`}
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
            onClick={() => onChange(lines.filter((l) => l.key !== line.key))}
          >
            <Trash2 size={16} aria-hidden="true" />
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange([...lines, emptyLine()])}>
        <Plus size={15} aria-hidden="true" /> Add line
      </button>
    </fieldset>
  );
}
