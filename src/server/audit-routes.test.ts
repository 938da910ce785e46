// GET /api/audit and /api/audit/verify: who may read the trail, pagination newest first, and that reading it is
// itself recorded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAudit } from '../registry/db/audit-log.js';
import { registryTargets, withFreshRegistry } from '../../test/support/registry.js';
import { loginAs, withServerApp as withServer } from '../../test/support/server-app.js';




interface AuditPage {
  items: Array<{ seq: number; actor: string; action: string; entity: string; entityKey: string; after: unknown; hash: string; prevHash: string }>;
  limit: number;
  nextBefore: number | null;
}

for (const target of registryTargets()) {
  describe(`audit routes (${target.name} registry)`, () => {
    it('let auditors and admins read the trail; clinicians, researchers and anonymous callers cannot', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app, ctx) => {
          for (const role of ['auditor', 'admin'] as const) {
            const headers = await loginAs(app, ctx, role);
            const res = await app.inject({ method: 'GET', url: '/api/audit', headers });
            assert.equal(res.statusCode, 200, `${role}: ${res.body}`);
            assert.ok((res.json() as AuditPage).items.length > 0);
            const verify = await app.inject({ method: 'GET', url: '/api/audit/verify', headers });
            assert.equal(verify.statusCode, 200);
            assert.equal((verify.json() as { ok: boolean }).ok, true);
          }
          for (const role of ['clinician', 'researcher'] as const) {
            const headers = await loginAs(app, ctx, role, role === 'clinician' ? ['site-01'] : []);
            for (const url of ['/api/audit', '/api/audit/verify']) {
              const res = await app.inject({ method: 'GET', url, headers });
              assert.equal(res.statusCode, 403, `${role} ${url}`);
              assert.match(String(res.headers['content-type']), /problem\+json/);
            }
          }
          for (const url of ['/api/audit', '/api/audit/verify']) assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401);
        }),
      );
    });

    it('pages newest first with ?limit and ?before, records each page read, and keeps the chain intact', async () => {
      await withFreshRegistry(target, (registry) =>
        withServer(registry, async (app, ctx) => {
          await registry.db.transaction().execute((trx) =>
            appendAudit(trx, 'test', Array.from({ length: 7 }, (_, i) => ({ action: 'insert' as const, entity: 'thing', entityKey: `k${i}`, before: null, after: { i, note: "'; drop table audit_log; --" }, reason: 'seed' }))),
          );
          const headers = await loginAs(app, ctx, 'auditor');
          const first = (await app.inject({ method: 'GET', url: '/api/audit?limit=3', headers })).json() as AuditPage;
          assert.equal(first.items.length, 3);
          const seqs = first.items.map((r) => r.seq);
          assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
          assert.equal(first.nextBefore, seqs[2]);
          const second = (await app.inject({ method: 'GET', url: `/api/audit?limit=3&before=${first.nextBefore}`, headers })).json() as AuditPage;
          assert.deepEqual(second.items.map((r) => r.seq), [seqs[2]! - 1, seqs[2]! - 2, seqs[2]! - 3]);
          assert.equal(second.items[0]!.prevHash, second.items[1]!.hash);
          const seeded = second.items.find((r) => r.entity === 'thing');
          assert.ok(seeded);
          assert.deepEqual(seeded.after, { i: Number(seeded.entityKey.slice(1)), note: "'; drop table audit_log; --" });
          const all = (await app.inject({ method: 'GET', url: '/api/audit?limit=500', headers })).json() as AuditPage;
          assert.equal(all.nextBefore, null);
          const reads = all.items.filter((r) => r.entity === 'audit_log' && r.action === 'read');
          assert.equal(reads.length, 2, 'each earlier page read is in the trail');
          assert.match(reads[0]!.actor, /^user:auditor-/);
          for (const bad of ['limit=0', 'limit=501', 'limit=x', 'before=-1', "before=1'%20or%201=1"]) {
            const res = await app.inject({ method: 'GET', url: `/api/audit?${bad}`, headers });
            assert.equal(res.statusCode, 400, bad);
            assert.match(String((res.json() as { field?: string }).field), /limit|before/);
          }
          const verify = (await app.inject({ method: 'GET', url: '/api/audit/verify', headers })).json() as { ok: boolean; records: number };
          assert.equal(verify.ok, true);
          assert.ok(verify.records >= all.items.length);
        }),
      );
    });
  });
}
