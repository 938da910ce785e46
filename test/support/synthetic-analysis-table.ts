// The analysis table of a synthetic registry, built in memory the way `stratum synth` + `stratum dataset` build it
// on disk and `stratum study run` reads it: generateRegistry -> parseEpisode -> analysisRow -> analysisTableCsv ->
// analysisTableFromCsvText (readCsv + declared column types), with the ground truth of every patient beside it. Tests of the study pipeline run on it and compare the estimates with the truth
// (docs/synthetic-data.md, "Checking a study against the truth").
//
// Patients are independent (each has its own seeded stream: generatePatient with patientRng(seed, i) is the i-th
// patient of generateRegistry), so the rows can be built over index ranges in worker threads and concatenated in
// index order; the table is then the same whatever the number of workers. The same file is the worker's entry point.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startWorker } from '../../src/worker-thread.js';
import { parseEpisode } from '../../src/clinical/episode/episode.js';
import type { Table } from '../../src/data/table.js';
import { analysisRow, analysisTableCsv, type AnalysisRow } from '../../src/registry/dataset/index.js';
import { analysisTableFromCsvText } from '../../src/study/study-table.js';
import { generatePatient } from '../../src/synth/generate-registry.js';
import type { PatientTruth } from '../../src/synth/patient-truth.js';
import { patientRng } from '../../src/synth/prng.js';
import { siteProfiles } from '../../src/synth/site-profiles.js';
import type { DeviceGroup, SynthParameters } from '../../src/synth/synth-parameters.js';

export interface SynthAnalysisOptions {
  /**
   * Build rows only for patients whose true device group is one of these (the others are still generated, so the
   * kept patients are exactly those of the full registry, and their truths are still returned). A study that
   * compares two device groups drops the other rows at its treatment filter anyway; skipping them saves the
   * engine's ~1 ms per row. Default: every patient.
   */
  readonly deviceGroups?: readonly DeviceGroup[];
}

export interface SynthAnalysisTable {
  /** The table as `stratum study run` reads the CSV (readCsv, then the declared column types: study-table.ts). */
  readonly table: Table;
  /** sha256 of the CSV text, as results.json records it. */
  readonly sha256: string;
  /** The CSV text `stratum dataset` would write for these records (not de-identified: ids are the generator's). */
  readonly csv: string;
  /** Truth of every generated patient, in index order (also those without a row when `deviceGroups` filters). */
  readonly truths: PatientTruth[];
  /** Truth of each table row, aligned with the table's rows. */
  readonly rowTruths: PatientTruth[];
}

interface Slice {
  readonly rows: AnalysisRow[];
  readonly truths: PatientTruth[];
  readonly kept: Uint8Array;
}

/** Rows and truths of patients [from, to) of the registry. Throws when the engine rejects a generated episode. */
function buildSlice(params: SynthParameters, from: number, to: number, options: SynthAnalysisOptions): Slice {
  const sites = siteProfiles(params);
  const groups = options.deviceGroups ? new Set<DeviceGroup>(options.deviceGroups) : null;
  const rows: AnalysisRow[] = [];
  const truths: PatientTruth[] = [];
  const kept = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    const { record, truth } = generatePatient(params, i, patientRng(params.seed, i), sites);
    truths.push(truth);
    if (groups && !groups.has(truth.deviceGroup)) continue;
    const parsed = parseEpisode(record.episode);
    if (!parsed.ok) {
      // The generator promises episodes the engine reads (src/synth tests); a failure here is a bug, not data.
      throw new Error(`synthetic patient ${i} (seed ${params.seed}) does not parse: ${parsed.problems[0]?.message ?? 'unknown problem'}`);
    }
    rows.push(analysisRow(record, parsed.episode));
    kept[i - from] = 1;
  }
  return { rows, truths, kept };
}

function assemble(slices: readonly Slice[]): SynthAnalysisTable {
  const rows = slices.flatMap((s) => s.rows);
  const truths = slices.flatMap((s) => s.truths);
  const rowTruths: PatientTruth[] = [];
  for (const s of slices) s.truths.forEach((t, k) => { if (s.kept[k] === 1) rowTruths.push(t); });
  const csv = analysisTableCsv(rows);
  const { table, sha256 } = analysisTableFromCsvText(csv, 'synthetic analysis table');
  return { table, sha256, csv, truths, rowTruths };
}

/** The analysis table and truths of the synthetic registry `params`, in this thread. */
export function synthAnalysisTable(params: SynthParameters, options: SynthAnalysisOptions = {}): SynthAnalysisTable {
  return assemble([buildSlice(params, 0, params.patients, options)]);
}

interface SliceJob {
  readonly kind: 'stratum-synth-analysis-slice';
  readonly params: SynthParameters;
  readonly from: number;
  readonly to: number;
  readonly options: SynthAnalysisOptions;
}

/**
 * The same table built over `workers` threads, each taking a contiguous range of patient indices. Pays off from a
 * few thousand patients (a worker starts in ~0.3 s under tsx); the result equals synthAnalysisTable's.
 */
export async function synthAnalysisTableInWorkers(params: SynthParameters, workers: number, options: SynthAnalysisOptions = {}): Promise<SynthAnalysisTable> {
  const n = Math.max(1, Math.min(workers, params.patients));
  const bounds = Array.from({ length: n + 1 }, (_, k) => Math.round((k * params.patients) / n));
  const slices = await Promise.all(
    bounds.slice(0, n).map((from, k) => runInWorker<Slice>({ kind: 'stratum-synth-analysis-slice', params, from, to: bounds[k + 1], options })),
  );
  return assemble(slices);
}

export { startWorker };

/** Runs one job in a worker thread started on this very file (its .ts under tsx, its .js when compiled). */
function runInWorker<T>(job: SliceJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL(import.meta.url), job);
    let settled = false;
    worker.once('message', (m: T) => { settled = true; resolve(m); });
    worker.once('error', (e) => { settled = true; reject(e); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`synthetic-table worker exited with code ${code} before answering`)); });
  });
}

const job = (isMainThread ? null : workerData) as SliceJob | null;
if (job?.kind === 'stratum-synth-analysis-slice') parentPort?.postMessage(buildSlice(job.params, job.from, job.to, job.options));
