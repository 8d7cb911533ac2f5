import type { ReactNode } from 'react';
import { Lock } from 'lucide-react';
import { initials } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';

/** The frame of the client pages: the brand's name on top, nothing of the dashboard. */
export function PublicShell({
  brand,
  title,
  children,
}: {
  brand?: string | undefined;
  title: string;
  children: ReactNode;
}) {
  useDocumentTitle(brand ? `${title} · ${brand}` : title);
  return (
    <div className="public-page">
      <header className="public-header">
        {brand ? (
          <span className="public-brand">
            <span className="avatar avatar-small" aria-hidden="true">
              {initials(brand)}
            </span>
            {brand}
          </span>
        ) : (
          <span className="public-brand">&nbsp;</span>
        )}
      </header>
      <main className="public-main">{children}</main>
      <footer className="public-footer">
        <Lock size={13} aria-hidden="true" /> Payments processed by Paydesk
      </footer>
    </div>
  );
}
