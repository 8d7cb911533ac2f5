import { Suspense, type ReactNode } from 'react';
import { matchPath, Navigate, Route, Routes, useLocation } from 'react-router';
import { activeMembership, useSession } from './api/session';
import type { Permission } from './api/types';
import { AppLayout } from './components/AppLayout';
import { EmptyState, ErrorState, PageLoading } from './components/States';
import { lazyPage, type LazyPage } from './lib/lazy-page';
import { can } from './lib/permissions';
import { SignInPage } from './pages/SignInPage';

// Pages load on first visit: a client paying on /pay/{slug} never downloads the dashboard.
const CustomersPage = lazyPage(() => import('./pages/customers/CustomersPage'));

/** Pages anyone may open (pay pages, invitation links). */
const PUBLIC_PAGES: { path: string; page: LazyPage }[] = [
  { path: '/pay/:slug', page: lazyPage(() => import('./pages/public/PayLinkPage')) },
  { path: '/checkout/:token', page: lazyPage(() => import('./pages/public/CheckoutPage')) },
  { path: '/invoice/:token', page: lazyPage(() => import('./pages/public/InvoicePayPage')) },
  { path: '/invite/:token', page: lazyPage(() => import('./pages/public/InvitePage')) },
  { path: '/reset-password/:token', page: lazyPage(() => import('./pages/public/ResetPasswordPage')) },
];

/** Pages of the signed-in dashboard, with the permission each needs. The first match wins. */
const STAFF_PAGES: { path: string; when?: Permission; page: LazyPage }[] = [
  { path: '/customers', when: 'customers.read', page: CustomersPage },
  {
    path: '/customers/duplicates',
    when: 'customers.merge',
    page: lazyPage(() => import('./pages/customers/DuplicatesPage')),
  },
  {
    path: '/customers/:id',
    when: 'customers.read',
    page: lazyPage(() => import('./pages/customers/CustomerProfilePage')),
  },
  { path: '/users', when: 'users.read', page: lazyPage(() => import('./pages/users/UsersPage')) },
  { path: '/staff', when: 'staff.manage', page: lazyPage(() => import('./pages/admin/StaffPage')) },
  { path: '/transactions', when: 'payments.read', page: lazyPage(() => import('./pages/payments/TransactionsPage')) },
  { path: '/orders', when: 'orders.read', page: lazyPage(() => import('./pages/orders/OrdersPage')) },
  { path: '/orders/:id', when: 'orders.read', page: lazyPage(() => import('./pages/orders/OrderPage')) },
  { path: '/invoices', when: 'payments.read', page: lazyPage(() => import('./pages/payments/InvoicesPage')) },
  { path: '/payment-links', when: 'payments.read', page: lazyPage(() => import('./pages/payments/PaymentLinksPage')) },
  { path: '/settings', page: lazyPage(() => import('./pages/admin/SettingsPage')) },
  { path: '/webhooks', when: 'webhooks.manage', page: lazyPage(() => import('./pages/webhooks/WebhooksPage')) },
];

/**
 * Starts loading the code of the page at `pathname` (main.tsx calls it at start, so it loads beside
 * the session check instead of after it). "/" is most often the customers list. Answers whether the
 * page is the signed-in dashboard's (a pay page never asks for a session).
 */
export function preloadPageFor(pathname: string): { needsSession: boolean } {
  const publicPage = PUBLIC_PAGES.find(({ path }) => matchPath(path, pathname));
  const page =
    pathname === '/' ? CustomersPage : (publicPage ?? STAFF_PAGES.find(({ path }) => matchPath(path, pathname)))?.page;
  void page?.preload().catch(() => {}); // the render tries again and shows the error
  return { needsSession: !publicPage && pathname !== '/sign-in' };
}

/** The same paths as SPA_PATHS in src/modules/web/web.routes.ts, which serves index.html for them. */
export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        {PUBLIC_PAGES.map(({ path, page: Page }) => (
          <Route key={path} path={path} element={<Page />} />
        ))}
        <Route element={<RequireSession />}>
          <Route index element={<Home />} />
          {STAFF_PAGES.map(({ path, when, page: Page }) => (
            <Route key={path} path={path} element={when ? <Allowed when={when} page={<Page />} /> : <Page />} />
          ))}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageLoading />;
  if (session.isError) {
    return (
      <div className="page-center">
        <ErrorState error={session.error} retry={() => void session.refetch()} title="Paydesk could not be reached" />
      </div>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <AppLayout session={session.data} />;
}

/** The first page the role may use. */
function Home() {
  const { data } = useSession();
  const membership = activeMembership(data);
  if (can(membership, 'customers.read')) return <Navigate to="/customers" replace />;
  if (can(membership, 'payments.read')) return <Navigate to="/transactions" replace />;
  return <Navigate to="/settings" replace />;
}

function Allowed({ when, page }: { when: Permission; page: ReactNode }) {
  const { data } = useSession();
  const membership = activeMembership(data);
  if (!membership) {
    return <EmptyState title="No brand selected">Choose a brand in the sidebar to continue.</EmptyState>;
  }
  if (!can(membership, when)) {
    return (
      <EmptyState title="Not available for your role">
        Your role in {membership.name} does not include this page. Ask an owner or admin if you need it.
      </EmptyState>
    );
  }
  return page;
}

function NotFound() {
  return (
    <EmptyState title="Page not found">There is nothing at this address. Use the menu to find your way.</EmptyState>
  );
}
