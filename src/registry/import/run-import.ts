// Runs one import unit (a file, or a set of native CSV files) into the registry: checksum, conversion, validation
// by the clinical engine, then one transaction that writes the import's record, the episodes, any rejections (when
// partial imports are allowed) and the audit trail. Strict by default: if any row is rejected nothing is written
// and the caller gets every rejection to report. Re-importing the same bytes changes nothing; re-importing changed
// content for a known episode stores a new version of it.
import { createHash } from 'node:crypto';
import type { Registry } from '../db/registry-connection.js';
import { appendAudit } from '../db/audit-log.js';
import { saveRecords, type SaveCounts } from '../db/episode-store.js';
import type { ImportedFile } from '../db/schema.js';
import { stableJson } from '../db/stable-json.js';
import type { ConversionResult, Rejection } from '../record.js';
import { validateRecords } from './validate-records.js';

export interface ImportUnit {
  readonly kind: 'csv' | 'fhir' | 'redcap';
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly site?: string;
  /** Settings that change how the bytes are read (mapping, dictionary): part of the import's identity. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Converts the files into records (pure; may throw ImportFileError for a file that cannot be read at all). */
  convert(): ConversionResult;
}

export interface ImportProgress {
  readonly stage: 'convert' | 'validate' | 'save';
  readonly done: number;
  readonly total: number;
}

export interface ImportOptions {
  readonly actor: string;
  /** Import the valid records and entries; store and report the rejected ones. Default false: all or nothing. */
  readonly partial: boolean;
  readonly now: Date;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary extends SaveCounts {
  readonly status: 'imported' | 'already-imported' | 'rejected';
  readonly importId: number | null;
  readonly sha256: string;
  readonly files: readonly ImportedFile[];
  readonly rowsRead: number;
  readonly rejections: readonly Rejection[];
  readonly warnings: readonly Rejection[];
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The import's identity: its kind, settings and every file's checksum. */
export function unitChecksum(unit: ImportUnit, files: readonly ImportedFile[]): string {
  return sha256Hex(stableJson({ kind: unit.kind, site: unit.site ?? null, settings: unit.settings, files: files.map((f) => f.sha256) }));
}

export async function runImport(registry: Registry, unit: ImportUnit, options: ImportOptions): Promise<ImportSummary> {
  const files: ImportedFile[] = unit.files.map((f) => ({ name: f.name, sha256: sha256Hex(f.bytes), bytes: f.bytes.byteLength }));
  const sha256 = unitChecksum(unit, files);
  const empty = { inserted: 0, unchanged: 0, corrected: 0 };
  const previous = await registry.db.selectFrom('imports').select(['id']).where('sha256', '=', sha256).executeTakeFirst();
  if (previous) {
    return { status: 'already-imported', importId: previous.id, sha256, files, rowsRead: 0, rejections: [], warnings: [], ...empty };
  }

  options.onProgress?.({ stage: 'convert', done: 0, total: files.length });
  const converted = unit.convert();
  options.onProgress?.({ stage: 'validate', done: 0, total: converted.records.length });
  const fileLabel = files.map((f) => f.name).join(', ');
  const validated = validateRecords(fileLabel, converted.records, { dropBadItems: options.partial });
  const rejections = [...converted.rejections, ...validated.rejections];
  const base = { sha256, files, rowsRead: converted.rowsRead, rejections, warnings: validated.warnings };
  if (rejections.length > 0 && !options.partial) {
    return { status: 'rejected', importId: null, ...base, ...empty };
  }

  const counts = await registry.db.transaction().execute(async (trx) => {
    const started = options.now;
    const row = await trx
      .insertInto('imports')
      .values({
        kind: unit.kind,
        sha256,
        files: JSON.stringify(files),
        site: unit.site ?? null,
        actor: options.actor,
        started_at: started,
        finished_at: started,
        rows_read: converted.rowsRead,
        episodes_inserted: 0,
        episodes_unchanged: 0,
        episodes_corrected: 0,
        rows_rejected: rejections.length,
        options: stableJson({ ...unit.settings, partial: options.partial }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const reason = `import #${row.id} (${unit.kind}: ${fileLabel})`;
    const saved = await saveRecords(trx, validated.accepted, {
      actor: options.actor,
      reason,
      importId: row.id,
      now: options.now,
      onProgress: (done, total) => options.onProgress?.({ stage: 'save', done, total }),
    });
    for (let i = 0; i < rejections.length; i += 1000) {
      await trx
        .insertInto('import_rejections')
        .values(rejections.slice(i, i + 1000).map((r) => ({ import_id: row.id, file: r.file, row: r.row, field: r.field, value: r.value, reason: r.reason })))
        .execute();
    }
    await trx
      .updateTable('imports')
      .set({ finished_at: new Date(), episodes_inserted: saved.inserted, episodes_unchanged: saved.unchanged, episodes_corrected: saved.corrected })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, options.actor, [
      {
        action: 'import',
        entity: 'import',
        entityKey: String(row.id),
        before: null,
        after: { kind: unit.kind, files, sha256, rowsRead: converted.rowsRead, ...saved, rejected: rejections.length },
        reason,
      },
    ], options.now);
    return { importId: row.id, saved };
  });
  return { status: 'imported', importId: counts.importId, ...base, ...counts.saved };
}
