// Worker thread of `stratum synth`: writes one slice of the patient indices (synth-files.ts) and sends back the
// ground truth of its patients. Patients are independent (each has its own seeded random stream), so the files are
// the same whatever the number of workers.
import { parentPort, workerData } from 'node:worker_threads';
import type { SynthParameters } from '../synth/synth-parameters.js';
import { writeSlice } from './synth-files.js';

interface Job {
  readonly params: SynthParameters;
  readonly from: number;
  readonly to: number;
  readonly out: string;
  readonly perFile: number;
  readonly prefix: string;
}

const job = workerData as Job;
let last = 0;
const result = writeSlice(job.params, job.from, job.to, job.out, {
  perFile: job.perFile,
  prefix: job.prefix,
  keepRecords: false,
  onPatient: (done) => {
    if (done - last >= 500) {
      parentPort?.postMessage({ kind: 'progress', done: done - last });
      last = done;
    }
  },
});
parentPort?.postMessage({ kind: 'done', truths: result.truths, files: result.files, rest: job.to - job.from - last });
