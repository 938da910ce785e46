// Worker thread of the server's study workspace: one study run, off the server's event loop. The server's main
// thread reads the registry (the database cannot be shared with a worker: PGlite lives in the main thread) and
// sends the records in pages; this thread does every CPU-bound step: de-identification, the analysis table
// (`stratum dataset`'s rows and CSV), the study pipeline, the HTML report and results.json. It reports each step,
// the table it built (for the audit record the main thread writes) and the outcome. src/server/study-runner.ts starts it.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { DataError } from '../data/data-error.js';
import { analysisTableCsv } from '../registry/dataset/index.js';
import { analysisRowsOf, type RowsProgress } from '../registry/dataset/registry-analysis-rows.js';
import type { RegistryRecord } from '../registry/record.js';
import { renderStudyReport } from '../report/study-report.js';
import { StatsError } from '../stats/stats-error.js';
import { parseStudySpec, StudySpecError } from '../study/load-study-spec.js';
import { resultsJson, stratumVersion } from '../study/results-json.js';
import { runStudy } from '../study/run-study.js';
import { analysisTableFromCsvText } from '../study/study-table.js';

/** What the worker is started with. */
export interface StudyWorkerData {
  readonly kind: 'stratum-study-run';
  /** The spec as submitted (YAML or JSON text), already validated by the route. */
  readonly specText: string;
}

/** Main thread -> worker: the registry's current records, page by page, then the end of them. */
export type ToStudyWorker = { readonly kind: 'records'; readonly records: RegistryRecord[] } | { readonly kind: 'end' };

/** Worker -> main thread. */
export type FromStudyWorker =
  | { readonly kind: 'step'; readonly step: string }
  /** The analysis table is built: what the audit record of the registry read says. */
  | { readonly kind: 'table'; readonly records: number; readonly rows: number; readonly sha256: string }
  | { readonly kind: 'done'; readonly resultsJson: string; readonly reportHtml: string }
  /** `error` is what the researcher sees; `log` asks the server to log `detail` (an internal error, not the data's). */
  | { readonly kind: 'failed'; readonly error: string; readonly log: boolean; readonly detail?: string };

/** Errors that describe the data or the spec are shown as they are; anything else is a bug, logged by the server. */
function failure(error: unknown): FromStudyWorker {
  if (error instanceof DataError || error instanceof StatsError || error instanceof StudySpecError) return { kind: 'failed', error: error.message, log: false };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  // resultsJson's refusal of NaN/Infinity names the values: useful to the researcher, and still a bug to log.
  const shown = error instanceof Error && /non-finite/.test(error.message) ? error.message : 'the study failed with an internal error (see the server log)';
  return { kind: 'failed', error: shown, log: true, detail };
}

async function run(job: StudyWorkerData, records: readonly RegistryRecord[], send: (m: FromStudyWorker) => void): Promise<FromStudyWorker> {
  try {
    const step = (text: string) => send({ kind: 'step', step: text });
    const spec = parseStudySpec(job.specText, 'spec.yaml');
    let label = '';
    const progress: RowsProgress = {
      update(next) {
        if (next !== label) step((label = next));
      },
      done() {},
    };
    const { rows, problems } = analysisRowsOf(records, progress);
    if (problems.length > 0) step(`${problems.length} episode(s) could not be assessed and are not in the table`);
    const { table, sha256 } = analysisTableFromCsvText(analysisTableCsv(rows), 'analysis table of the registry');
    send({ kind: 'table', records: records.length, rows: rows.length, sha256 });
    const results = runStudy(spec, table, { dataSha256: sha256, stratumVersion: stratumVersion(), onProgress: step });
    step('writing the report');
    const json = resultsJson(results);
    return { kind: 'done', resultsJson: json, reportHtml: await renderStudyReport(results) };
  } catch (error) {
    return failure(error);
  }
}

function serve(port: MessagePort, job: StudyWorkerData): void {
  const records: RegistryRecord[] = [];
  port.on('message', (message: ToStudyWorker) => {
    if (message.kind === 'records') {
      for (const r of message.records) records.push(r);
      return;
    }
    // The port stays open: the main thread terminates this worker once it has the outcome.
    void run(job, records, (m) => port.postMessage(m)).then((outcome) => port.postMessage(outcome));
  });
}

const job = (parentPort ? workerData : null) as StudyWorkerData | null;
if (parentPort && job?.kind === 'stratum-study-run') serve(parentPort, job);
