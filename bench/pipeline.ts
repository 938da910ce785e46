// One benchmark run in its own process (so peak memory is this run's own): reads the cohort CSV and times
// each step of the comparative pipeline, then the 15-term Cox fit. Prints one JSON line.
//   node dist/bench/pipeline.js FILE REPEATS
import { readCsvFile } from '../src/data/csv.js';
import { completeCases } from '../src/data/complete-cases.js';
import { buildDesign } from '../src/data/design.js';
import { eventIndicator } from '../src/data/event-indicator.js';
import { groupCodes, numericValues, treatmentIndicator } from '../src/data/group-codes.js';
import { getColumn, type Table } from '../src/data/table.js';
import { fitCox } from '../src/stats/cox.js';
import { kaplanMeierByGroup } from '../src/stats/kaplan-meier.js';
import { matchNearest } from '../src/stats/matching.js';
import { fitPropensity } from '../src/stats/propensity.js';

const PROPENSITY_COVARIATES = ['age', 'sex', 'scai', 'lactate', 'map', 'creatinine', 'arrest', 'stemi', 'diabetes', 'prior_mi', 'vis'];
/** 15 terms: scai enters as 3 indicators. */
const COX_COVARIATES = ['age', 'sex', 'scai', 'lactate', 'map', 'creatinine', 'arrest', 'stemi', 'diabetes', 'prior_mi', 'vis', 'bmi', 'treatment'];

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function pipeline(file: string): Record<string, number> {
  const read = time(() => readCsvFile(file));
  const table: Table = read.value;
  const ps = time(() => {
    const cases = completeCases(table, ['time', 'death', 'treatment', ...PROPENSITY_COVARIATES]);
    const design = buildDesign(table, PROPENSITY_COVARIATES, cases.rows, { intercept: true });
    const { treated } = treatmentIndicator(getColumn(table, 'treatment'), cases.rows);
    return { cases, treated, ...fitPropensity(treated, design.x) };
  });
  const match = time(() => matchNearest({ distance: ps.value.linearLogit, treated: ps.value.treated, ratio: 1, caliperSd: 0.2 }));
  const cox = time(() => {
    const pairs = match.value.pairs;
    const rows = new Int32Array(pairs.length);
    const cluster = new Int32Array(pairs.length);
    for (let k = 0; k < pairs.length; k++) {
      rows[k] = ps.value.cases.rows[pairs[k]];
      cluster[k] = k >> 1; // matched pair
    }
    const timeValues = numericValues(getColumn(table, 'time'), rows, 'time');
    const event = eventIndicator(getColumn(table, 'death'), rows);
    const design = buildDesign(table, ['treatment'], rows);
    return { rows, timeValues, event, fit: fitCox({ time: timeValues, event, x: design.x, cluster, ties: 'efron' }) };
  });
  const km = time(() => {
    const { rows, timeValues, event } = cox.value;
    const group = groupCodes(getColumn(table, 'treatment'), rows);
    return kaplanMeierByGroup({ time: timeValues, event }, group.codes, group.names.length);
  });
  const cox15 = time(() => {
    const cases = completeCases(table, ['time', 'death', ...COX_COVARIATES]);
    const design = buildDesign(table, COX_COVARIATES, cases.rows);
    const timeValues = numericValues(getColumn(table, 'time'), cases.rows, 'time');
    const event = eventIndicator(getColumn(table, 'death'), cases.rows);
    return fitCox({ time: timeValues, event, x: design.x, ties: 'efron' });
  });
  return {
    rows: table.nRows,
    matchedPairs: match.value.nTreatedMatched,
    readMs: read.ms,
    propensityMs: ps.ms,
    matchMs: match.ms,
    coxMatchedClusterMs: cox.ms,
    kmMs: km.ms,
    pipelineMs: read.ms + ps.ms + match.ms + cox.ms + km.ms,
    cox15Ms: cox15.ms,
    cox15Terms: cox15.value.coef.length,
  };
}

const [file, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText ?? '3');
const runs: Array<Record<string, number>> = [];
for (let r = 0; r < repeats; r++) runs.push(pipeline(file));
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ file, repeats, runs, maxRssMB }) + '\n');
