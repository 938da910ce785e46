import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryTargets, withFreshRegistry } from '../../../test/support/registry.js';
import { verifyAuditChain } from '../../registry/db/audit-log.js';
import { ProblemError } from '../problem.js';
import { DEFAULT_SERVER_CONFIG, type ServerContext } from '../server-context.js';
import { countAccounts, createAccount, findAccountByUsername } from './accounts.js';
import { verifyPassword } from './passwords.js';

for (const target of registryTargets()) {
  test(`accounts (${target.name}): argon2id hashes, validation, uniqueness, audit`, async () => {
    await withFreshRegistry(target, async (registry) => {
      const ctx: ServerContext = { registry, config: DEFAULT_SERVER_CONFIG, now: () => new Date('2030-01-01T00:00:00Z') };
      assert.equal(await countAccounts(ctx), 0);
      const id = await createAccount(ctx, { username: 'Dr.Lee', password: 'correct horse battery', role: 'clinician', sites: ['site-02', 'site-01', 'site-02'] }, 'test');
      assert.ok(id > 0);
      assert.equal(await countAccounts(ctx), 1);

      const row = await findAccountByUsername(ctx, 'dr.lee');
      assert.ok(row);
      assert.equal(row.username, 'dr.lee', 'usernames are stored in lower case');
      assert.deepEqual(row.sites, ['site-01', 'site-02']);
      assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.ok(!row.password_hash.includes('correct horse'));
      assert.equal(await verifyPassword(row.password_hash, 'correct horse battery'), true);
      assert.equal(await verifyPassword(row.password_hash, 'wrong'), false);

      await assert.rejects(
        createAccount(ctx, { username: 'DR.LEE', password: 'another password', role: 'admin', sites: [] }, 'test'),
        (e: unknown) => e instanceof ProblemError && e.status === 409 && e.field === 'username',
      );
      await assert.rejects(
        createAccount(ctx, { username: 'x', password: 'short', role: 'admin', sites: [] }, 'test'),
        (e: unknown) => e instanceof ProblemError && e.status === 400 && e.field === 'password',
      );
      await assert.rejects(
        createAccount(ctx, { username: 'ok', password: 'long enough', role: 'superuser' as 'admin', sites: [] }, 'test'),
        (e: unknown) => e instanceof ProblemError && e.status === 400 && e.field === 'role',
      );
      assert.equal(await countAccounts(ctx), 1);

      const audit = await registry.db.selectFrom('audit_log').selectAll().where('entity', '=', 'account').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.action, 'insert');
      assert.equal(audit[0]!.actor, 'test');
      assert.ok(!JSON.stringify(audit[0]!.after).includes('argon2'), 'the audit record holds no password hash');
      assert.equal((await verifyAuditChain(registry.db)).ok, true);

      // The database itself refuses a role outside the list.
      await assert.rejects(
        registry.db.insertInto('accounts').values({ username: 'rogue', password_hash: 'x', role: 'root', sites: [], created_at: new Date() }).execute(),
      );
    });
  });
}
