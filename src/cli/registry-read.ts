// Reading the registry for export and analysis: every current record (optionally of some sites), with each read of
// identified data written to the audit trail (who took what out, when, why).
import type { Registry } from '../registry/db/registry-connection.js';
import { appendAudit } from '../registry/db/audit-log.js';
import { loadRecords } from '../registry/db/episode-store.js';
import type { RegistryRecord } from '../registry/record.js';
import type { Progress } from './progress.js';

export async function readAllRecords(registry: Registry, sites: readonly string[] | undefined, progress: Progress): Promise<RegistryRecord[]> {
  const total = await registry.db.selectFrom('episodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const out: RegistryRecord[] = [];
  for await (const page of loadRecords(registry.db, sites && sites.length > 0 ? { sites } : {})) {
    out.push(...page);
    progress.update('reading registry', out.length, Number(total.n));
  }
  progress.done();
  return out;
}

/** Audit record of a read of the registry: what was taken out, identified or not, by whom, why. */
export async function auditRead(registry: Registry, actor: string, what: string, details: Record<string, unknown>): Promise<void> {
  await registry.db.transaction().execute((trx) =>
    appendAudit(trx, actor, [{ action: 'read', entity: 'registry', entityKey: what, before: null, after: details, reason: `stratum ${what}` }]),
  );
}
