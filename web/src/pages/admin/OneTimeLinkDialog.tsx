import type { ReactNode } from 'react';
import { CheckCircle2 } from 'lucide-react';
import { CopyButton } from '../../components/Bits';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { absoluteUrl } from '../../lib/format';

/**
 * A one-time link the server answered once (an invitation, a password reset), for the owner to pass on:
 * who it is for and what it does, the link with a copy button, and a warning of its limits.
 */
export function OneTimeLinkDialog({
  title,
  path,
  testId,
  children,
  warning,
  onClose,
}: {
  title: string;
  /** The link's path, as the server answered it ("/invite/…"). */
  path: string;
  testId: string;
  /** Who to send it to and what it lets them do. */
  children: ReactNode;
  warning: ReactNode;
  onClose: () => void;
}) {
  const url = absoluteUrl(path);
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="success-panel">
        <CheckCircle2 size={28} aria-hidden="true" className="success-icon" />
        <p>{children}</p>
        <p className="share-url mono" data-testid={testId}>
          {url}
        </p>
        <div className="button-row">
          <CopyButton text={url} label="Copy link" />
        </div>
        <Notice tone="warning">{warning}</Notice>
      </div>
    </Dialog>
  );
}
