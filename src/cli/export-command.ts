// `stratum export <csv|fhir|omop> --out DIR [--deidentify] [--site S]`: writes the registry's current records as a
// Stratum CSV set (re-importable), FHIR R4 Bundles (one per site and 1,000 patients) or OMOP CDM v5.4 tables.
// --deidentify applies HIPAA Safe Harbor first (src/registry/deidentify.ts). Every export is an audited read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { recordsToCsvTables } from '../registry/csv/native-write.js';
import { deidentifyRecords } from '../registry/deidentify.js';
import { omopTablesToCsv, recordsToOmop } from '../registry/omop/records-to-omop.js';
import type { RegistryRecord } from '../registry/record.js';
import { writeBundleFile } from './bundle-file.js';
import { terminalProgress } from './progress.js';
import { actorName, withRegistry } from './registry-options.js';
import { auditRead, readAllRecords } from './registry-read.js';
import { UsageError } from './usage-error.js';

export function exportUsage(): string {
  return [
    'usage: stratum export <csv|fhir|omop> --out DIR [--deidentify] [--site S[,S...]] [--actor NAME]',
    '',
    '  csv   the Stratum CSV layout (episodes.csv, observations.csv, ...): re-importable with `stratum import csv DIR`',
    '  fhir  FHIR R4 Bundles (collection), one per site and 1,000 patients',
    '  omop  OMOP CDM v5.4 tables as CSV: person, visit_occurrence, measurement, drug_exposure, procedure_occurrence,',
    '        device_exposure, condition_occurrence, death',
    '  --deidentify  HIPAA Safe Harbor: identifiers removed, dates shifted to offsets from each patient\'s anchor,',
    '                ages over 89 grouped as 90, free text dropped',
  ].join('\n');
}

/** Writes the files of one export format into `out`; returns the file names written. */
export function writeExport(format: 'csv' | 'fhir' | 'omop', records: readonly RegistryRecord[], out: string): string[] {
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(out, name), text);
    written.push(name);
  };
  if (format === 'csv') {
    for (const [name, text] of recordsToCsvTables(records)) write(name, text);
  } else if (format === 'omop') {
    for (const [name, text] of omopTablesToCsv(recordsToOmop(records))) write(name, text);
  } else {
    const bySite = new Map<string, RegistryRecord[]>();
    for (const r of records) {
      const list = bySite.get(r.site) ?? [];
      list.push(r);
      bySite.set(r.site, list);
    }
    for (const [site, list] of [...bySite].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (let i = 0, part = 1; i < list.length; i += 1000, part += 1) written.push(writeBundleFile(out, site, '', part, list.slice(i, i + 1000)));
    }
  }
  return written;
}

export async function runExportCommand(argv: readonly string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      deidentify: { type: 'boolean', default: false },
      site: { type: 'string' },
      actor: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return exportUsage();
  const [format] = positionals;
  if (format !== 'csv' && format !== 'fhir' && format !== 'omop') throw new UsageError(`export: expected a format (csv, fhir or omop), got '${format ?? ''}'`);
  if (!values.out) throw new UsageError('export: --out DIR is required');
  const out = values.out;
  const sites = values.site?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const actor = actorName(values.actor);
  return withRegistry(async (registry) => {
    const records = await readAllRecords(registry, sites, terminalProgress());
    const shaped = values.deidentify ? deidentifyRecords(records) : records;
    const files = writeExport(format, shaped, out);
    await auditRead(registry, actor, `export ${format}`, { records: records.length, deidentified: values.deidentify, sites: sites ?? 'all', out });
    return `exported ${records.length} episode(s) as ${format}${values.deidentify ? ' (de-identified, HIPAA Safe Harbor)' : ' (IDENTIFIED: contains protected health information)'} to ${out}: ${files.length} file(s)`;
  });
}
