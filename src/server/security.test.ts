// Security of accounts and administration: who reaches the admin routes, anonymous access under /api/, SQL
// injection in every account field, and the admin operations (unlock, disable, last admin, pagination).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { verifyAuditChain } from '../registry/db/audit-log.js';
import { addUser, buildTestApp, login, loginOk, type LoggedIn, type TestApp } from './auth/test-app.js';

const INJECTIONS = [`' OR 1=1 --`, `x'); DROP TABLE accounts; --`, `"; DELETE FROM sessions; --`, `admin'--`, `1; SELECT pg_sleep(5)`];

function as(t: TestApp, who: LoggedIn | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const headers: Record<string, string> = who ? { cookie: who.cookie, 'x-csrf-token': who.csrfToken } : {};
  return t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
}

async function tablesExist(t: TestApp): Promise<string[]> {
  const r = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_name in ('accounts', 'sessions', 'api_tokens', 'audit_log') order by 1`.execute(t.ctx.registry.db);
  return r.rows.map((x) => x.t);
}

for (const target of registryTargets()) {
  test(`admin routes (${target.name}): role matrix, anonymous 401 everywhere under /api/`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry);
      try {
        const users: Record<string, LoggedIn> = {};
        for (const [name, role] of [['boss', 'admin'], ['clin', 'clinician'], ['res', 'researcher'], ['aud', 'auditor']] as const) {
          users[role] = await loginOk(t, name, await addUser(t, name, role, role === 'clinician' ? ['site-01'] : []));
        }
        const routes: Array<['GET' | 'POST' | 'PATCH', string, unknown]> = [
          ['GET', '/api/admin/users', undefined],
          ['POST', '/api/admin/users', { username: 'newbie', password: 'newbie-password', role: 'auditor', sites: [] }],
          ['PATCH', '/api/admin/users/2', { role: 'admin' }],
        ];
        for (const [method, url, payload] of routes) {
          for (const role of ['clinician', 'researcher', 'auditor']) {
            const r = await as(t, users[role]!, method, url, payload);
            assert.equal(r.statusCode, 403, `${role} ${method} ${url}`);
            assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
          }
          const anon = await as(t, null, method, url, payload);
          assert.equal(anon.statusCode, 401, `anonymous ${method} ${url}`);
          assert.equal(anon.json().status, 401);
        }
        const clin = await registry.db.selectFrom('accounts').select('role').where('username', '=', 'clin').executeTakeFirstOrThrow();
        assert.equal(clin.role, 'clinician', 'no forbidden PATCH got through');
        assert.equal((await as(t, users['admin']!, 'GET', '/api/admin/users')).statusCode, 200);

        for (const url of ['/api/auth/me', '/api/auth/tokens', '/api/probe', '/api/no-such-route', '/API/probe', '/api/probe?x=1']) {
          assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 401, url);
        }
        assert.equal((await t.app.inject({ method: 'GET', url: '/public' })).statusCode, 200, 'outside /api/ anonymous is allowed');
        // A cookie for a non-existent session is no session.
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/probe', headers: { cookie: `stratum_session=${'A'.repeat(43)}` } })).statusCode, 401);
      } finally {
        await t.close();
      }
    });
  });

  test(`admin routes (${target.name}): create, list with pagination, unlock, disable, last admin kept`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { maxFailedLogins: 2 });
      try {
        const admin = await loginOk(t, 'boss', await addUser(t, 'boss', 'admin'));
        for (let i = 1; i <= 4; i++) {
          const r = await as(t, admin, 'POST', '/api/admin/users', { username: `user${i}`, password: `password-${i}-long`, role: 'clinician', sites: ['site-01'] });
          assert.equal(r.statusCode, 201, r.body);
          assert.equal(r.json().password_hash, undefined);
        }
        const dup = await as(t, admin, 'POST', '/api/admin/users', { username: 'USER1', password: 'whatever-long', role: 'clinician', sites: [] });
        assert.equal(dup.statusCode, 409);

        const p1 = (await as(t, admin, 'GET', '/api/admin/users?limit=2')).json();
        assert.deepEqual(p1.items.map((u: { username: string }) => u.username), ['boss', 'user1']);
        assert.equal(p1.total, 5);
        const p2 = (await as(t, admin, 'GET', `/api/admin/users?limit=2&cursor=${p1.nextCursor}`)).json();
        assert.deepEqual(p2.items.map((u: { username: string }) => u.username), ['user2', 'user3']);
        const p3 = (await as(t, admin, 'GET', `/api/admin/users?limit=2&cursor=${p2.nextCursor}`)).json();
        assert.deepEqual(p3.items.map((u: { username: string }) => u.username), ['user4']);
        assert.equal(p3.nextCursor, null);
        const byOffset = (await as(t, admin, 'GET', '/api/admin/users?limit=2&offset=3')).json();
        assert.deepEqual(byOffset.items.map((u: { username: string }) => u.username), ['user3', 'user4']);
        const bad = await as(t, admin, 'GET', '/api/admin/users?limit=0');
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.json().field, 'limit');

        // Unlock: locked by failed logins, unlocked by the admin before lockout_min.
        await login(t, 'user1', 'wrong');
        assert.equal((await login(t, 'user1', 'wrong')).statusCode, 423);
        assert.equal((await login(t, 'user1', 'password-1-long')).statusCode, 423);
        const id1 = p1.items[1].id as number;
        const unlocked = await as(t, admin, 'PATCH', `/api/admin/users/${id1}`, { unlock: true, sites: ['site-02', 'site-03'] });
        assert.equal(unlocked.statusCode, 200, unlocked.body);
        assert.equal(unlocked.json().lockedUntil, null);
        assert.deepEqual(unlocked.json().sites, ['site-02', 'site-03']);
        const u1 = await loginOk(t, 'user1', 'password-1-long');
        assert.deepEqual(u1.response.json().sites, ['site-02', 'site-03']);

        // Disable: the session ends and login is refused with the usual message.
        assert.equal((await as(t, admin, 'PATCH', `/api/admin/users/${id1}`, { disabled: true })).statusCode, 200);
        assert.equal((await as(t, u1, 'GET', '/api/auth/me')).statusCode, 401);
        assert.equal((await login(t, 'user1', 'password-1-long')).statusCode, 401);

        // The only active admin cannot be demoted or disabled.
        const self = await as(t, admin, 'PATCH', '/api/admin/users/1', { role: 'auditor' });
        assert.equal(self.statusCode, 409);
        assert.equal((await as(t, admin, 'PATCH', '/api/admin/users/1', { disabled: true })).statusCode, 409);
        assert.equal((await as(t, admin, 'PATCH', '/api/admin/users/999', { unlock: true })).statusCode, 404);
        assert.equal((await as(t, admin, 'PATCH', `/api/admin/users/${id1}`, { password_hash: 'x' })).statusCode, 400);

        const changes = await registry.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'account').where('actor', '=', 'user:boss').execute();
        assert.equal(changes.length, 6, '4 creations and 2 changes by the admin');
        assert.equal((await verifyAuditChain(registry.db)).ok, true);
      } finally {
        await t.close();
      }
    });
  });

  test(`SQL injection (${target.name}): strings in username, password and site are inert`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { maxFailedLogins: 100 });
      try {
        const admin = await loginOk(t, 'boss', await addUser(t, 'boss', 'admin'));
        for (const s of INJECTIONS) {
          // As login username and password: the same 401 as any failed login.
          for (const [u, p] of [[s, 'whatever'], ['boss', s], [s, s]]) {
            const r = await login(t, u!, p!, '198.51.100.1');
            assert.equal(r.statusCode, 401, `${u} / ${p}`);
          }
          // As a new account's username or site: refused by validation, naming the field.
          const badName = await as(t, admin, 'POST', '/api/admin/users', { username: s, password: 'long enough', role: 'clinician', sites: [] });
          assert.equal(badName.statusCode, 400);
          assert.equal(badName.json().field, 'username');
          const badSite = await as(t, admin, 'POST', '/api/admin/users', { username: 'sitey', password: 'long enough', role: 'clinician', sites: [s] });
          assert.equal(badSite.statusCode, 400);
          assert.equal(badSite.json().field, 'sites.0');
        }
        // As a password: stored as a hash, and logs in verbatim.
        const pw = INJECTIONS[1]!;
        const made = await as(t, admin, 'POST', '/api/admin/users', { username: 'bobby', password: pw, role: 'researcher', sites: [] });
        assert.equal(made.statusCode, 201);
        const bobby = await loginOk(t, 'bobby', pw);
        assert.equal(bobby.response.json().username, 'bobby');
        // As a site stored in text[] directly (no validation in the way): kept verbatim.
        await registry.db.updateTable('accounts').set({ sites: [...INJECTIONS] }).where('username', '=', 'bobby').execute();
        const row = await registry.db.selectFrom('accounts').select(['sites', 'password_hash']).where('username', '=', 'bobby').executeTakeFirstOrThrow();
        assert.deepEqual(row.sites, INJECTIONS);
        assert.match(row.password_hash, /^\$argon2id\$/);

        assert.deepEqual(await tablesExist(t), ['accounts', 'api_tokens', 'audit_log', 'sessions']);
        const n = await registry.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(n.n), 2);
        assert.equal((await as(t, admin, 'GET', '/api/auth/me')).statusCode, 200, 'sessions survive');
      } finally {
        await t.close();
      }
    });
  });
}
