// The app shell: who is logged in (GET /api/auth/me), the navigation a role may use, and the page of the route.
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { api, setCsrfToken } from './api.js';
import { AccountPage } from './pages/account.js';
import { AdminPage } from './pages/admin.js';
import { AuditPage } from './pages/audit.js';
import { BoardPage } from './pages/board.js';
import { ImportPage } from './pages/import.js';
import { LoginPage } from './pages/login.js';
import { PatientPage } from './pages/patient.js';
import { StudiesPage } from './pages/studies.js';
import { navigate, useRoute } from './router.js';
import type { Me, Role } from './types.js';

interface NavItem {
  readonly path: string;
  readonly label: string;
  readonly roles: readonly Role[];
}

/** Pages and the roles that may use them (src/server/principal.ts). */
export const NAV: readonly NavItem[] = [
  { path: 'patients', label: 'Patient board', roles: ['admin', 'clinician'] },
  { path: 'import', label: 'Import', roles: ['admin', 'clinician'] },
  { path: 'studies', label: 'Studies', roles: ['admin', 'researcher'] },
  { path: 'audit', label: 'Audit log', roles: ['admin', 'auditor'] },
  { path: 'admin', label: 'Admin', roles: ['admin'] },
  // Last, so a role's first page stays its work page; every role has an account.
  { path: 'account', label: 'Account', roles: ['admin', 'clinician', 'researcher', 'auditor'] },
];

const allowed = (me: Me, path: string) => NAV.some((n) => n.path === path && n.roles.includes(me.role));

export function App(): ReactElement {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    api<Me>('/api/auth/me')
      .then((m) => {
        setCsrfToken(m.csrfToken);
        setMe(m);
      })
      .catch(() => setMe(null))
      .finally(() => setChecked(true));
  }, []);

  const onLogin = useCallback((m: Me) => {
    setCsrfToken(m.csrfToken);
    setMe(m);
    const first = NAV.find((n) => n.roles.includes(m.role));
    navigate(`/${first?.path ?? ''}`);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      setCsrfToken(null);
      setMe(null);
      navigate('/');
    }
  }, []);

  const page = route.path[0] ?? '';
  let content: ReactElement;
  if (!checked) content = <p>Loading…</p>;
  else if (!me) content = <LoginPage onLogin={onLogin} />;
  else if (page === '' ) {
    const first = NAV.find((n) => n.roles.includes(me.role));
    content = <p>Choose a page: <a href={`#/${first?.path ?? ''}`}>{first?.label}</a></p>;
  } else if (!allowed(me, page)) content = <section><h1>Not available</h1><p>Your role ({me.role}) cannot use this page.</p></section>;
  else if (page === 'patients' && route.path[1]) content = <PatientPage episodeId={route.path[1]} />;
  else if (page === 'patients') content = <BoardPage me={me} site={route.query.get('site')} all={route.query.get('status') === 'all'} />;
  else if (page === 'import') content = <ImportPage />;
  else if (page === 'studies') content = <StudiesPage />;
  else if (page === 'account') content = <AccountPage />;
  else if (page === 'admin') content = <AdminPage me={me} />;
  else content = <AuditPage before={route.query.get('before')} />;

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Stratum</span>
        {me && (
          <nav aria-label="Main">
            <ul>
              {NAV.filter((n) => n.roles.includes(me.role)).map((n) => (
                <li key={n.path}>
                  <a href={`#/${n.path}`} aria-current={page === n.path ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {me && (
          <div className="who">
            <span>
              {me.username} ({me.role}
              {me.sites.length > 0 ? `: ${me.sites.join(', ')}` : ''})
            </span>
            <button type="button" onClick={() => void logout()}>
              Log out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </>
  );
}
