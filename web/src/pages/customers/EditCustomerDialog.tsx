import { isApiError } from '../../api/client';
import { useUpdateCustomer } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { CustomerForm } from './CustomerForm';

export function EditCustomerDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const update = useUpdateCustomer(customer.id);
  const toast = useToast();
  const error = update.error;
  const fieldErrors = isApiError(error, 422) ? error.fieldErrors() : {};
  if (isApiError(error, 409) && error.code === 'email_taken')
    fieldErrors.email = 'Another customer already has this email';
  const otherError = error && Object.keys(fieldErrors).length === 0 ? error.message : null;

  return (
    <Dialog
      title="Edit customer"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="edit-customer" className="btn btn-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save changes'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <CustomerForm
        id="edit-customer"
        initial={{ name: customer.name, email: customer.email, phone: customer.phone }}
        errors={fieldErrors}
        onSubmit={(input) => {
          // Only what changed: an unchanged email is not re-sent (and a masked one never could be).
          const patch: Partial<typeof input> = {};
          if (input.name !== customer.name) patch.name = input.name;
          if (input.email !== customer.email) patch.email = input.email;
          if (input.phone !== customer.phone) patch.phone = input.phone;
          if (Object.keys(patch).length === 0) return onClose();
          update.mutate(patch, {
            onSuccess: () => {
              toast('Customer updated');
              onClose();
            },
          });
        }}
      />
    </Dialog>
  );
}
