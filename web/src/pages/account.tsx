// The caller's own account (every role): who they are (GET /api/auth/me: username, role, sites) and a password change
// (POST /api/auth/password {currentPassword, newPassword}; 204 when changed). The server checks both passwords and
// names the field at fault (a wrong current password, a new one too short or equal to the current one); its message
// is shown next to that field. The repeat field is the app's own check against a typing slip and is never sent.
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import type { Me } from '../types.js';
import { Field, fieldErrors, ProblemBox } from './field-errors.js';

const REPEAT = 'repeatPassword';

/** A problem of the app's own making for the repeat field, shown like the server's. */
function mismatch(): Problem {
  const detail = 'The two new passwords differ.';
  return { type: 'about:blank', title: 'Passwords differ', status: 0, detail, field: REPEAT, errors: [{ field: REPEAT, detail }] };
}

export function AccountPage(): ReactElement {
  const [me, setMe] = useState<Me | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);

  useEffect(() => {
    api<Me>('/api/auth/me')
      .then(setMe)
      .catch((e: unknown) => setLoadProblem(problemFrom(e)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setChanged(false);
    if (next !== repeat) return setProblem(mismatch());
    setBusy(true);
    setProblem(null);
    try {
      await api<undefined>('/api/auth/password', { method: 'POST', json: { currentPassword: current, newPassword: next } });
      setChanged(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (error) {
      setProblem(problemFrom(error));
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(problem);
  return (
    <section className="account">
      <h1>Account</h1>
      {loadProblem && <p role="alert" className="problem"><strong>{loadProblem.title}</strong>: {loadProblem.detail}</p>}
      {!me && !loadProblem && <p>Loading…</p>}
      {me && (
        <dl className="facts">
          <dt>Username</dt>
          <dd>{me.username}</dd>
          <dt>Role</dt>
          <dd>{me.role}</dd>
          <dt>Sites</dt>
          <dd>{me.sites.length > 0 ? me.sites.join(', ') : <span className="muted">{me.role === 'clinician' ? 'none' : 'all (not limited by site)'}</span>}</dd>
        </dl>
      )}
      <form className="entry narrow" onSubmit={(e) => void submit(e)} aria-labelledby="pw-h">
        <h2 id="pw-h">Change password</h2>
        <p className="muted">8 to 256 characters, different from the current one. Your other sessions are logged out; this one stays.</p>
        <Field label="Current password" field="currentPassword" errors={errors}>
          {(c) => <input id={c.id} name="currentPassword" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <Field label="New password" field="newPassword" errors={errors}>
          {(c) => <input id={c.id} name="newPassword" type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <Field label="Repeat the new password" field={REPEAT} errors={errors}>
          {(c) => <input id={c.id} name="repeatPassword" type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-describedby={c.describedBy} />}
        </Field>
        <ProblemBox errors={errors} shown={['currentPassword', 'newPassword', REPEAT]} />
        <button type="submit" disabled={busy}>{busy ? 'Changing…' : 'Change password'}</button>
        {changed && <p className="saved" role="status">Password changed.</p>}
      </form>
    </section>
  );
}
