import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

/** A label, the control, and a hint or the server's reason for refusing the value. */
export function Field({ label, error, hint, optional, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': error || hint ? messageId : undefined })}
      {error ? (
        <p className="field-error" id={messageId}>
          {error}
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
