import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import {
  CircleUserRound,
  CreditCard,
  FileText,
  GitMerge,
  Link2,
  LogOut,
  Menu,
  Settings,
  ShoppingBag,
  UserCog,
  Users,
  Webhook,
  X,
} from 'lucide-react';
import type { Session } from '../api/types';
import { activeMembership, useSignOut } from '../api/session';
import { PageLoading } from './States';
import { useWebhookEndpoints } from '../api/webhooks';
import type { Permission } from '../api/types';
import { can, ROLE_LABELS } from '../lib/permissions';
import { initials } from '../lib/format';
import { BrandSwitcher } from './BrandSwitcher';
import { Logo } from './Logo';

interface NavItem {
  to: string;
  label: string;
  icon: typeof Users;
  when?: Permission;
}

const SECTIONS: { title: string; items: NavItem[] }[] = [
  {
    title: 'People',
    items: [
      { to: '/customers', label: 'Customers', icon: Users, when: 'customers.read' },
      { to: '/customers/duplicates', label: 'Duplicates', icon: GitMerge, when: 'customers.merge' },
      { to: '/users', label: 'Site users', icon: CircleUserRound, when: 'users.read' },
      { to: '/staff', label: 'Staff', icon: UserCog, when: 'staff.manage' },
    ],
  },
  {
    title: 'Payments',
    items: [
      { to: '/transactions', label: 'Transactions', icon: CreditCard, when: 'payments.read' },
      { to: '/orders', label: 'Orders', icon: ShoppingBag, when: 'orders.read' },
      { to: '/invoices', label: 'Invoices', icon: FileText, when: 'payments.read' },
      { to: '/payment-links', label: 'Payment links', icon: Link2, when: 'payments.read' },
    ],
  },
  {
    title: 'Brand',
    items: [
      { to: '/settings', label: 'Settings', icon: Settings },
      { to: '/webhooks', label: 'Webhooks', icon: Webhook, when: 'webhooks.manage' },
    ],
  },
];

/**
 * On every page of owners and admins: how many endpoints Paydesk turned off for failing (the
 * Webhooks page says which and what to do). Rendered only for roles that may see them.
 */
function FailingEndpointsBadge() {
  const endpoints = useWebhookEndpoints();
  const failing = (endpoints.data?.data ?? []).filter((e) => e.disabled_reason === 'failing').length;
  if (failing === 0) return null;
  const text = `${failing} endpoint${failing === 1 ? '' : 's'} turned off for failing`;
  return (
    <span className="nav-badge" role="status" aria-label={text} title={text}>
      {failing}
    </span>
  );
}

/**
 * Whether another item's page holds the location under this item's path (Customers holds
 * Duplicates, /customers/duplicates): that item is the current page, not both.
 */
function shadowed(to: string, pathname: string): boolean {
  return SECTIONS.flatMap((section) => section.items).some(
    (other) => other.to.startsWith(`${to}/`) && (pathname === other.to || pathname.startsWith(`${other.to}/`)),
  );
}

/** Sidebar and content; below 860px the sidebar becomes a drawer behind a menu button. */
export function AppLayout({ session }: { session: Session }) {
  const membership = activeMembership(session);
  const role = membership?.role;
  const signOut = useSignOut();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const menuButton = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLElement>(null);

  useEffect(() => setMenuOpen(false), [location.pathname]);
  useEffect(() => {
    if (!menuOpen) return;
    drawer.current?.querySelector<HTMLElement>('a, button, select')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const sections = SECTIONS.map((section) => ({
    ...section,
    items: section.items.filter((item) => !item.when || can(membership, item.when)),
  })).filter((section) => section.items.length > 0);

  return (
    <div className={`app${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="icon-button"
          aria-label={menuOpen ? 'Close menu' : 'Open menu'}
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? <X size={20} aria-hidden="true" /> : <Menu size={20} aria-hidden="true" />}
        </button>
        <Logo />
        <span className="topbar-brand">{membership?.name}</span>
      </header>
      {menuOpen && <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" />}
      <aside id="sidebar" ref={drawer} className="sidebar" aria-label="Main">
        <div className="sidebar-top">
          <Logo />
        </div>
        <BrandSwitcher session={session} />
        <nav className="nav">
          {sections.map((section) => (
            <div className="nav-section" key={section.title}>
              <h2 className="nav-title">{section.title}</h2>
              <ul>
                {section.items.map(({ to, label, icon: Icon }) => {
                  const content = (
                    <>
                      <Icon size={18} aria-hidden="true" />
                      <span>{label}</span>
                      {to === '/webhooks' && <FailingEndpointsBadge />}
                    </>
                  );
                  return (
                    <li key={to}>
                      {shadowed(to, location.pathname) ? (
                        <Link to={to} className="nav-link">
                          {content}
                        </Link>
                      ) : (
                        <NavLink to={to} className="nav-link">
                          {content}
                        </NavLink>
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </nav>
        <div className="sidebar-user">
          <span className="avatar avatar-small" aria-hidden="true">
            {initials(session.staff.name || session.staff.email)}
          </span>
          <div className="sidebar-user-text">
            <strong>{session.staff.name}</strong>
            <span>{role ? ROLE_LABELS[role] : 'No brand'}</span>
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Sign out"
            title="Sign out"
            onClick={() => signOut.mutate()}
          >
            <LogOut size={18} aria-hidden="true" />
          </button>
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        {/* A page whose code is still loading keeps the sidebar on screen. */}
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
