// Entry point for CSV files from other systems: a mapping file (mapping-schema.ts) says whether the file is long or
// wide and how its columns and items map onto the episode format.
import { z } from 'zod';
import { parseMappingJson } from '../mapping-file.js';
import { ImportFileError, type ConversionResult } from '../record.js';
import { csvMappingSchema, type CsvMapping } from './mapping-schema.js';
import { longCsvToRecords } from './mapped-long.js';
import { wideCsvToRecords } from './mapped-wide.js';

export interface MappedCsvOptions {
  /** File name as given on the command line (for rejections). */
  readonly file: string;
  /** Site of the import; overrides the mapping's site. */
  readonly site?: string;
  /** Times after this are rejected. */
  readonly now: Date;
}

/** Converts a long or wide CSV file (already decoded text) with its mapping into records and rejections. */
export function mappedCsvToRecords(text: string, mapping: CsvMapping, options: MappedCsvOptions): ConversionResult {
  const site = options.site ?? mapping.site;
  if (site === undefined) throw new ImportFileError(options.file, 'site', '(none)', 'a site: give --site or "site" in the mapping');
  const ctx = { file: options.file, timezone: mapping.timezone, decimal: mapping.decimal, units: mapping.units, now: options.now };
  return mapping.format === 'long' ? longCsvToRecords(text, mapping, ctx, site) : wideCsvToRecords(text, mapping, ctx, site);
}

/** Reads and validates a mapping file's JSON text; throws ImportFileError listing every problem with its path. */
export function parseCsvMapping(jsonText: string, file: string): CsvMapping {
  return parseMappingJson(jsonText, file, csvMappingSchema, 'a mapping as described in docs/csv-import.md');
}

export { csvMappingSchema, type CsvMapping };
export type CsvMappingInput = z.input<typeof csvMappingSchema>;
