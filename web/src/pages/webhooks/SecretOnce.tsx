import type { ReactNode } from 'react';
import { CopyButton } from '../../components/Bits';
import { Notice } from '../../components/States';

/** A signing secret in the one answer that carries it, with a copy button and the warning that it will not come back. */
export function SecretOnce({ secret, children }: { secret: string; children?: ReactNode }) {
  return (
    <div className="secret-once">
      <p className="secret-label">Signing secret</p>
      <div className="secret-box">
        <code className="mono" data-testid="webhook-secret">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy secret" />
      </div>
      <Notice tone="warning" title="Copy it now: you won't see it again">
        <p>
          Paydesk keeps it sealed and never shows it again. Put it in your receiver&apos;s settings: it checks the
          webhook-signature header of each delivery with it. Lost it? Rotate the secret for a new one.
        </p>
        {children}
      </Notice>
    </div>
  );
}
