// The console's entry: session, router (under /console) and the page frame.
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Navigate, NavLink, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from './session';
import { SignIn } from './pages/SignIn';
import { IntegrationsList } from './pages/IntegrationsList';
import { NewIntegration } from './pages/NewIntegration';
import { IntegrationPage } from './pages/IntegrationPage';
import { FleetHealth } from './pages/FleetHealth';
import { Access } from './pages/Access';
import { Audit } from './pages/Audit';
import { Webhooks } from './pages/Webhooks';
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

/** The pages a principal may use, in the order of the main navigation; the first is where it lands. */
function pagesFor(can: (action: string) => boolean) {
  return [
    { to: '/fleet', label: 'Fleet health', allowed: can('summary:read') },
    { to: '/integrations', label: 'Integrations', allowed: can('integration:read') },
    { to: '/access', label: 'Access', allowed: can('key:manage') },
    { to: '/audit', label: 'Audit trail', allowed: can('audit:read') },
    { to: '/webhooks', label: 'Webhooks', allowed: can('webhook:manage') },
  ].filter((p) => p.allowed);
}

/** A page the role may not use is answered like a missing one: the navigation never offers it. */
function Only({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  return allowed ? <>{children}</> : <NotFound />;
}

function App() {
  const { key, me, signOut, can } = useSession();
  const pages = pagesFor(can);
  const landing = pages[0]?.to ?? '/integrations';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">S</span>
            Steward <span className="brand-sub">Marketplace Admin Console</span>
          </Link>
          {key && (
            <nav aria-label="Main" className="topnav">
              {pages.map((p) => (
                <NavLink key={p.to} to={p.to}>
                  {p.label}
                </NavLink>
              ))}
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
            <Route path="/" element={<Navigate to={landing} replace />} />
            <Route path="/fleet" element={<Only allowed={can('summary:read')}><FleetHealth /></Only>} />
            <Route path="/access" element={<Only allowed={can('key:manage')}><Access /></Only>} />
            <Route path="/audit" element={<Only allowed={can('audit:read')}><Audit /></Only>} />
            <Route path="/webhooks" element={<Only allowed={can('webhook:manage')}><Webhooks /></Only>} />
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
