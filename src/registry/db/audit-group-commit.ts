// Group commit of audit records. An audited read (the patient board, a patient view) must not answer before its
// audit record is committed, but one transaction per read would cap the server at the database's transaction rate.
// Records that arrive while a commit is running wait for the next one, which writes them all in one transaction
// (appendAuditRecords: one chain head update, one multi-row insert); each caller's promise settles when the
// transaction holding its record commits, or rejects with the database's error when it fails.
import type { Kysely } from 'kysely';
import { appendAuditRecords, type PendingAudit } from './audit-log.js';
import { GroupBatch } from './group-batch.js';
import type { RegistryDatabase } from './schema.js';

export class AuditGroupCommit {
  private readonly batch: GroupBatch<PendingAudit, void>;

  constructor(db: Kysely<RegistryDatabase>) {
    this.batch = new GroupBatch<PendingAudit, void>(async (records) => {
      await db.transaction().execute((trx) => appendAuditRecords(trx, records));
      return records.map((): void => undefined);
    });
  }

  /** Resolves once `record` is committed in the audit trail. */
  append(record: PendingAudit): Promise<void> {
    return this.batch.submit(record);
  }
}
