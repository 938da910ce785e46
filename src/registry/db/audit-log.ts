// The append-only, hash-chained audit trail. Every change of clinical data appends one record (who, when, what,
// before, after, why) in the same transaction as the change. Each record's hash covers its content and the previous
// record's hash, so changing, removing or reordering any record breaks the chain from that point on; the database
// also refuses UPDATE and DELETE on the table (migrations.ts). `verifyAuditChain` recomputes the chain.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { GENESIS_HASH } from './migrations.js';
import type { RegistryDatabase } from './schema.js';
import { stableJson } from './stable-json.js';

export type AuditAction = 'insert' | 'update' | 'delete' | 'correct' | 'import' | 'read';

export interface AuditEntry {
  readonly action: AuditAction;
  /** What was changed: 'episode', 'patient', 'observation', 'import', ... */
  readonly entity: string;
  /** Which one, e.g. 'site-01/E123'. */
  readonly entityKey: string;
  readonly before: unknown;
  readonly after: unknown;
  /** Why (a correction's reason, 'import of file X', ...). */
  readonly reason: string;
}

export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  /** ISO 8601, UTC, millisecond precision. */
  readonly at: string;
  readonly actor: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash of an audit record: sha256 over the previous hash and the record's content, as stable JSON. */
export function auditHash(prevHash: string, record: Omit<AuditRecord, 'hash' | 'prevHash'>): string {
  const content = stableJson({
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    action: record.action,
    entity: record.entity,
    entityKey: record.entityKey,
    before: record.before ?? null,
    after: record.after ?? null,
    reason: record.reason,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/**
 * Appends audit records inside the caller's transaction. Locks the chain's head row first, so concurrent writers
 * append one after another; if the transaction rolls back, the records and the head move vanish with it.
 */
export async function appendAudit(
  trx: Transaction<RegistryDatabase>,
  actor: string,
  entries: readonly AuditEntry[],
  now: Date = new Date(),
): Promise<void> {
  await appendAuditRecords(trx, entries.map((entry) => ({ actor, entry, at: now })));
}

/** An audit entry with its own actor and time (group commit: records of several requests in one transaction). */
export interface PendingAudit {
  readonly actor: string;
  readonly entry: AuditEntry;
  readonly at: Date;
}

/** As appendAudit, for records of different actors and times, chained in the order given. */
export async function appendAuditRecords(trx: Transaction<RegistryDatabase>, records: readonly PendingAudit[]): Promise<void> {
  if (records.length === 0) return;
  const head = await trx.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  let prevHash = head.last_hash;
  let seq = head.last_seq;
  const rows = records.map(({ actor, entry, at: when }) => {
    seq += 1;
    const at = when.toISOString();
    const record = { ...entry, seq, at, actor };
    const hash = auditHash(prevHash, record);
    const row = {
      seq,
      at,
      actor,
      action: entry.action,
      entity: entry.entity,
      entity_key: entry.entityKey,
      before: entry.before === undefined || entry.before === null ? null : stableJson(entry.before),
      after: entry.after === undefined || entry.after === null ? null : stableJson(entry.after),
      reason: entry.reason,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 2000) {
    await trx.insertInto('audit_log').values(rows.slice(i, i + 2000)).execute();
  }
  await trx.updateTable('audit_head').set({ last_seq: seq, last_hash: prevHash }).where('id', '=', 1).execute();
}

export interface AuditProblem {
  readonly seq: number;
  readonly problem: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  readonly lastHash: string;
  readonly problems: readonly AuditProblem[];
}

/** Recomputes the whole chain, in pages, and checks the head row agrees with the last record. */
export async function verifyAuditChain(db: Kysely<RegistryDatabase>, pageSize = 5000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let records = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (page.length === 0) break;
    for (const row of page) {
      if (row.seq !== expectedSeq) problems.push({ seq: expectedSeq, problem: `record ${expectedSeq} is missing (next is ${row.seq})` });
      if (row.prev_hash !== prevHash) problems.push({ seq: row.seq, problem: 'prev_hash does not match the previous record' });
      const at = row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString();
      const recomputed = auditHash(prevHash, {
        seq: row.seq,
        at,
        actor: row.actor,
        action: row.action as AuditAction,
        entity: row.entity,
        entityKey: row.entity_key,
        before: row.before,
        after: row.after,
        reason: row.reason,
      });
      if (recomputed !== row.hash) problems.push({ seq: row.seq, problem: 'content does not match its hash (record altered)' });
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
      records += 1;
    }
  }
  const head = await db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) problems.push({ seq: 0, problem: 'the chain head row is missing' });
  else if (head.last_seq !== records || head.last_hash !== prevHash) {
    problems.push({ seq: head.last_seq, problem: `the chain head (record ${head.last_seq}) does not match the last record (${records}): records were removed or added outside the chain` });
  }
  return { ok: problems.length === 0, records, lastHash: prevHash, problems };
}

/** Count of audit records (for summaries and tests). */
export async function auditCount(db: Kysely<RegistryDatabase>): Promise<number> {
  const row = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}
