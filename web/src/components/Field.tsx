import {
  useEffect,
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { fieldSentence } from '../lib/field-message';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

/*
 * Focus after a failed submit. A form is marked when it is submitted and unmarked when anything in it is
 * edited, so errors that arrive for a submit (from the browser's checks at once, or from the server
 * later) move focus to the form's first invalid control, while errors that appear as someone types
 * never pull focus away from where they type.
 */
const submittedForms = new WeakSet<HTMLFormElement>();

function formOf(element: Element | null): HTMLFormElement | null {
  if (!element) return null;
  if ('form' in element && element.form instanceof HTMLFormElement) return element.form;
  return element.closest('form');
}

document.addEventListener(
  'submit',
  (event) => {
    if (event.target instanceof HTMLFormElement) submittedForms.add(event.target);
  },
  true,
);
document.addEventListener(
  'input',
  (event) => {
    const form = formOf(event.target instanceof Element ? event.target : null);
    if (form) submittedForms.delete(form);
  },
  true,
);

function focusFirstInvalid(controlId: string): void {
  const form = formOf(document.getElementById(controlId));
  if (!form || !submittedForms.has(form)) return;
  // Controls outside the <form> element that belong to it (form="…") come after it in the dialog.
  const first =
    form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    document.querySelector<HTMLElement>(`[form="${CSS.escape(form.id)}"][aria-invalid="true"]`);
  if (!first || first === document.activeElement) return;
  first.focus({ preventScroll: true });
  first.scrollIntoView({ block: 'center', inline: 'nearest' });
}

/** Moves focus to the form's first invalid control when this field's error comes back from a submit. */
function useFocusOnSubmitError(id: string, error: string | undefined): void {
  // Counts submits of this field's form, so an error the same as last time still moves focus.
  const [submits, setSubmits] = useState(0);
  useEffect(() => {
    const form = formOf(document.getElementById(id));
    if (!form) return;
    const count = () => setSubmits((n) => n + 1);
    form.addEventListener('submit', count);
    return () => form.removeEventListener('submit', count);
  }, [id]);
  useEffect(() => {
    if (error) focusFirstInvalid(id);
  }, [id, error, submits]);
}

/**
 * A label, the control, and a hint or the reason the value was refused, as a sentence that names the
 * field ("Name must not be empty."). After a failed submit, focus goes to the form's first invalid field.
 */
export function Field({ label, error, hint, optional, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  useFocusOnSubmitError(id, error);
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': error || hint ? messageId : undefined })}
      {error ? (
        <p className="field-error" id={messageId}>
          {fieldSentence(label, error)}
        </p>
      ) : hint ? (
        <p className="field-hint" id={messageId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type InputFieldProps = Omit<FieldProps, 'children'> & InputHTMLAttributes<HTMLInputElement>;

export function InputField({ label, error, hint, optional, ...input }: InputFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} optional={optional}>
      {(a11y) => <input className="input" {...input} {...a11y} />}
    </Field>
  );
}

type SelectFieldProps = Omit<FieldProps, 'children'> & SelectHTMLAttributes<HTMLSelectElement>;

export function SelectField({
  label,
  error,
  hint,
  optional,
  children,
  ...select
}: SelectFieldProps & { children: ReactNode }) {
  return (
    <Field label={label} error={error} hint={hint} optional={optional}>
      {(a11y) => (
        <select className="input" {...select} {...a11y}>
          {children}
        </select>
      )}
    </Field>
  );
}

type TextareaFieldProps = Omit<FieldProps, 'children'> & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextareaField({ label, error, hint, optional, ...textarea }: TextareaFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} optional={optional}>
      {(a11y) => <textarea className="input" rows={3} {...textarea} {...a11y} />}
    </Field>
  );
}
