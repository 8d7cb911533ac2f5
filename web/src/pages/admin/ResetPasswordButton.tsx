import { useState } from 'react';
import { createPortal } from 'react-dom';
import { KeyRound } from 'lucide-react';
import { useStartPasswordReset } from '../../api/staff';
import type { StaffMember } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { OneTimeLinkDialog } from './OneTimeLinkDialog';

/**
 * A member's "Reset password": a one-time link with which they set a new password (and every session
 * of theirs ends). Paydesk sends no email, so the link is shown once here for the owner to pass on.
 */
export function ResetPasswordButton({ member }: { member: StaffMember }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => setOpen(true)}
        aria-label={`Reset the password of ${member.name}`}
      >
        <KeyRound size={15} aria-hidden="true" /> Reset password
      </button>
      {/* Out of the table cell, whose layout (nowrap, stacking on phones) is not a dialog's. */}
      {open && createPortal(<ResetPasswordDialog member={member} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

function ResetPasswordDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const start = useStartPasswordReset();
  const started = start.data;

  if (started) {
    return (
      <OneTimeLinkDialog
        title="Password reset link"
        path={started.reset_url}
        testId="reset-url"
        onClose={onClose}
        warning={
          <>
            The link is shown only this once, works once, and expires in 24 hours. Paydesk does not email it: pass it on
            yourself, over a channel you trust. Their current password keeps working until they use it.
          </>
        }
      >
        Send this link to <strong>{member.name}</strong> ({member.email}). With it they choose a new password; using it
        signs them out everywhere.
      </OneTimeLinkDialog>
    );
  }

  return (
    <Dialog
      title={`Reset the password of ${member.name}?`}
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={start.isPending}
            onClick={() => start.mutate(member.id)}
          >
            {start.isPending ? 'Creating…' : 'Create reset link'}
          </button>
        </>
      }
    >
      <p>
        You get a one-time link for {member.name} ({member.email}) to choose a new password. A newer link replaces any
        earlier one.
      </p>
      {start.isError && <Notice tone="danger">{start.error.message}</Notice>}
    </Dialog>
  );
}
