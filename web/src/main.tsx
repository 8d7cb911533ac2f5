import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { isApiError } from './api/client';
import { SESSION_KEY, forget, sessionQuery } from './api/session';
import { ToastProvider } from './components/Toasts';
import { AppRoutes, preloadPageFor } from './routes';
import './styles/index.css';

// A 401 anywhere means the session ended (signed out elsewhere, expired): drop it and the router sends
// the person to the sign-in page. Public pages never get 401s.
const onError = (error: unknown) => {
  if (isApiError(error, 401)) queryClient.setQueryData(SESSION_KEY, forget());
};

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Lists refetch whenever a page mounts or the tab regains focus: payments arrive from outside the
      // dashboard (clients paying), so cached data is shown at once and then brought up to date.
      // A 4xx answer will not change by asking again.
      retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// The session check and the page's code load side by side, before React first renders (see lib/lazy-page.ts).
if (preloadPageFor(window.location.pathname).needsSession) void queryClient.prefetchQuery(sessionQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <ToastProvider>
          <AppRoutes />
        </ToastProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
