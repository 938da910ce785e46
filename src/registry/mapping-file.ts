// Reads a JSON mapping file (CSV column mapping, REDCap field mapping) against its zod schema, reporting every
// problem with its path in one ImportFileError rather than the first one only.
import type { z } from 'zod';
import { ImportFileError, rejectionValue } from './record.js';

export function parseMappingJson<S extends z.ZodType>(jsonText: string, file: string, schema: S, expected: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (e) {
    throw new ImportFileError(file, 'mapping', rejectionValue(e instanceof Error ? e.message : String(e)), 'a JSON mapping file');
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(mapping)'}: ${i.message}`).join('; ');
    throw new ImportFileError(file, 'mapping', rejectionValue(problems), expected);
  }
  return r.data;
}
