import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { activeMembership, useSession } from './api/session';
import { AppLayout } from './components/AppLayout';
import { EmptyState, ErrorState, PageLoading } from './components/States';
import { can } from './lib/permissions';
import { SignInPage } from './pages/SignInPage';

// Pages load on first visit: a client paying on /pay/{slug} never downloads the dashboard.
const CustomersPage = lazy(() => import('./pages/customers/CustomersPage'));
const CustomerProfilePage = lazy(() => import('./pages/customers/CustomerProfilePage'));
const DuplicatesPage = lazy(() => import('./pages/customers/DuplicatesPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const StaffPage = lazy(() => import('./pages/admin/StaffPage'));
const SettingsPage = lazy(() => import('./pages/admin/SettingsPage'));
const WebhooksPage = lazy(() => import('./pages/webhooks/WebhooksPage'));
const TransactionsPage = lazy(() => import('./pages/payments/TransactionsPage'));
const OrdersPage = lazy(() => import('./pages/orders/OrdersPage'));
const OrderPage = lazy(() => import('./pages/orders/OrderPage'));
const InvoicesPage = lazy(() => import('./pages/payments/InvoicesPage'));
const PaymentLinksPage = lazy(() => import('./pages/payments/PaymentLinksPage'));
const PayLinkPage = lazy(() => import('./pages/public/PayLinkPage'));
const CheckoutPage = lazy(() => import('./pages/public/CheckoutPage'));
const InvoicePayPage = lazy(() => import('./pages/public/InvoicePayPage'));
const InvitePage = lazy(() => import('./pages/public/InvitePage'));

/** The same paths as SPA_PATHS in src/modules/web/web.routes.ts, which serves index.html for them. */
export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/pay/:slug" element={<PayLinkPage />} />
        <Route path="/checkout/:token" element={<CheckoutPage />} />
        <Route path="/invoice/:token" element={<InvoicePayPage />} />
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route element={<RequireSession />}>
          <Route index element={<Home />} />
          <Route path="/customers" element={<Allowed when="customers.read" page={<CustomersPage />} />} />
          <Route path="/customers/duplicates" element={<Allowed when="customers.merge" page={<DuplicatesPage />} />} />
          <Route path="/customers/:id" element={<Allowed when="customers.read" page={<CustomerProfilePage />} />} />
          <Route path="/users" element={<Allowed when="users.read" page={<UsersPage />} />} />
          <Route path="/staff" element={<Allowed when="staff.manage" page={<StaffPage />} />} />
          <Route path="/transactions" element={<Allowed when="payments.read" page={<TransactionsPage />} />} />
          <Route path="/orders" element={<Allowed when="orders.read" page={<OrdersPage />} />} />
          <Route path="/orders/:id" element={<Allowed when="orders.read" page={<OrderPage />} />} />
          <Route path="/invoices" element={<Allowed when="payments.read" page={<InvoicesPage />} />} />
          <Route path="/payment-links" element={<Allowed when="payments.read" page={<PaymentLinksPage />} />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/webhooks" element={<Allowed when="webhooks.manage" page={<WebhooksPage />} />} />
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

function Allowed({ when, page }: { when: Parameters<typeof can>[1]; page: ReactNode }) {
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
