import { Link } from 'react-router';
import { ArrowRight } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useCreateCustomer } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { CustomerForm } from './CustomerForm';

export function AddCustomerDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (customer: Customer) => void;
}) {
  const create = useCreateCustomer();
  const toast = useToast();
  const error = create.error;
  const emailTaken = isApiError(error, 409) && error.code === 'email_taken';
  const existingId = emailTaken && typeof error.problem.customer_id === 'string' ? error.problem.customer_id : null;
  const fieldErrors = isApiError(error, 422) ? error.fieldErrors() : {};
  const otherError = error && !emailTaken && Object.keys(fieldErrors).length === 0 ? error.message : null;

  return (
    <Dialog
      title="Add customer"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="add-customer" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add customer'}
          </button>
        </>
      }
    >
      {emailTaken && (
        <Notice tone="warning" title="A customer with this email already exists">
          <p>Emails are unique within a brand, whatever their case.</p>
          {existingId && (
            <Link to={`/customers/${existingId}`} className="btn btn-secondary btn-small" onClick={onClose}>
              Open that customer's profile <ArrowRight size={15} aria-hidden="true" />
            </Link>
          )}
        </Notice>
      )}
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <CustomerForm
        id="add-customer"
        errors={emailTaken ? { email: 'Already used by another customer' } : fieldErrors}
        onSubmit={(input) =>
          create.mutate(input, {
            onSuccess: (customer) => {
              toast(`${customer.name} was added`);
              onCreated(customer);
            },
          })
        }
      />
    </Dialog>
  );
}
