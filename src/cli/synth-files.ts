// Writes synthetic patients as FHIR R4 Bundle files, one per site and up to `perFile` patients, from a stream of
// generated patients (in-process, or inside one of the synth workers for a slice of the patient indices).
import type { RegistryRecord } from '../registry/record.js';
import { generatePatient } from '../synth/generate-registry.js';
import type { PatientTruth } from '../synth/patient-truth.js';
import { patientRng } from '../synth/prng.js';
import { siteProfiles } from '../synth/site-profiles.js';
import type { SynthParameters } from '../synth/synth-parameters.js';
import { writeBundleFile } from './bundle-file.js';

export interface SliceResult {
  readonly truths: PatientTruth[];
  readonly files: number;
  readonly records?: RegistryRecord[];
}

/**
 * Generates patients [from, to) and writes their Bundles into `out`. File names carry `prefix` so that slices
 * written in parallel never collide: `<site>-<prefix><part>.json`.
 */
export function writeSlice(
  params: SynthParameters,
  from: number,
  to: number,
  out: string,
  options: { perFile: number; prefix: string; keepRecords: boolean; onPatient?: (done: number) => void },
): SliceResult {
  const sites = siteProfiles(params);
  const buffers = new Map<string, RegistryRecord[]>();
  const parts = new Map<string, number>();
  const truths: PatientTruth[] = [];
  const records: RegistryRecord[] = [];
  let files = 0;
  const flush = (site: string) => {
    const list = buffers.get(site);
    if (!list || list.length === 0) return;
    const part = (parts.get(site) ?? 0) + 1;
    parts.set(site, part);
    writeBundleFile(out, site, options.prefix, part, list);
    files += 1;
    buffers.set(site, []);
  };
  for (let i = from; i < to; i++) {
    const patient = generatePatient(params, i, patientRng(params.seed, i), sites);
    const site = patient.record.site;
    const list = buffers.get(site) ?? [];
    list.push(patient.record);
    buffers.set(site, list);
    truths.push(patient.truth);
    if (options.keepRecords) records.push(patient.record);
    if (list.length >= options.perFile) flush(site);
    options.onPatient?.(i - from + 1);
  }
  for (const site of [...buffers.keys()].sort()) flush(site);
  return options.keepRecords ? { truths, files, records } : { truths, files };
}
