import { useState, type FormEvent } from 'react';
import type { CustomerInput } from '../../api/customers';
import { InputField } from '../../components/Field';

interface CustomerFormProps {
  id: string;
  initial?: CustomerInput;
  errors: Record<string, string>;
  onSubmit: (input: CustomerInput) => void;
}

/** Name, email, phone: the fields of Add Customer and of the profile's edit form. */
export function CustomerForm({ id, initial, errors, onSubmit }: CustomerFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [phone, setPhone] = useState(initial?.phone ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ name, email, phone: phone.trim() === '' ? null : phone });
  };

  return (
    <form id={id} onSubmit={submit} noValidate>
      <InputField
        label="Name"
        name="name"
        placeholder="Full name"
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <InputField
        label="Email"
        name="email"
        type="email"
        placeholder="name@example.com"
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <InputField
        label="Phone"
        name="phone"
        type="tel"
        optional
        placeholder="+880XXXXXXXXXX"
        autoComplete="off"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errors.phone}
        hint="Numbers without a country code are read in the brand's country."
      />
    </form>
  );
}
