import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryTargets, withFreshRegistry } from '../../../test/support/registry.js';
import { addUser, buildTestApp, loginOk } from './test-app.js';

for (const target of registryTargets()) {
  test(`sessions (${target.name}): idle expiry slides, CSRF on writes, logout ends the session`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { sessionTtl_min: 30 });
      try {
        const pw = await addUser(t, 'cardio', 'clinician', ['site-01']);
        const s = await loginOk(t, 'cardio', pw);
        const get = (cookie?: string) => t.app.inject({ method: 'GET', url: '/api/probe', ...(cookie ? { headers: { cookie } } : {}) });

        // Sliding idle expiry: activity every 20 min keeps the session; 30 idle minutes end it.
        t.advance(20);
        assert.equal((await get(s.cookie)).statusCode, 200);
        t.advance(20);
        assert.equal((await get(s.cookie)).statusCode, 200, 'still alive 40 min after login: the expiry slid');
        t.advance(29);
        assert.equal((await get(s.cookie)).statusCode, 200);
        t.advance(30);
        const expired = await get(s.cookie);
        assert.equal(expired.statusCode, 401);
        assert.equal(expired.json().title, 'Session expired');
        assert.match(String(expired.headers['set-cookie']), /Max-Age=0/);
        assert.equal((await registry.db.selectFrom('sessions').select('id').execute()).length, 0, 'the expired row is removed');

        // CSRF: a session-authenticated write needs the session's token in x-csrf-token.
        const s2 = await loginOk(t, 'cardio', pw);
        const post = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/probe', headers, payload: {} });
        const missing = await post({ cookie: s2.cookie });
        assert.equal(missing.statusCode, 403);
        assert.equal(missing.json().field, 'x-csrf-token');
        assert.equal((await post({ cookie: s2.cookie, 'x-csrf-token': 'A'.repeat(43) })).statusCode, 403);
        const s3 = await loginOk(t, 'cardio', pw);
        assert.equal((await post({ cookie: s2.cookie, 'x-csrf-token': s3.csrfToken })).statusCode, 403, "another session's token");
        const ok = await post({ cookie: s2.cookie, 'x-csrf-token': s2.csrfToken });
        assert.equal(ok.statusCode, 200);
        assert.deepEqual(ok.json(), { user: 'cardio', via: 'session' });

        // Logout (a write, so it needs the token too) invalidates the session server-side.
        assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s2.cookie } })).statusCode, 403);
        const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s2.cookie, 'x-csrf-token': s2.csrfToken } });
        assert.equal(out.statusCode, 204);
        assert.match(String(out.headers['set-cookie']), /^stratum_session=; .*Max-Age=0/);
        assert.equal((await get(s2.cookie)).statusCode, 401, 'the old cookie no longer works');
        assert.equal((await get(s3.cookie)).statusCode, 200, 'other sessions are untouched');

        const reasons = (await registry.db.selectFrom('audit_log').select(['action', 'entity', 'reason']).where('entity', '=', 'session').execute()).map((r) => `${r.action}:${r.reason}`);
        assert.deepEqual(reasons, ['insert:login', 'insert:login', 'insert:login', 'delete:logout']);
      } finally {
        await t.close();
      }
    });
  });

  test(`API tokens (${target.name}): created once from a session, no CSRF needed, expire, revoke`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry);
      try {
        const pw = await addUser(t, 'analyst', 'researcher');
        const s = await loginOk(t, 'analyst', pw);
        const created = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, payload: { name: 'nightly script', expiresInDays: 2 } });
        assert.equal(created.statusCode, 201);
        const { id, token } = created.json() as { id: number; token: string };
        assert.match(token, /^[A-Za-z0-9_-]{43}$/);
        const stored = await registry.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
        assert.notEqual(stored.token_sha256, token);
        assert.match(stored.token_sha256, /^[0-9a-f]{64}$/);
        const listed = await t.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: { cookie: s.cookie } });
        assert.ok(!listed.body.includes(token), 'the token is shown once only');

        const bearer = { authorization: `Bearer ${token}` };
        const write = await t.app.inject({ method: 'POST', url: '/api/probe', headers: bearer, payload: {} });
        assert.equal(write.statusCode, 200, 'token auth needs no CSRF header');
        assert.deepEqual(write.json(), { user: 'analyst', via: 'token' });
        const minted = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: bearer, payload: { name: 'x', expiresInDays: 1 } });
        assert.equal(minted.statusCode, 403, 'a token cannot mint tokens');
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/probe', headers: { authorization: 'Bearer not-a-token' } })).statusCode, 401);
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/probe', headers: { authorization: `Bearer ${'A'.repeat(43)}` } })).statusCode, 401);

        t.advance(2 * 24 * 60 + 1);
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/probe', headers: bearer })).statusCode, 401, 'expired');

        const s2 = await loginOk(t, 'analyst', pw);
        const second = (await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: s2.cookie, 'x-csrf-token': s2.csrfToken }, payload: { name: 'other', expiresInDays: 30 } })).json() as { id: number; token: string };
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/probe', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 200);
        const revoke = await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${second.id}`, headers: { cookie: s2.cookie, 'x-csrf-token': s2.csrfToken } });
        assert.equal(revoke.statusCode, 204);
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/probe', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 401, 'revoked');
        assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${second.id}`, headers: { cookie: s2.cookie, 'x-csrf-token': s2.csrfToken } })).statusCode, 404);

        // Another user cannot revoke someone else's token.
        const otherPw = await addUser(t, 'other', 'clinician', ['site-01']);
        const o = await loginOk(t, 'other', otherPw);
        assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: { cookie: o.cookie, 'x-csrf-token': o.csrfToken } })).statusCode, 404);

        const audit = (await registry.db.selectFrom('audit_log').select(['action', 'reason']).where('entity', '=', 'api_token').execute()).map((r) => `${r.action}:${r.reason}`);
        assert.deepEqual(audit, ['insert:API token created', 'insert:API token created', 'update:API token revoked']);
      } finally {
        await t.close();
      }
    });
  });
}
