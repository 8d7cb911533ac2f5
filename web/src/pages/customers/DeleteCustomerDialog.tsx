import { isApiError } from '../../api/client';
import { useDeleteCustomer } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { deleteBlockedReason, referencesOfProblem } from './delete-guard';

/**
 * Asks first. Delete is offered only when nothing known points at the customer; should the server still
 * refuse (409: an invoice or order the page did not know of), the dialog says why in words, and offers the
 * erase when `onErase` is given.
 */
export function DeleteCustomerDialog({
  customer,
  onClose,
  onDeleted,
  onErase,
}: {
  customer: Customer;
  onClose: () => void;
  onDeleted: () => void;
  onErase?: (() => void) | undefined;
}) {
  const remove = useDeleteCustomer();
  const toast = useToast();
  const error = remove.error;
  const refused = isApiError(error, 409) ? error.problem : null;
  const reason =
    refused?.code === 'has_transactions'
      ? deleteBlockedReason(referencesOfProblem(refused as Record<string, unknown>), Boolean(onErase))
      : null;

  return (
    <Dialog
      title={refused ? 'This customer cannot be deleted' : `Delete ${customer.name}?`}
      size="small"
      onClose={onClose}
      initialFocus={refused ? undefined : '[data-autofocus]'}
      footer={
        refused ? (
          <>
            {onErase && (
              <button type="button" className="btn btn-secondary" onClick={onErase}>
                Erase personal data…
              </button>
            )}
            <button type="button" className="btn btn-primary" onClick={onClose}>
              OK
            </button>
          </>
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
        <Notice tone="warning" title={`${customer.name} is kept`}>
          <p>{reason ?? 'Another record still points at this customer, so they cannot be deleted.'}</p>
          <p>Their payment history stays complete.</p>
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
