// The console's entry: session, router (under /console) and the page frame.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from './session';
import { SignIn } from './pages/SignIn';
import { IntegrationsList } from './pages/IntegrationsList';
import { NewIntegration } from './pages/NewIntegration';
import { IntegrationPage } from './pages/IntegrationPage';
import { PageHeader } from './components/layout';
import './styles.css';

function NotFound() {
  return (
    <PageHeader title="Page not found" crumbs={[]}>
      <p>
        There is nothing here. Go to <Link to="/integrations">Settings › Integrations</Link>.
      </p>
    </PageHeader>
  );
}

function App() {
  const { key, me, signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/integrations" className="brand">
            <span className="brand-mark" aria-hidden="true">S</span>
            Steward <span className="brand-sub">Marketplace Admin Console</span>
          </Link>
          {key && (
            <nav aria-label="Main" className="topnav">
              <Link to="/integrations">Integrations</Link>
              {me && me.role !== 'unknown' && (
                <span className="whoami" title={`${me.name ?? me.id} · ${me.role}${me.tenants?.length ? ` · tenants ${me.tenants.join(', ')}` : ''}`}>
                  {me.name ?? me.id} · {me.role}
                </span>
              )}
              <button type="button" className="btn btn-quiet" onClick={() => signOut('You signed out. The key was removed from this tab.')}>
                Sign out
              </button>
            </nav>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {key && !me ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : key ? (
          <Routes>
            <Route path="/" element={<Navigate to="/integrations" replace />} />
            <Route path="/integrations" element={<IntegrationsList />} />
            <Route path="/integrations/new" element={<NewIntegration />} />
            <Route path="/integrations/:id" element={<IntegrationPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        ) : (
          <SignIn />
        )}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename="/console">
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
