import { isApiError } from '../../api/client';
import { useDeleteCustomer } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { plural } from '../../lib/format';

/** Asks first; a customer with payment history is refused by the server (409), and the dialog says why. */
export function DeleteCustomerDialog({
  customer,
  onClose,
  onDeleted,
}: {
  customer: Customer;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteCustomer();
  const toast = useToast();
  const error = remove.error;
  const refused = isApiError(error, 409) ? error.problem : null;
  const counts =
    refused && refused.code === 'has_transactions'
      ? [
          typeof refused.transactions_count === 'number' &&
            refused.transactions_count > 0 &&
            plural(refused.transactions_count, 'transaction'),
          typeof refused.invoices_count === 'number' &&
            refused.invoices_count > 0 &&
            plural(refused.invoices_count, 'invoice'),
        ].filter(Boolean)
      : [];

  return (
    <Dialog
      title={refused ? 'This customer cannot be deleted' : `Delete ${customer.name}?`}
      size="small"
      onClose={onClose}
      initialFocus={refused ? undefined : '[data-autofocus]'}
      footer={
        refused ? (
          <button type="button" className="btn btn-primary" onClick={onClose}>
            OK
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(customer.id, {
                  onSuccess: () => {
                    toast(`${customer.name} was deleted`);
                    onDeleted();
                  },
                })
              }
            >
              {remove.isPending ? 'Deleting…' : 'Delete customer'}
            </button>
          </>
        )
      }
    >
      {refused ? (
        <Notice tone="warning" title={counts.length ? `${customer.name} has ${counts.join(' and ')}` : undefined}>
          <p>{refused.detail}</p>
          <p>Customers with payment history are kept so the records stay complete.</p>
        </Notice>
      ) : (
        <>
          <p>
            <strong>{customer.name}</strong> ({customer.email}) will be removed from this brand. This cannot be undone.
          </p>
          {error && <Notice tone="danger">{error.message}</Notice>}
        </>
      )}
    </Dialog>
  );
}
