// Reading the registry for export and analysis: every current record (optionally of some sites), with each read of
// identified data written to the audit trail (who took what out, when, why).
import type { Registry } from '../registry/db/registry-connection.js';
import { appendAudit } from '../registry/db/audit-log.js';

export { readAllRecords } from '../registry/dataset/registry-analysis-rows.js';

/** Audit record of a read of the registry: what was taken out, identified or not, by whom, why. */
export async function auditRead(registry: Registry, actor: string, what: string, details: Record<string, unknown>): Promise<void> {
  await registry.db.transaction().execute((trx) =>
    appendAudit(trx, actor, [{ action: 'read', entity: 'registry', entityKey: what, before: null, after: details, reason: `stratum ${what}` }]),
  );
}
