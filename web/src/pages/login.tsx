// Login: username and password; a failure shows the server's problem detail (wrong password, account locked, throttled).
import { useState, type FormEvent, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import type { Me } from '../types.js';

export function LoginPage(props: { readonly onLogin: (me: Me) => void }): ReactElement {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const me = await api<Me>('/api/auth/login', { method: 'POST', json: { username, password } });
      props.onLogin(me);
    } catch (error) {
      setProblem(problemFrom(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="login">
      <h1>Log in to Stratum</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Username
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {problem && (
          <div role="alert" className={`problem ${problem.status === 423 ? 'locked' : ''}`}>
            <strong>{problem.title}</strong>: {problem.detail}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </section>
  );
}
