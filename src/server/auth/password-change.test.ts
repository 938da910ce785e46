// Password change (POST /api/auth/password) and admin reset (POST /api/admin/users/:id/password): the current password
// is checked and counts toward the lockout, the new one follows the account rules, other sessions end, the change is
// audited without secrets, a token may not do it, and the auth cache is cleared after every change of credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryTargets, withFreshRegistry } from '../../../test/support/registry.js';
import { verifyAuditChain } from '../../registry/db/audit-log.js';
import { authCacheOf } from './auth-cache.js';
import { addUser, buildTestApp, login, loginOk, type LoggedIn, type TestApp } from './test-app.js';

interface Problem {
  status: number;
  title: string;
  detail: string;
  field?: string;
}

function write(t: TestApp, who: LoggedIn, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) {
  return t.app.inject({ method, url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken }, ...(payload ? { payload } : {}) });
}

function me(t: TestApp, who: LoggedIn) {
  return t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: who.cookie } });
}

function changePassword(t: TestApp, who: LoggedIn, currentPassword: string, newPassword: string) {
  return write(t, who, 'POST', '/api/auth/password', { currentPassword, newPassword });
}

async function tokenOf(t: TestApp, who: LoggedIn): Promise<{ id: number; token: string }> {
  const r = await write(t, who, 'POST', '/api/auth/tokens', { name: 'script', expiresInDays: 30 });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: number; token: string };
}

async function accountAuditRecords(t: TestApp, username: string) {
  return t.ctx.registry.db.selectFrom('audit_log').selectAll().where('entity', '=', 'account').where('entity_key', '=', username).orderBy('seq').execute();
}

/** Serialized form of everything an audit record holds beyond its hash chain: no secret may appear in it. */
function auditText(r: { before: unknown; after: unknown; reason: string }): string {
  return JSON.stringify([r.before, r.after, r.reason]);
}

for (const target of registryTargets()) {
  test(`password change (${target.name}): checks, policy, other sessions end, audit without secrets`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { maxFailedLogins: 5 });
      try {
        const old = await addUser(t, 'nurse', 'clinician', ['site-01']);
        const here = await loginOk(t, 'nurse', old);
        const elsewhere = await loginOk(t, 'nurse', old);
        const otherUser = await loginOk(t, 'colleague', await addUser(t, 'colleague', 'clinician', ['site-01']));
        const NEW = 'a brand new passphrase';

        // Wrong current password: 400 naming currentPassword, counted as a failed login.
        const wrong = await changePassword(t, here, 'not my password', NEW);
        assert.equal(wrong.statusCode, 400, wrong.body);
        assert.match(String(wrong.headers['content-type']), /^application\/problem\+json/);
        assert.equal((wrong.json() as Problem).field, 'currentPassword');
        const counted = await registry.db.selectFrom('accounts').select('failed_logins').where('username', '=', 'nurse').executeTakeFirstOrThrow();
        assert.equal(counted.failed_logins, 1);

        // The new password follows the account rules; the error names newPassword.
        for (const [bad, why] of [['short', 'too short'], ['x'.repeat(257), 'too long'], [old, 'same as the current one']] as const) {
          const r = await changePassword(t, here, old, bad);
          assert.equal(r.statusCode, 400, `${why}: ${r.body}`);
          assert.equal((r.json() as Problem).field, 'newPassword', why);
        }
        const missing = await write(t, here, 'POST', '/api/auth/password', { newPassword: NEW });
        assert.equal(missing.statusCode, 400);
        assert.equal((missing.json() as Problem).field, 'currentPassword');
        const extra = await write(t, here, 'POST', '/api/auth/password', { currentPassword: old, newPassword: NEW, role: 'admin' });
        assert.equal(extra.statusCode, 400, 'unknown fields are refused');

        // CSRF: a session write without the token is refused before anything is checked.
        const noCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: here.cookie }, payload: { currentPassword: old, newPassword: NEW } });
        assert.equal(noCsrf.statusCode, 403);
        assert.equal((noCsrf.json() as Problem).field, 'x-csrf-token');

        // An API token cannot change the password, even with the right current one.
        const { token } = await tokenOf(t, here);
        const byToken = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { authorization: `Bearer ${token}` }, payload: { currentPassword: old, newPassword: NEW } });
        assert.equal(byToken.statusCode, 403, byToken.body);
        assert.match((byToken.json() as Problem).detail, /browser session/);

        const hashBefore = (await registry.db.selectFrom('accounts').select('password_hash').where('username', '=', 'nurse').executeTakeFirstOrThrow()).password_hash;
        const ok = await changePassword(t, here, old, NEW);
        assert.equal(ok.statusCode, 204, ok.body);
        assert.equal(ok.body, '');

        // This session goes on; the account's other session ended; another account's session is untouched.
        assert.equal((await me(t, here)).statusCode, 200);
        assert.equal((await me(t, elsewhere)).statusCode, 401);
        assert.equal((await me(t, otherUser)).statusCode, 200);
        // The API token was not revoked.
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);

        // The old password no longer logs in; the new one does; the failed count was reset by the proof of the password.
        assert.equal((await login(t, 'nurse', old)).statusCode, 401);
        await loginOk(t, 'nurse', NEW);
        const row = await registry.db.selectFrom('accounts').select(['password_hash', 'failed_logins']).where('username', '=', 'nurse').executeTakeFirstOrThrow();
        assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        assert.notEqual(row.password_hash, hashBefore);
        assert.equal(row.failed_logins, 0);

        // Audited: one failed attempt and the change, neither holding a hash or a password.
        const records = await accountAuditRecords(t, 'nurse');
        const change = records.find((r) => r.reason.startsWith('password changed'));
        assert.ok(change, records.map((r) => r.reason).join(' | '));
        assert.equal(change.action, 'update');
        assert.equal(change.actor, 'user:nurse');
        assert.match(change.reason, /1 other session\(s\) ended/);
        assert.ok(records.some((r) => r.reason === 'failed password change: wrong current password'));
        for (const r of records) {
          const text = auditText(r);
          for (const secret of [old, NEW, hashBefore, row.password_hash, 'argon2', 'password_hash']) assert.ok(!text.includes(secret), `audit record ${r.seq} holds ${secret}`);
        }
        assert.equal((await verifyAuditChain(registry.db)).ok, true);
      } finally {
        await t.close();
      }
    });
  });

  test(`password change (${target.name}): wrong current passwords lock the account like failed logins`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { maxFailedLogins: 2, lockout_min: 15 });
      try {
        const pw = await addUser(t, 'fellow', 'clinician', ['site-01']);
        const s = await loginOk(t, 'fellow', pw);
        assert.equal((await changePassword(t, s, 'guess-1', 'new password 1')).statusCode, 400);
        const locking = await changePassword(t, s, 'guess-2', 'new password 1');
        assert.equal(locking.statusCode, 423, locking.body);
        assert.equal(locking.headers['retry-after'], String(15 * 60));
        // Locked: neither the right current password nor a login gets through until the lock ends.
        assert.equal((await changePassword(t, s, pw, 'new password 1')).statusCode, 423);
        assert.equal((await login(t, 'fellow', pw)).statusCode, 423);
        t.advance(15.01);
        assert.equal((await changePassword(t, s, pw, 'new password 1')).statusCode, 204);
        const reasons = (await accountAuditRecords(t, 'fellow')).map((r) => r.reason);
        assert.ok(reasons.some((r) => r.startsWith('account locked for 15 min after 2 consecutive failed logins')), reasons.join(' | '));
      } finally {
        await t.close();
      }
    });
  });

  test(`admin password reset (${target.name}): admin only, from a session, ends every session of the account, audited`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry);
      try {
        const admin = await loginOk(t, 'boss', await addUser(t, 'boss', 'admin'));
        const old = await addUser(t, 'analyst', 'researcher');
        const a1 = await loginOk(t, 'analyst', old);
        const a2 = await loginOk(t, 'analyst', old);
        const { id } = await registry.db.selectFrom('accounts').select('id').where('username', '=', 'analyst').executeTakeFirstOrThrow();
        const url = `/api/admin/users/${id}/password`;
        const NEW = 'reset by the admin 1';

        // Not an admin: 403, even for one's own account.
        assert.equal((await write(t, a1, 'POST', url, { newPassword: NEW })).statusCode, 403);
        // Not through a token.
        const { token } = await tokenOf(t, admin);
        const byToken = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: { newPassword: NEW } });
        assert.equal(byToken.statusCode, 403, byToken.body);
        // Without the CSRF header.
        assert.equal((await t.app.inject({ method: 'POST', url, headers: { cookie: admin.cookie }, payload: { newPassword: NEW } })).statusCode, 403);
        // Bad input names the field.
        const weak = await write(t, admin, 'POST', url, { newPassword: 'short' });
        assert.equal(weak.statusCode, 400);
        assert.equal((weak.json() as Problem).field, 'newPassword');
        const badId = await write(t, admin, 'POST', '/api/admin/users/abc/password', { newPassword: NEW });
        assert.equal(badId.statusCode, 400);
        assert.equal((badId.json() as Problem).field, 'id');
        const unknown = await write(t, admin, 'POST', '/api/admin/users/9999/password', { newPassword: NEW });
        assert.equal(unknown.statusCode, 404);
        assert.equal((unknown.json() as Problem).field, 'id');
        assert.equal((await me(t, a1)).statusCode, 200, 'nothing happened so far');

        const reset = await write(t, admin, 'POST', url, { newPassword: NEW });
        assert.equal(reset.statusCode, 204, reset.body);
        assert.equal((await me(t, a1)).statusCode, 401);
        assert.equal((await me(t, a2)).statusCode, 401);
        assert.equal((await me(t, admin)).statusCode, 200, "the admin's own session is untouched");
        assert.equal((await login(t, 'analyst', old)).statusCode, 401);
        await loginOk(t, 'analyst', NEW);

        const records = await accountAuditRecords(t, 'analyst');
        const rec = records.find((r) => r.reason.startsWith('password reset by an admin'));
        assert.ok(rec, records.map((r) => r.reason).join(' | '));
        assert.equal(rec.actor, 'user:boss');
        assert.equal(rec.action, 'update');
        assert.match(rec.reason, /2 session\(s\) ended/);
        for (const secret of [old, NEW, 'argon2', 'password_hash']) assert.ok(!auditText(rec).includes(secret), `the reset record holds ${secret}`);
        assert.equal((await verifyAuditChain(registry.db)).ok, true);
      } finally {
        await t.close();
      }
    });
  });

  test(`auth cache (${target.name}): every change of credentials clears it; the next request sees the change`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry);
      try {
        const admin = await loginOk(t, 'boss', await addUser(t, 'boss', 'admin'));
        const pw = await addUser(t, 'doc', 'clinician', ['site-01']);
        const probe = authCacheOf<string>(t.ctx, 'test-probe');
        /** Runs a change with a marker in the cache; the change must clear it. */
        const clears = async (what: string, change: () => Promise<{ statusCode: number; body: string }>, status: number) => {
          probe.set('marker', what, t.ctx.now().getTime());
          const r = await change();
          assert.equal(r.statusCode, status, `${what}: ${r.body}`);
          assert.equal(probe.get('marker', t.ctx.now().getTime()), undefined, `${what} clears the auth cache`);
        };
        const { id } = await registry.db.selectFrom('accounts').select('id').where('username', '=', 'doc').executeTakeFirstOrThrow();

        // Logout: the very next request with that cookie is 401 (the cookie was just used, so a cache would hold it).
        const s1 = await loginOk(t, 'doc', pw);
        assert.equal((await me(t, s1)).statusCode, 200);
        await clears('logout', () => write(t, s1, 'POST', '/api/auth/logout'), 204);
        assert.equal((await me(t, s1)).statusCode, 401);

        // Revoke: the very next request with that token is 401.
        const s2 = await loginOk(t, 'doc', pw);
        const { id: tokenId, token } = await tokenOf(t, s2);
        const bearer = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
        assert.equal((await bearer()).statusCode, 200);
        await clears('revoke', () => write(t, s2, 'DELETE', `/api/auth/tokens/${tokenId}`), 204);
        assert.equal((await bearer()).statusCode, 401);

        // Role change: the next request sees the new role.
        const s3 = await loginOk(t, 'doc', pw);
        assert.equal((await me(t, s3)).json().role, 'clinician');
        await clears('role change', () => write(t, admin, 'PATCH', `/api/admin/users/${id}`, { role: 'researcher' }), 200);
        assert.equal((await me(t, s3)).json().role, 'researcher');

        // Disable: the very next request of the session and of a token is 401.
        const { token: token2 } = await tokenOf(t, s3);
        const bearer2 = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token2}` } });
        assert.equal((await bearer2()).statusCode, 200);
        assert.equal((await me(t, s3)).statusCode, 200);
        await clears('disable', () => write(t, admin, 'PATCH', `/api/admin/users/${id}`, { disabled: true }), 200);
        assert.equal((await me(t, s3)).statusCode, 401);
        assert.equal((await bearer2()).statusCode, 401);
        await clears('enable', () => write(t, admin, 'PATCH', `/api/admin/users/${id}`, { disabled: false }), 200);

        // Password change and reset: the sessions they end fail on their next request.
        const s4 = await loginOk(t, 'doc', pw);
        const s5 = await loginOk(t, 'doc', pw);
        assert.equal((await me(t, s5)).statusCode, 200);
        await clears('password change', () => changePassword(t, s4, pw, 'changed password 1'), 204);
        assert.equal((await me(t, s5)).statusCode, 401);
        assert.equal((await me(t, s4)).statusCode, 200);
        await clears('password reset', () => write(t, admin, 'POST', `/api/admin/users/${id}/password`, { newPassword: 'reset password 1' }), 204);
        assert.equal((await me(t, s4)).statusCode, 401);
      } finally {
        await t.close();
      }
    });
  });

  test(`auth replies (${target.name}): the declared response schemas keep every field the handlers send`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry);
      try {
        const admin = await loginOk(t, 'boss', await addUser(t, 'boss', 'admin'));
        assert.deepEqual(Object.keys(admin.response.json() as object).sort(), ['csrfToken', 'role', 'sites', 'username']);
        const viaSession = (await me(t, admin)).json() as Record<string, unknown>;
        assert.deepEqual(viaSession, { userId: 1, username: 'boss', role: 'admin', sites: [], via: 'session', csrfToken: admin.csrfToken });
        const { id: tokenId, token } = await tokenOf(t, admin);
        const viaToken = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).json() as Record<string, unknown>;
        assert.deepEqual(viaToken, { ...viaSession, via: 'token', csrfToken: null });

        const tokens = (await t.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: { cookie: admin.cookie } })).json() as { items: Array<Record<string, unknown>> };
        assert.deepEqual(Object.keys(tokens.items[0]!).sort(), ['createdAt', 'expiresAt', 'id', 'name', 'revokedAt']);
        assert.equal(tokens.items[0]!['id'], tokenId);
        assert.equal(tokens.items[0]!['revokedAt'], null);

        const created = await write(t, admin, 'POST', '/api/admin/users', { username: 'nurse', password: 'nurse-password-1', role: 'clinician', sites: ['site-02'] });
        assert.equal(created.statusCode, 201, created.body);
        const view = created.json() as Record<string, unknown>;
        assert.deepEqual(Object.keys(view).sort(), ['createdAt', 'disabled', 'failedLogins', 'id', 'lockedUntil', 'role', 'sites', 'username']);
        assert.deepEqual([view['username'], view['sites'], view['lockedUntil'], view['disabled'], view['failedLogins']], ['nurse', ['site-02'], null, false, 0]);
        const page = (await t.app.inject({ method: 'GET', url: '/api/admin/users?limit=1', headers: { cookie: admin.cookie } })).json() as Record<string, unknown>;
        assert.deepEqual(Object.keys(page).sort(), ['items', 'nextCursor', 'total']);
        assert.equal(page['nextCursor'], '1');
        assert.equal(page['total'], 2);
      } finally {
        await t.close();
      }
    });
  });
}
