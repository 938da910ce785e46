import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryTargets, withFreshRegistry } from '../../../test/support/registry.js';
import { LOGIN_IP_MAX_FAILURES, LOGIN_IP_WINDOW_MIN } from './login-throttle.js';
import { addUser, buildTestApp, login, loginOk } from './test-app.js';

interface Problem {
  status: number;
  title: string;
  detail: string;
}

for (const target of registryTargets()) {
  test(`login (${target.name}): success, cookie attributes, same answer for unknown user and wrong password`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { secureCookies: true });
      try {
        const pw = await addUser(t, 'nurse1', 'clinician', ['site-01']);
        const ok = await loginOk(t, 'Nurse1', pw);
        assert.deepEqual({ ...(ok.response.json() as Record<string, unknown>), csrfToken: 'x' }, { username: 'nurse1', role: 'clinician', sites: ['site-01'], csrfToken: 'x' });
        assert.match(ok.csrfToken, /^[A-Za-z0-9_-]{43}$/);
        const setCookie = String(ok.response.headers['set-cookie']);
        assert.match(setCookie, /^stratum_session=[A-Za-z0-9_-]{43}; /);
        for (const attr of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']) assert.ok(setCookie.split('; ').includes(attr), `${attr} in ${setCookie}`);

        const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: ok.cookie } });
        assert.equal(me.statusCode, 200);
        assert.equal(me.json().username, 'nurse1');
        assert.equal(me.json().csrfToken, ok.csrfToken);

        // The session id is stored hashed, never as the cookie value.
        const value = ok.cookie.split('=')[1]!;
        const stored = await registry.db.selectFrom('sessions').select('id').execute();
        assert.equal(stored.length, 1);
        assert.notEqual(stored[0]!.id, value);
        assert.match(stored[0]!.id, /^[0-9a-f]{64}$/);

        const wrong = await login(t, 'nurse1', 'not the password');
        const unknown = await login(t, 'nobody', 'not the password');
        assert.equal(wrong.statusCode, 401);
        assert.equal(unknown.statusCode, 401);
        assert.match(String(wrong.headers['content-type']), /^application\/problem\+json/);
        assert.deepEqual(wrong.json(), unknown.json());
        assert.equal((wrong.json() as Problem).detail, 'Unknown username or wrong password.');

        // Similar time: both spend one argon2id verification (without the dummy hash an unknown user answers ~50x faster).
        const time = async (username: string) => {
          const start = process.hrtime.bigint();
          await login(t, username, 'still not the password', '10.9.9.9');
          return Number(process.hrtime.bigint() - start) / 1e6;
        };
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const wrongTimes: number[] = [];
        const unknownTimes: number[] = [];
        for (let i = 0; i < 3; i++) {
          wrongTimes.push(await time('nurse1'));
          unknownTimes.push(await time(`ghost${i}`));
        }
        const ratio = median(unknownTimes) / median(wrongTimes);
        assert.ok(ratio > 0.4 && ratio < 2.5, `unknown ${unknownTimes} ms vs wrong password ${wrongTimes} ms`);

        const audit = await registry.db.selectFrom('audit_log').select(['action', 'entity', 'reason']).orderBy('seq').execute();
        assert.ok(audit.some((a) => a.entity === 'session' && a.action === 'insert' && a.reason === 'login'));
        assert.ok(audit.some((a) => a.entity === 'account' && a.reason === 'failed login: wrong password'));
        assert.ok(audit.some((a) => a.entity === 'login' && a.reason.startsWith('failed login')));
      } finally {
        await t.close();
      }
    });
  });

  test(`login (${target.name}): lockout after maxFailedLogins, unlock after lockout_min; unknown users lock alike; per-IP limit`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const t = await buildTestApp(registry, { maxFailedLogins: 3, lockout_min: 15 });
      try {
        const pw = await addUser(t, 'resident', 'clinician', ['site-01']);
        // Failures that are not consecutive do not lock: a success resets the count.
        assert.equal((await login(t, 'resident', 'bad-1')).statusCode, 401);
        assert.equal((await login(t, 'resident', 'bad-2')).statusCode, 401);
        await loginOk(t, 'resident', pw);
        assert.equal((await login(t, 'resident', 'bad-1')).statusCode, 401);
        assert.equal((await login(t, 'resident', 'bad-2')).statusCode, 401);
        const third = await login(t, 'resident', 'bad-3');
        assert.equal(third.statusCode, 423);
        assert.equal(third.headers['retry-after'], String(15 * 60));

        // While locked even the right password is refused.
        const locked = await login(t, 'resident', pw);
        assert.equal(locked.statusCode, 423);
        assert.equal((locked.json() as Problem).title, 'Account locked');
        t.advance(14);
        assert.equal((await login(t, 'resident', pw)).statusCode, 423);
        t.advance(1.01);
        await loginOk(t, 'resident', pw);
        const row = await registry.db.selectFrom('accounts').select(['failed_logins', 'locked_until']).where('username', '=', 'resident').executeTakeFirstOrThrow();
        assert.deepEqual(row, { failed_logins: 0, locked_until: null });
        const lockAudit = await registry.db.selectFrom('audit_log').select('reason').where('reason', 'like', 'account locked%').execute();
        assert.equal(lockAudit.length, 1);

        // An unknown username answers exactly as an existing one: 401, 401, then 423.
        assert.equal((await login(t, 'phantom', 'bad-1')).statusCode, 401);
        assert.equal((await login(t, 'phantom', 'bad-2')).statusCode, 401);
        assert.equal((await login(t, 'phantom', 'bad-3')).statusCode, 423);
        assert.equal((await login(t, 'phantom', 'bad-4')).statusCode, 423);

        // Per IP: after LOGIN_IP_MAX_FAILURES failures in the window, 429 from that address only.
        const ip = '192.0.2.7';
        for (let i = 0; i < LOGIN_IP_MAX_FAILURES; i++) assert.equal((await login(t, `spray${i}`, 'guess', ip)).statusCode, 401);
        const limited = await login(t, 'resident', pw, ip);
        assert.equal(limited.statusCode, 429);
        assert.ok(Number(limited.headers['retry-after']) > 0);
        assert.equal((await login(t, 'resident', pw, '192.0.2.8')).statusCode, 200);
        t.advance(LOGIN_IP_WINDOW_MIN);
        assert.equal((await login(t, 'resident', pw, ip)).statusCode, 200);
      } finally {
        await t.close();
      }
    });
  });
}
