import { useState, type FormEvent } from 'react';
import { X } from 'lucide-react';
import { isApiError } from '../../api/client';
import { useInviteStaff, useRevokeStaffInvitation, useStaffInvitations } from '../../api/staff';
import type { Role, StaffInvitationCreated } from '../../api/types';
import { StatusBadge } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { InputField, SelectField } from '../../components/Field';
import { ErrorState, Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { TruncatedText } from '../../components/TruncatedText';
import { formatDate } from '../../lib/format';
import { ROLE_LABELS } from '../../lib/permissions';
import { OneTimeLinkDialog } from './OneTimeLinkDialog';
import { ROLE_HELP } from './staff-roles';

/** Invited people who have not joined yet; revoking stops their link at once. */
export function PendingInvitations() {
  const invitations = useStaffInvitations();
  const revoke = useRevokeStaffInvitation();
  const toast = useToast();
  if (invitations.isPending || (!invitations.isError && invitations.data.data.length === 0)) return null;
  return (
    <section className="card table-card stack-when-narrow" aria-labelledby="invitations-title">
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
          <table className="table table-stack">
            <thead>
              <tr>
                <th scope="col" className="cell-fill">
                  Email
                </th>
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
                  <td className="cell-fill stack-full">
                    <TruncatedText text={invitation.email} />
                  </td>
                  <td data-label="Role">{ROLE_LABELS[invitation.role]}</td>
                  <td>
                    <StatusBadge
                      status={invitation.status}
                      label={invitation.status === 'expired' ? 'Expired' : 'Waiting'}
                    />
                  </td>
                  <td className="nowrap" data-label="Expires">
                    {formatDate(invitation.expires_at)}
                  </td>
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

export function InviteStaffDialog({ roles, onClose }: { roles: Role[]; onClose: () => void }) {
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
    return (
      <OneTimeLinkDialog
        title="Invitation created"
        path={created.accept_url}
        testId="invitation-url"
        onClose={onClose}
        warning={
          <>
            The link is shown only this once and works for 7 days. Paydesk does not email it: pass it on yourself. Lost
            it? Invite the same email again for a new link.
          </>
        }
      >
        Send this link to <strong>{created.email}</strong>. With it they choose their own password (or sign in with
        their Paydesk account) and join as {ROLE_LABELS[created.role].toLowerCase()}.
      </OneTimeLinkDialog>
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
