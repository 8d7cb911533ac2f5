import { useState } from 'react';
import { Plus, UserMinus } from 'lucide-react';
import { activeMembership, useSession } from '../../api/session';
import { useRemoveStaff, useStaff } from '../../api/staff';
import type { Role, StaffMember } from '../../api/types';
import { PageHeader } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState, Notice, SkeletonRows } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { TruncatedText } from '../../components/TruncatedText';
import { formatDate, initials } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { ROLE_LABELS } from '../../lib/permissions';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { ResetPasswordButton } from './ResetPasswordButton';
import { InviteStaffDialog, PendingInvitations } from './StaffInvitations';
import { ROLE_HELP } from './staff-roles';

export default function StaffPage() {
  useDocumentTitle('Staff');
  const session = useSession().data;
  const me = activeMembership(session);
  const staff = useStaff();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<StaffMember | null>(null);
  // A role picked in a row's select, shown there until confirmed or cancelled (ChangeRoleDialog).
  const [proposed, setProposed] = useState<{ member: StaffMember; role: Role } | null>(null);
  const roles = (Object.keys(ROLE_LABELS) as Role[]).filter((role) => role !== 'owner' || me?.role === 'owner');

  return (
    <>
      <PageHeader
        title="Staff"
        subtitle="The people who work in this brand's dashboard, and what each may do."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            <Plus size={18} aria-hidden="true" /> Invite staff member
          </button>
        }
      />
      <section className="card table-card stack-when-narrow" aria-label="Staff members">
        {staff.isError ? (
          <ErrorState error={staff.error} retry={() => void staff.refetch()} title="Staff could not be loaded" />
        ) : !staff.isPending && staff.data.data.length === 0 ? (
          <EmptyState title="No staff yet" />
        ) : (
          <div className="table-scroll">
            <table className="table table-stack staff-table">
              <thead>
                <tr>
                  <th scope="col" className="cell-fill">
                    Name
                  </th>
                  <th scope="col" className="cell-fill">
                    Email
                  </th>
                  <th scope="col">Role</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {staff.isPending ? (
                  <SkeletonRows columns={5} rows={3} />
                ) : (
                  staff.data.data.map((member) => {
                    const isMe = member.id === session?.staff.id;
                    const locked = isMe || (member.role === 'owner' && me?.role !== 'owner');
                    return (
                      <tr key={member.id}>
                        <td className="cell-fill stack-full">
                          <span className="person">
                            <span className="avatar avatar-small" aria-hidden="true">
                              {initials(member.name || member.email)}
                            </span>
                            <span className="person-text staff-name">
                              <TruncatedText className="cell-title-plain" text={member.name} />
                              {isMe && <span className="muted">(you)</span>}
                            </span>
                          </span>
                        </td>
                        <td className="cell-fill stack-full">
                          <TruncatedText text={member.email} />
                        </td>
                        <td data-label="Role">
                          <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                            Role of {member.name}
                          </label>
                          <select
                            id={`role-${member.id}`}
                            className="input input-compact"
                            value={proposed?.member.id === member.id ? proposed.role : member.role}
                            disabled={locked}
                            onChange={(e) => setProposed({ member, role: e.target.value as Role })}
                          >
                            {(locked ? (Object.keys(ROLE_LABELS) as Role[]) : roles).map((role) => (
                              <option key={role} value={role}>
                                {ROLE_LABELS[role]}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td className="nowrap" data-label="Added">
                          {formatDate(member.added_at)}
                        </td>
                        <td className="actions">
                          {!locked && <ResetPasswordButton member={member} />}
                          {!locked && (
                            <button
                              type="button"
                              className="btn btn-ghost btn-small btn-danger-text"
                              onClick={() => setRemoving(member)}
                              aria-label={`Remove ${member.name}`}
                            >
                              <UserMinus size={15} aria-hidden="true" /> Remove
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <PendingInvitations />
      <section className="card role-help" aria-label="What each role may do">
        <h2>Roles</h2>
        <dl>
          {(Object.keys(ROLE_HELP) as Role[]).map((role) => (
            <div key={role}>
              <dt>{ROLE_LABELS[role]}</dt>
              <dd>{ROLE_HELP[role]}</dd>
            </div>
          ))}
        </dl>
      </section>
      {adding && <InviteStaffDialog roles={roles} onClose={() => setAdding(false)} />}
      {removing && <RemoveStaffDialog member={removing} onClose={() => setRemoving(null)} />}
      {proposed && <ChangeRoleDialog member={proposed.member} role={proposed.role} onClose={() => setProposed(null)} />}
    </>
  );
}

function RemoveStaffDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const remove = useRemoveStaff();
  const toast = useToast();
  return (
    <Dialog
      title={`Remove ${member.name}?`}
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(member.id, {
                onSuccess: () => {
                  toast(`${member.name} was removed`);
                  onClose();
                },
              })
            }
          >
            Remove
          </button>
        </>
      }
    >
      <p>
        {member.name} ({member.email}) loses access to this brand at once. An account left in no brand is deleted.
      </p>
      {remove.isError && <Notice tone="danger">{remove.error.message}</Notice>}
    </Dialog>
  );
}
