// `stratum audit verify [--deep]`: recomputes the audit trail's hash chain; with --deep also recomputes the digest of
// every current episode from its rows and compares it with the one recorded at its last change, which exposes rows
// altered outside Stratum. `stratum audit log [--limit N]` shows the newest records.
import { parseArgs } from 'node:util';
import { parseEpisode } from '../clinical/episode/episode.js';
import { verifyAuditChain } from '../registry/db/audit-log.js';
import { loadRecords } from '../registry/db/episode-store.js';
import type { Registry } from '../registry/db/registry-connection.js';
import { recordDigest } from '../registry/stored-episode.js';
import { withRegistry } from './registry-options.js';
import { UsageError } from './usage-error.js';

export function auditUsage(): string {
  return ['usage: stratum audit verify [--deep]', '       stratum audit log [--limit N]'].join('\n');
}

/** Episodes whose current rows no longer match the digest recorded when they were last written. */
export async function verifyEpisodeDigests(registry: Registry): Promise<string[]> {
  const recorded = new Map<string, string>();
  const rows = await registry.db.selectFrom('episodes as e').innerJoin('sites as s', 's.id', 'e.site_id').select(['s.code', 'e.source_id', 'e.digest']).execute();
  for (const r of rows) recorded.set(`${r.code}/${r.source_id}`, r.digest);
  const mismatches: string[] = [];
  for await (const page of loadRecords(registry.db)) {
    for (const record of page) {
      const key = `${record.site}/${record.episode.id}`;
      const parsed = parseEpisode(record.episode);
      if (!parsed.ok) {
        mismatches.push(`${key}: stored rows no longer form a valid episode (${parsed.problems[0]?.message ?? ''})`);
        continue;
      }
      if (recordDigest(record.site, record.patient, parsed.episode) !== recorded.get(key)) mismatches.push(`${key}: rows differ from the content recorded at its last audited change`);
    }
  }
  return mismatches;
}

export async function runAuditCommand(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { deep: { type: 'boolean', default: false }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
  });
  if (values.help) return { stdout: auditUsage(), exitCode: 0 };
  const [sub] = positionals;
  if (sub === 'log') {
    const limit = Number(values.limit ?? '20');
    if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`audit log: --limit must be a positive integer, got '${values.limit}'`);
    return withRegistry(async (registry) => {
      const rows = await registry.db.selectFrom('audit_log').select(['seq', 'at', 'actor', 'action', 'entity', 'entity_key', 'reason']).orderBy('seq', 'desc').limit(limit).execute();
      const lines = rows.map((r) => `#${r.seq} ${new Date(r.at).toISOString()} ${r.actor} ${r.action} ${r.entity} ${r.entity_key}: ${r.reason}`);
      return { stdout: lines.join('\n') || 'the audit trail is empty', exitCode: 0 };
    });
  }
  if (sub !== 'verify') throw new UsageError(`audit: expected 'verify' or 'log', got '${sub ?? ''}'`);
  return withRegistry(async (registry) => {
    const chain = await verifyAuditChain(registry.db);
    const lines: string[] = [];
    if (chain.ok) lines.push(`audit chain intact: ${chain.records} record(s), last hash ${chain.lastHash}`);
    else {
      lines.push(`AUDIT CHAIN BROKEN: ${chain.problems.length} problem(s) in ${chain.records} record(s)`);
      for (const p of chain.problems.slice(0, 20)) lines.push(`  record ${p.seq}: ${p.problem}`);
    }
    let deepOk = true;
    if (values.deep) {
      const mismatches = await verifyEpisodeDigests(registry);
      deepOk = mismatches.length === 0;
      lines.push(deepOk ? 'episode contents match their audited digests' : `EPISODE CONTENT ALTERED: ${mismatches.length} episode(s)`);
      for (const m of mismatches.slice(0, 20)) lines.push(`  ${m}`);
    }
    return { stdout: lines.join('\n'), exitCode: chain.ok && deepOk ? 0 : 1 };
  });
}
