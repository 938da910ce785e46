// One FHIR R4 Bundle file of one site's records, named `<site>-<prefix><part>.json`: the layout `stratum synth` and
// `stratum export fhir` share, so that `stratum import fhir DIR/*.json` reads either.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordsToFhirBundle } from '../registry/fhir/record-to-fhir.js';
import type { RegistryRecord } from '../registry/record.js';

/** Writes the Bundle and returns its file name. */
export function writeBundleFile(out: string, site: string, prefix: string, part: number, records: readonly RegistryRecord[]): string {
  const name = `${site.replace(/[^A-Za-z0-9_.-]/g, '_')}-${prefix}${String(part).padStart(3, '0')}.json`;
  writeFileSync(join(out, name), JSON.stringify(recordsToFhirBundle(records)));
  return name;
}
