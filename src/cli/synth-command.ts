// `stratum synth --patients N --sites S --seed X --out DIR [--csv]`: writes a synthetic multi-site CS-MCS registry
// (docs/synthetic-data.md) as FHIR R4 Bundles, one per site and up to 1,000 patients, plus the ground truth in
// DIR/ground-truth/: ground-truth.json (parameters, true effects, realised rates) and patients.csv (each patient's latent
// severity, true stage, device group and true outcomes). With --csv, also the Stratum CSV layout in DIR/csv/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { recordsToCsvTables } from '../registry/csv/native-write.js';
import type { RegistryRecord } from '../registry/record.js';
import { summarizeTruth } from '../synth/ground-truth.js';
import type { PatientTruth } from '../synth/patient-truth.js';
import { terminalProgress } from './progress.js';
import { writeSlice } from './synth-files.js';
import { intFlag, synthParametersFromFlags } from './synth-flags.js';
import { UsageError } from './usage-error.js';

export function synthUsage(): string {
  return 'usage: stratum synth --patients N --sites S --seed X --out DIR [--csv] [--per-file 1000]';
}


const TRUTH_COLUMNS = [
  'index', 'site', 'episodeId', 'severity', 'trueStage', 'recordedStage', 'deviceGroup', 'ageYears', 'coagulopathy', 'cardiacArrest',
  'comaAfterArrest', 'anticoagulationPractice', 'protocolId', 'purgeHeparinCounted', 'meanTrueAntiXa_IU_mL', 'maxAccessFrench', 'bleedingRate',
  'bleedingEvents', 'deathDay', 'diedWithin1Year', 'observedDay', 'observedDeath', 'timeZero',
] as const satisfies readonly (keyof PatientTruth)[];

function truthRow(t: PatientTruth): string[] {
  return TRUTH_COLUMNS.map((c) => {
    const v = t[c];
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map((b: { day: number; grade: string }) => `${b.day.toFixed(2)}:${b.grade}`).join(';');
    return String(v);
  });
}

export async function runSynthCommand(argv: readonly string[]): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      patients: { type: 'string' },
      sites: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      csv: { type: 'boolean', default: false },
      'per-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return synthUsage();
  if (!values.out) throw new UsageError('synth: --out DIR is required');
  const out = values.out;
  const perFile = intFlag('synth', 'per-file', values['per-file'], 1000, 1);
  const params = synthParametersFromFlags('synth', values);
  mkdirSync(out, { recursive: true });
  const progress = terminalProgress();
  const workers = values.csv || params.patients < 5000 ? 1 : Math.max(1, Math.min(availableParallelism(), 4));
  let truths: PatientTruth[];
  let all: RegistryRecord[] = [];
  let files = 0;
  if (workers === 1) {
    const slice = writeSlice(params, 0, params.patients, out, {
      perFile,
      prefix: '',
      keepRecords: values.csv,
      onPatient: (done) => progress.update('generating patients', done, params.patients),
    });
    truths = slice.truths;
    all = slice.records ?? [];
    files = slice.files;
  } else {
    // Slices of the patient indices in parallel worker threads; results are joined in index order.
    const size = Math.ceil(params.patients / workers);
    let done = 0;
    const results = await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const from = w * size;
        const to = Math.min(params.patients, from + size);
        return new Promise<{ truths: PatientTruth[]; files: number }>((resolvePromise, reject) => {
          const worker = new Worker(new URL('./synth-worker.js', import.meta.url), {
            workerData: { params, from, to, out, perFile, prefix: `w${w + 1}-` },
          });
          worker.on('message', (m: { kind: 'progress'; done: number } | { kind: 'done'; truths: PatientTruth[]; files: number; rest: number }) => {
            if (m.kind === 'progress') done += m.done;
            else {
              done += m.rest;
              resolvePromise({ truths: m.truths, files: m.files });
            }
            progress.update('generating patients', done, params.patients);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`synth worker ${w + 1} exited with code ${code}`));
          });
        });
      }),
    );
    truths = results.flatMap((r) => r.truths);
    files = results.reduce((n, r) => n + r.files, 0);
  }
  progress.done();
  const n = truths.length;
  // In a folder of its own, so `stratum import fhir DIR/*.json` picks up the Bundles only.
  const truthDir = join(out, 'ground-truth');
  mkdirSync(truthDir, { recursive: true });
  writeFileSync(join(truthDir, 'ground-truth.json'), JSON.stringify(summarizeTruth(params, truths), null, 2));
  writeFileSync(join(truthDir, 'patients.csv'), stringify([[...TRUTH_COLUMNS], ...truths.map(truthRow)]));
  if (values.csv) {
    const dir = join(out, 'csv');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of recordsToCsvTables(all)) writeFileSync(join(dir, name), text);
  }
  return [
    `wrote ${n} synthetic patients at ${params.sites} sites (seed ${params.seed}) to ${out}: ${files} FHIR R4 Bundle file(s)` +
      (workers > 1 ? ` (${workers} worker threads)` : '') +
      (values.csv ? ' and the Stratum CSV layout in csv/' : ''),
    `ground truth (not for import): ${join(out, 'ground-truth', 'ground-truth.json')} and ${join(out, 'ground-truth', 'patients.csv')}`,
  ].join('\n');
}
