import { useDeleteUser, userName } from '../../api/users';
import type { SiteUser } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';

/** Removes a site account (closed on the site); its customer and their payments stay. */
export function DeleteUserDialog({ user, onClose }: { user: SiteUser; onClose: () => void }) {
  const remove = useDeleteUser();
  const toast = useToast();
  const name = userName(user);
  return (
    <Dialog
      title={`Delete ${name}'s site account?`}
      size="small"
      onClose={onClose}
      initialFocus="[data-autofocus]"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(user.id, {
                onSuccess: () => {
                  toast(`${name}'s site account was deleted`);
                  onClose();
                },
              })
            }
          >
            {remove.isPending ? 'Deleting…' : 'Delete account'}
          </button>
        </>
      }
    >
      <p>
        The account <strong className="mono">{user.external_id}</strong> ({user.email}) is removed from Paydesk.
        {user.customer ? ' Its customer stays, with every payment, no longer linked to it.' : ''} Do this when the
        account was closed on your site. This cannot be undone.
      </p>
      {remove.isError && <Notice tone="danger">{remove.error.message}</Notice>}
    </Dialog>
  );
}
