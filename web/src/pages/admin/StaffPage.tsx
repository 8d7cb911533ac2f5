import { useState, type FormEvent } from 'react';
import { CheckCircle2, Plus, UserMinus, X } from 'lucide-react';
import { isApiError } from '../../api/client';
import { activeMembership, useSession } from '../../api/session';
import {
  useChangeStaffRole,
  useInviteStaff,
  useRemoveStaff,
  useRevokeStaffInvitation,
  useStaff,
  useStaffInvitations,
} from '../../api/staff';
import type { Role, StaffInvitationCreated, StaffMember } from '../../api/types';
import { CopyButton, PageHeader, StatusBadge } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { InputField, SelectField } from '../../components/Field';
import { EmptyState, ErrorState, Notice, SkeletonRows } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { absoluteUrl, formatDate, initials } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { ROLE_LABELS } from '../../lib/permissions';

const ROLE_HELP: Record<Role, string> = {
  owner: 'Everything, including other owners',
  admin: 'Everything but owners',
  manager: 'Customers and payments',
  support: 'Customers, contact details masked',
  viewer: 'Reads customers, masked',
  developer: 'API keys only, no customer data',
};

export default function StaffPage() {
  useDocumentTitle('Staff');
  const session = useSession().data;
  const me = activeMembership(session);
  const staff = useStaff();
  const changeRole = useChangeStaffRole();
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<StaffMember | null>(null);
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
      {changeRole.isError && <Notice tone="danger">{changeRole.error.message}</Notice>}
      <section className="card table-card" aria-label="Staff members">
        {staff.isError ? (
          <ErrorState error={staff.error} retry={() => void staff.refetch()} title="Staff could not be loaded" />
        ) : !staff.isPending && staff.data.data.length === 0 ? (
          <EmptyState title="No staff yet" />
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
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
                        <td>
                          <span className="person">
                            <span className="avatar avatar-small" aria-hidden="true">
                              {initials(member.name || member.email)}
                            </span>
                            <span className="cell-title-plain">
                              {member.name}
                              {isMe && <span className="muted"> (you)</span>}
                            </span>
                          </span>
                        </td>
                        <td>{member.email}</td>
                        <td>
                          <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                            Role of {member.name}
                          </label>
                          <select
                            id={`role-${member.id}`}
                            className="input input-compact"
                            value={member.role}
                            disabled={locked || changeRole.isPending}
                            onChange={(e) =>
                              changeRole.mutate(
                                { id: member.id, role: e.target.value as Role },
                                { onSuccess: (m) => toast(`${m.name} is now ${ROLE_LABELS[m.role].toLowerCase()}`) },
                              )
                            }
                          >
                            {(locked ? (Object.keys(ROLE_LABELS) as Role[]) : roles).map((role) => (
                              <option key={role} value={role}>
                                {ROLE_LABELS[role]}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>{formatDate(member.added_at)}</td>
                        <td className="actions">
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
    </>
  );
}

/** Invited people who have not joined yet; revoking stops their link at once. */
function PendingInvitations() {
  const invitations = useStaffInvitations();
  const revoke = useRevokeStaffInvitation();
  const toast = useToast();
  if (invitations.isPending || (!invitations.isError && invitations.data.data.length === 0)) return null;
  return (
    <section className="card table-card" aria-labelledby="invitations-title">
      <div className="card-header">
        <h2 id="invitations-title">Pending invitations</h2>
      </div>
      {revoke.isError && <Notice tone="danger">{revoke.error.message}</Notice>}
      {invitations.isError ? (
        <ErrorState
          error={invitations.error}
          retry={() => void invitations.refetch()}
          title="Invitations could not be loaded"
        />
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.data.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{invitation.email}</td>
                  <td>{ROLE_LABELS[invitation.role]}</td>
                  <td>
                    <StatusBadge
                      status={invitation.status}
                      label={invitation.status === 'expired' ? 'Expired' : 'Waiting'}
                    />
                  </td>
                  <td>{formatDate(invitation.expires_at)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn-ghost btn-small btn-danger-text"
                      disabled={revoke.isPending}
                      onClick={() =>
                        revoke.mutate(invitation.id, {
                          onSuccess: () => toast(`The invitation of ${invitation.email} was revoked`),
                        })
                      }
                      aria-label={`Revoke the invitation of ${invitation.email}`}
                    >
                      <X size={15} aria-hidden="true" /> Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InviteStaffDialog({ roles, onClose }: { roles: Role[]; onClose: () => void }) {
  const invite = useInviteStaff();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [created, setCreated] = useState<StaffInvitationCreated | null>(null);
  const error = invite.error;
  const errors = isApiError(error, 422) ? error.fieldErrors() : {};
  if (isApiError(error, 409)) errors.email = 'This person is already a member of this brand.';
  const otherError = error && Object.keys(errors).length === 0 ? error.message : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email, role }, { onSuccess: setCreated });
  };

  if (created) {
    const url = absoluteUrl(created.accept_url);
    return (
      <Dialog
        title="Invitation created"
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <div className="success-panel">
          <CheckCircle2 size={28} aria-hidden="true" className="success-icon" />
          <p>
            Send this link to <strong>{created.email}</strong>. With it they choose their own password (or sign in with
            their Paydesk account) and join as {ROLE_LABELS[created.role].toLowerCase()}.
          </p>
          <p className="share-url mono" data-testid="invitation-url">
            {url}
          </p>
          <div className="button-row">
            <CopyButton text={url} label="Copy link" />
          </div>
          <Notice tone="warning">
            The link is shown only this once and works for 7 days. Paydesk does not email it: pass it on yourself. Lost
            it? Invite the same email again for a new link.
          </Notice>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Invite staff member"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="staff-form" className="btn btn-primary" disabled={invite.isPending}>
            {invite.isPending ? 'Inviting…' : 'Invite'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="staff-form" onSubmit={submit} noValidate>
        <InputField
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          autoComplete="off"
          hint="They get a link to join; until they accept, they are not a member."
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          error={errors.role}
          hint={ROLE_HELP[role]}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
      </form>
    </Dialog>
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
