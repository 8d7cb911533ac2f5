import { useChangeStaffRole } from '../../api/staff';
import type { Role, StaffMember } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { ROLE_LABELS } from '../../lib/permissions';
import { ROLE_POWERS } from './staff-roles';

/**
 * The role select only proposes a change: nothing is saved until it is confirmed here, so a slip of the
 * keyboard on the select (an arrow key changes it at once) promotes nobody. Cancel and Escape leave the role.
 */
export function ChangeRoleDialog({ member, role, onClose }: { member: StaffMember; role: Role; onClose: () => void }) {
  const change = useChangeStaffRole();
  const toast = useToast();
  const name = member.name || member.email;
  const label = ROLE_LABELS[role];
  const aLabel = `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label}`;
  return (
    <Dialog
      title={`Make ${name} ${aLabel}?`}
      size="small"
      onClose={onClose}
      initialFocus=".dialog-footer .btn-secondary"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={change.isPending}
            onClick={() =>
              change.mutate(
                { id: member.id, role },
                {
                  onSuccess: (changed) => {
                    toast(`${changed.name} is now ${ROLE_LABELS[changed.role].toLowerCase()}`);
                    onClose();
                  },
                },
              )
            }
          >
            {change.isPending ? 'Changing…' : `Make ${label.toLowerCase()}`}
          </button>
        </>
      }
    >
      <p className="break-anywhere">
        {name} has the {ROLE_LABELS[member.role]} role today. As {aLabel}, they will be able to {ROLE_POWERS[role]}.
      </p>
      {change.isError && <Notice tone="danger">{change.error.message}</Notice>}
    </Dialog>
  );
}
