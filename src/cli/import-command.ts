// `stratum import <csv|fhir|redcap> FILE... [--site S] [--mapping M] [--dictionary D] [--partial] [--report R]`:
// reads files into the registry, one transaction per file (a Stratum CSV export folder is one unit), strict by
// default: any rejected row leaves the registry unchanged and is listed in the rejection report.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { decodeCsvBytes } from '../registry/csv/decode.js';
import { mappedCsvToRecords, parseCsvMapping } from '../registry/csv/mapped-csv.js';
import { parseMappingJson } from '../registry/mapping-file.js';
import { isNativeCsvFileName, nativeCsvToRecords } from '../registry/csv/native-read.js';
import { fhirBundleToRecords } from '../registry/fhir/fhir-to-records.js';
import { runImport, type ImportSummary, type ImportUnit } from '../registry/import/run-import.js';
import { ImportFileError, type ConversionResult, type Rejection } from '../registry/record.js';
import { parseRedcapDictionary } from '../registry/redcap/redcap-dictionary.js';
import { redcapExportToRecords } from '../registry/redcap/redcap-import.js';
import { checkRedcapMapping, redcapMappingSchema } from '../registry/redcap/redcap-mapping.js';
import { packageRoot } from '../package-root.js';
import { terminalProgress } from './progress.js';
import { actorName, withRegistry } from './registry-options.js';
import { UsageError } from './usage-error.js';

export function importUsage(): string {
  return [
    'usage: stratum import <fhir|csv|redcap> FILE... [options]',
    '',
    '  fhir    FHIR R4 Bundles (JSON): Patient, Encounter, Observation, MedicationAdministration, Procedure, Device, Condition',
    '  csv     a Stratum CSV export (folder or its files; no mapping needed), or other CSVs with --mapping (long or wide)',
    '  redcap  REDCap flat CSV record exports, read against --dictionary and --mapping (default: the bundled CS-MCS project)',
    '',
    'options:',
    '  --site S          site code for every record (default: from the file)',
    '  --mapping M       mapping file (JSON): CSV column/item mapping, or REDCap field mapping',
    '  --dictionary D    REDCap data dictionary (CSV)',
    '  --partial         import the valid rows and record the rejected ones (default: all or nothing)',
    '  --report R        where to write the rejection report (CSV; default stratum-rejections-<id>.csv)',
    '  --actor NAME      who is importing, for the audit trail (default $STRATUM_ACTOR or the OS user)',
    '  --json            print the import summaries as JSON',
  ].join('\n');
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ImportFileError(path, 'file', path, `a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

function fhirUnit(file: string, site: string | undefined, now: Date): ImportUnit {
  const bytes = readBytes(file);
  return {
    kind: 'fhir',
    files: [{ name: file, bytes }],
    ...(site !== undefined ? { site } : {}),
    settings: {},
    convert(): ConversionResult {
      const text = decodeCsvBytes(bytes, file); // UTF-8 check (and BOM strip) is the same for JSON
      let bundle: unknown;
      try {
        bundle = JSON.parse(text);
      } catch (error) {
        throw new ImportFileError(file, 'JSON', (error as Error).message.slice(0, 200), 'a FHIR R4 Bundle in JSON (the file is not valid JSON: truncated?)');
      }
      return fhirBundleToRecords(bundle, { file, ...(site !== undefined ? { site } : {}), now });
    },
  };
}

function expandCsvFiles(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    let isDir = false;
    try {
      isDir = statSync(f).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) out.push(...readdirSync(f).filter((n) => n.endsWith('.csv')).sort().map((n) => join(f, n)));
    else out.push(f);
  }
  return out;
}

function csvUnits(files: readonly string[], site: string | undefined, mappingPath: string | undefined, now: Date): ImportUnit[] {
  const paths = expandCsvFiles(files);
  if (mappingPath === undefined) {
    const foreign = paths.filter((p) => !isNativeCsvFileName(p));
    if (foreign.length > 0) {
      throw new UsageError(`${foreign.join(', ')}: not a file of the Stratum CSV layout (episodes.csv, observations.csv, ...); give --mapping for other CSV files`);
    }
    const loaded = paths.map((p) => ({ name: p, bytes: readBytes(p) }));
    return [
      {
        kind: 'csv',
        files: loaded,
        ...(site !== undefined ? { site } : {}),
        settings: { layout: 'stratum' },
        convert: () => nativeCsvToRecords(loaded.map((f) => ({ name: f.name, text: decodeCsvBytes(f.bytes, f.name) })), { ...(site !== undefined ? { site } : {}), now }),
      },
    ];
  }
  const mapping = parseCsvMapping(new TextDecoder().decode(readBytes(mappingPath)), mappingPath);
  return paths.map((file) => {
    const bytes = readBytes(file);
    return {
      kind: 'csv' as const,
      files: [{ name: file, bytes }],
      ...(site !== undefined ? { site } : {}),
      settings: { mapping },
      convert: () => mappedCsvToRecords(decodeCsvBytes(bytes, file), mapping, { file, ...(site !== undefined ? { site } : {}), now }),
    };
  });
}

function redcapUnits(files: readonly string[], site: string | undefined, mappingPath: string | undefined, dictionaryPath: string | undefined, now: Date): ImportUnit[] {
  const root = packageRoot();
  const dictPath = dictionaryPath ?? join(root, 'examples', 'redcap', 'stratum-cs-mcs-data-dictionary.csv');
  const mapPath = mappingPath ?? join(root, 'examples', 'redcap', 'stratum-cs-mcs-mapping.json');
  const dictText = decodeCsvBytes(readBytes(dictPath), dictPath);
  const dictionary = parseRedcapDictionary(dictText, dictPath);
  const mapping = parseMappingJson(new TextDecoder().decode(readBytes(mapPath)), mapPath, redcapMappingSchema, 'a mapping as described in docs/redcap.md');
  checkRedcapMapping(mapping, dictionary, mapPath);
  return files.map((file) => {
    const bytes = readBytes(file);
    return {
      kind: 'redcap' as const,
      files: [{ name: file, bytes }],
      ...(site !== undefined ? { site } : {}),
      settings: { dictionary: dictText, mapping },
      convert: () =>
        redcapExportToRecords(decodeCsvBytes(bytes, file), dictionary, mapping, { file, ...(site !== undefined ? { site } : {}), now, mappingFile: mapPath }),
    };
  });
}

function writeReport(path: string, rejections: readonly Rejection[]): void {
  const rows = rejections.map((r) => [r.file, r.row === null ? '' : String(r.row), r.field, r.value, r.reason]);
  writeFileSync(path, stringify([['file', 'row', 'field', 'value', 'reason'], ...rows]));
}

function describe(s: ImportSummary, label: string): string {
  if (s.status === 'already-imported') return `${label}: already imported (import #${s.importId}); nothing changed`;
  if (s.status === 'rejected') return `${label}: ${s.rejections.length} problem(s) found; nothing imported (all or nothing; --partial imports the valid rows)`;
  const parts = [`${s.inserted} new episode(s)`, `${s.corrected} corrected`, `${s.unchanged} unchanged`];
  const rej = s.rejections.length > 0 ? `; ${s.rejections.length} row(s) rejected and recorded` : '';
  return `${label}: import #${s.importId}: ${parts.join(', ')} (${s.rowsRead.toLocaleString('en-US')} rows read)${rej}`;
}

export async function runImportCommand(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      site: { type: 'string' },
      mapping: { type: 'string' },
      dictionary: { type: 'string' },
      partial: { type: 'boolean', default: false },
      report: { type: 'string' },
      actor: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return { stdout: importUsage(), exitCode: 0 };
  const [kind, ...files] = positionals;
  if (kind !== 'fhir' && kind !== 'csv' && kind !== 'redcap') throw new UsageError(`import: expected a format (fhir, csv or redcap), got '${kind ?? ''}'`);
  if (files.length === 0) throw new UsageError(`import ${kind}: no files given`);
  const now = new Date();
  const units =
    kind === 'fhir'
      ? files.map((f) => fhirUnit(f, values.site, now))
      : kind === 'csv'
        ? csvUnits(files, values.site, values.mapping, now)
        : redcapUnits(files, values.site, values.mapping, values.dictionary, now);
  const actor = actorName(values.actor);
  const progress = terminalProgress();
  const lines: string[] = [];
  const summaries: (ImportSummary & { label: string; report?: string })[] = [];
  let exitCode = 0;
  await withRegistry(async (registry) => {
    process.stderr.write(`registry: ${registry.kind} (${registry.where})\n`);
    for (const unit of units) {
      const label = unit.files.length === 1 ? unit.files[0]!.name : `${unit.files.length} files (${unit.files.map((f) => basename(f.name)).join(', ')})`;
      let summary: ImportSummary;
      try {
        summary = await runImport(registry, unit, {
          actor,
          partial: values.partial,
          now,
          onProgress: (p) => progress.update(`${basename(unit.files[0]!.name)}: ${p.stage}`, p.done, p.total),
        });
      } catch (error) {
        progress.done();
        if (error instanceof ImportFileError) {
          lines.push(`${label}: not imported: ${error.message}`);
          exitCode = 1;
          continue;
        }
        throw error;
      }
      progress.done();
      let report: string | undefined;
      if (summary.rejections.length > 0) {
        report = resolve(values.report ?? `stratum-rejections-${summary.sha256.slice(0, 8)}.csv`);
        writeReport(report, summary.rejections);
      }
      lines.push(describe(summary, label));
      if (summary.status === 'rejected') {
        exitCode = 1;
        for (const r of summary.rejections.slice(0, 10)) lines.push(`  ${r.file}${r.row === null ? '' : `:${r.row}`}: ${r.field}: ${r.value === '' ? '' : `${r.value}: `}${r.reason}`);
        if (summary.rejections.length > 10) lines.push(`  ... and ${summary.rejections.length - 10} more`);
      }
      if (report) lines.push(`  rejection report: ${report}`);
      summaries.push({ ...summary, label, ...(report ? { report } : {}) });
    }
  });
  if (values.json) {
    const slim = summaries.map(({ rejections, warnings, ...s }) => ({ ...s, rejected: rejections.length, warnings: warnings.length }));
    return { stdout: JSON.stringify(slim, null, 2), exitCode };
  }
  return { stdout: lines.join('\n'), exitCode };
}
