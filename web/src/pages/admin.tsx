// Account administration (admin only; src/server/admin-routes.ts): the accounts (GET /api/admin/users, every page),
// a form that creates one (POST /api/admin/users), and for the account chosen in the table a panel that changes its
// role or sites (PATCH), disables or enables it, unlocks it, and sets a new password (POST .../password, 204). The
// server checks every input and names the field at fault; its message is shown next to that field. Below 900 px the
// table's rows stack as cards of labelled lines (styles.css), so the page never scrolls sideways on a tablet.
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import { fmtTime } from '../format.js';
import type { Account, AccountList, Me, Role } from '../types.js';
import { Field, fieldErrors, ProblemBox } from './field-errors.js';

const ROLES: readonly Role[] = ['clinician', 'researcher', 'auditor', 'admin'];

/** 'site-01, site-02' -> ['site-01', 'site-02']; the server checks each code and names the one at fault (sites.N). */
function parseSites(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Every account, following the server's cursor (it pages at most 500 at a time). */
async function loadAccounts(): Promise<Account[]> {
  const out: Account[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: AccountList = await api<AccountList>(`/api/admin/users?limit=500${q}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

const SITES_HINT = 'Comma-separated site codes. A clinician sees only these sites; the other roles are not limited by site.';

export function AdminPage(props: { readonly me: Me }): ReactElement {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  const reload = useCallback(async () => {
    try {
      setAccounts(await loadAccounts());
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(problemFrom(error));
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const chosen = accounts?.find((a) => a.id === selected) ?? null;
  return (
    <section className="admin">
      <h1>Admin</h1>
      <CreateAccountForm onCreated={() => void reload()} />
      <h2 id="accounts-h">Accounts</h2>
      {loadProblem && <p role="alert" className="problem"><strong>{loadProblem.title}</strong>: {loadProblem.detail}</p>}
      {!accounts && !loadProblem && <p>Loading…</p>}
      {accounts && (
        <div className="table-wrap">
          <table className="accounts" aria-labelledby="accounts-h">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Sites</th>
                <th scope="col">Locked until</th>
                <th scope="col">Disabled</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id} className={a.disabled ? 'disabled' : undefined} data-selected={a.id === selected ? 'true' : undefined}>
                  <th scope="row" data-label="Username"><span>{a.username}{a.username === props.me.username && <span className="muted"> (you)</span>}</span></th>
                  <td data-label="Role">{a.role}</td>
                  <td data-label="Sites">{a.sites.length > 0 ? a.sites.join(', ') : <span className="muted">{a.role === 'clinician' ? 'none' : 'all'}</span>}</td>
                  <td data-label="Locked until"><span>{a.lockedUntil ? fmtTime(a.lockedUntil) : <span className="muted">not locked</span>}{a.failedLogins > 0 && <span className="muted"> ({a.failedLogins} failed)</span>}</span></td>
                  <td data-label="Disabled">{a.disabled ? 'disabled' : 'no'}</td>
                  <td data-label="Actions">
                    <span>
                      <button type="button" aria-expanded={a.id === selected} aria-controls={a.id === selected ? 'manage-account' : undefined} onClick={() => setSelected(a.id === selected ? null : a.id)}>
                        Manage <span className="visually-hidden">{a.username}</span>
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen && <ManageAccount key={chosen.id} account={chosen} onChanged={(a) => setAccounts((prev) => prev?.map((x) => (x.id === a.id ? a : x)) ?? null)} />}
    </section>
  );
}

function CreateAccountForm(props: { readonly onCreated: () => void }): ReactElement {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [sites, setSites] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setCreated(null);
    try {
      const a = await api<Account>('/api/admin/users', { method: 'POST', json: { username, password, role, sites: parseSites(sites) } });
      setCreated(a.username);
      setUsername('');
      setPassword('');
      setSites('');
      props.onCreated();
    } catch (error) {
      setProblem(problemFrom(error));
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(problem);
  return (
    <form className="entry" onSubmit={(e) => void submit(e)} aria-labelledby="create-h">
      <h2 id="create-h">Create an account</h2>
      <div className="row">
        <Field label="Username" field="username" errors={errors}>
          {(c) => <input id={c.id} name="username" autoComplete="off" required value={username} onChange={(e) => setUsername(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <Field label="Password" field="password" errors={errors}>
          {(c) => <input id={c.id} name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <Field label="Role" field="role" errors={errors}>
          {(c) => (
            <select id={c.id} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} aria-describedby={c.describedBy}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          )}
        </Field>
        <Field label="Sites" field="sites" errors={errors} className="wide">
          {(c) => <input id={c.id} name="sites" placeholder="site-01, site-02" value={sites} onChange={(e) => setSites(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
      </div>
      <p className="muted">Password: 8 to 256 characters. {SITES_HINT}</p>
      <ProblemBox errors={errors} shown={['username', 'password', 'role', 'sites']} />
      <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      {created && <p className="saved" role="status">Account {created} created.</p>}
    </form>
  );
}

/** The chosen account's panel: its settings, its status (disable, enable, unlock) and a new password, each on its own. */
function ManageAccount(props: { readonly account: Account; readonly onChanged: (a: Account) => void }): ReactElement {
  const { account, onChanged } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard users land on the panel they opened.
  useEffect(() => heading.current?.focus(), []);

  const [role, setRole] = useState<Role>(account.role);
  const [sites, setSites] = useState(account.sites.join(', '));
  const [settingsProblem, setSettingsProblem] = useState<Problem | null>(null);
  const [statusProblem, setStatusProblem] = useState<Problem | null>(null);
  const [passwordProblem, setPasswordProblem] = useState<Problem | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ readonly what: 'settings' | 'status' | 'password'; readonly text: string } | null>(null);

  async function patch(body: Record<string, unknown>, what: 'settings' | 'status', text: string, setProblem: (p: Problem | null) => void) {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      onChanged(await api<Account>(`/api/admin/users/${account.id}`, { method: 'PATCH', json: body }));
      setDone({ what, text });
    } catch (error) {
      setProblem(problemFrom(error));
    } finally {
      setBusy(false);
    }
  }

  async function saveSettings(e: FormEvent) {
    e.preventDefault();
    await patch({ role, sites: parseSites(sites) }, 'settings', 'Role and sites saved.', setSettingsProblem);
  }

  async function setPassword(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setPasswordProblem(null);
    setDone(null);
    try {
      await api<undefined>(`/api/admin/users/${account.id}/password`, { method: 'POST', json: { newPassword } });
      setNewPassword('');
      setDone({ what: 'password', text: `Password set; ${account.username}'s sessions have ended.` });
    } catch (error) {
      setPasswordProblem(problemFrom(error));
    } finally {
      setBusy(false);
    }
  }

  const settingsErrors = fieldErrors(settingsProblem);
  const statusErrors = fieldErrors(statusProblem);
  const passwordErrors = fieldErrors(passwordProblem);
  const locked = account.lockedUntil !== null || account.failedLogins > 0;
  return (
    <section id="manage-account" className="manage" aria-labelledby="manage-h">
      <h2 id="manage-h" tabIndex={-1} ref={heading}>Manage {account.username}</h2>
      <form className="entry narrow" onSubmit={(e) => void saveSettings(e)} aria-labelledby="settings-h">
        <h3 id="settings-h">Role and sites</h3>
        <Field label="Role" field="role" errors={settingsErrors}>
          {(c) => (
            <select id={c.id} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} aria-describedby={c.describedBy}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          )}
        </Field>
        <Field label="Sites" field="sites" errors={settingsErrors}>
          {(c) => <input id={c.id} name="sites" value={sites} onChange={(e) => setSites(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <p className="muted">{SITES_HINT}</p>
        <ProblemBox errors={settingsErrors} shown={['role', 'sites']} />
        <button type="submit" disabled={busy}>Save role and sites</button>
        {done?.what === 'settings' && <p className="saved" role="status">{done.text}</p>}
      </form>
      <div className="entry narrow" role="group" aria-labelledby="status-h">
        <h3 id="status-h">Status</h3>
        <p>
          {account.disabled ? 'Disabled: cannot log in.' : 'Enabled.'}{' '}
          {account.lockedUntil ? `Locked until ${fmtTime(account.lockedUntil)}.` : 'Not locked.'}{' '}
          {account.failedLogins > 0 ? `${account.failedLogins} failed login(s) since the last success.` : ''}
        </p>
        <div className="buttons">
          {account.disabled ? (
            <button type="button" disabled={busy} onClick={() => void patch({ disabled: false }, 'status', `${account.username} enabled.`, setStatusProblem)}>Enable account</button>
          ) : (
            <button type="button" disabled={busy} onClick={() => void patch({ disabled: true }, 'status', `${account.username} disabled; its sessions have ended.`, setStatusProblem)}>Disable account</button>
          )}
          <button type="button" disabled={busy || !locked} onClick={() => void patch({ unlock: true }, 'status', `${account.username} unlocked.`, setStatusProblem)}>Unlock</button>
        </div>
        <ProblemBox errors={statusErrors} shown={[]} />
        {done?.what === 'status' && <p className="saved" role="status">{done.text}</p>}
      </div>
      <form className="entry narrow" onSubmit={(e) => void setPassword(e)} aria-labelledby="reset-h">
        <h3 id="reset-h">Set a new password</h3>
        <p className="muted">8 to 256 characters. Every session of the account ends; a lock stays until unlocked.</p>
        <Field label="New password" field="newPassword" errors={passwordErrors}>
          {(c) => <input id={c.id} name="newPassword" type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNewPassword(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <ProblemBox errors={passwordErrors} shown={['newPassword']} />
        <button type="submit" disabled={busy}>Set password</button>
        {done?.what === 'password' && <p className="saved" role="status">{done.text}</p>}
      </form>
    </section>
  );
}
