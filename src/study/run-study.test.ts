// The pipeline as a whole, on a small synthetic registry: determinism, internal consistency of the numbers the
// steps hand each other, and clear errors for a spec that does not fit the table. The statistics of each step are
// tested against R beside the step; the recovery of the ground truth is in recovery.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synthAnalysisTable } from '../../test/support/synthetic-analysis-table.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { DataError } from '../data/data-error.js';
import { runStudy, studyTableColumns } from './run-study.js';
import { analysisTableFromCsvText } from './study-table.js';
import { studySpecSchema, type StudySpecInput } from './study-spec.js';

const specInput: StudySpecInput = {
  title: 'Pump vs IABP (pipeline test)',
  source: { csv: 'synthetic.csv' },
  timeZero: { definition: 'first device' },
  treatment: { column: 'device_group_t0', target: 'microaxial', comparator: 'iabp', targetLabel: 'Pump', comparatorLabel: 'IABP' },
  inclusion: [{ label: 'adults', column: 'age_years', op: 'gte', value: 18 }],
  exclusion: [{ label: 'post-cardiotomy shock', column: 'etiology', op: 'eq', value: 'post-cardiotomy' }],
  outcomes: [
    { name: 'death_1y', label: 'Death within 1 year', type: 'time_to_event', event: 'death', eventTime: 'death_d', horizon_d: 365, primary: true },
    {
      name: 'bleeding_30d', label: 'BARC 3-5 bleeding within 30 days', type: 'time_to_event', event: 'barc_major', eventTime: 'barc_major_d', horizon_d: 30,
      bleedingDefinition: 'BARC 3-5', competing: { label: 'death', event: 'death', eventTime: 'death_d' },
    },
    { name: 'aki', label: 'AKI within 7 days', type: 'binary', column: 'aki_7d' },
  ],
  covariates: { published: ['age_years', 'sex'], critique: ['scai_stage_t0', 'arrest_coma_t0', 'age_years', 'sex', 'lactate_t0_mmol_L'] },
  adjustment: { method: 'match', caliperSd: 0.2 },
  strata: [{ column: 'scai_stage_t0', label: 'SCAI stage at time zero' }],
  sensitivity: { calipers: [0.1], trims: [0.05], methods: ['iptw'] },
};

const synthetic = synthAnalysisTable(synthParameters({ patients: 900, sites: 6, seed: 7 }));
const spec = studySpecSchema.parse(specInput);
const run = () => runStudy(spec, synthetic.table, { dataSha256: synthetic.sha256, stratumVersion: 'test' });

test('the same spec and data give byte-identical results', () => {
  assert.equal(JSON.stringify(run()), JSON.stringify(run()));
});

test('results hold only finite numbers (JSON would turn NaN into null silently)', () => {
  const results = run();
  const paths: string[] = [];
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'number' && !Number.isFinite(v)) paths.push(path);
    else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
  };
  visit(results, 'results');
  assert.deepEqual(paths, []);
});

test('attrition, Table 1 and the comparison agree on the cohort', () => {
  const r = run();
  const steps = r.attrition;
  assert.equal(steps[0].kind, 'start');
  assert.equal(steps[0].remaining, synthetic.table.nRows);
  for (let k = 1; k < steps.length; k++) assert.equal(steps[k].remaining, steps[k - 1].remaining - steps[k].excluded, steps[k].label);
  const cohort = r.tableOne.nBefore.target + r.tableOne.nBefore.comparator;
  assert.equal(steps[steps.length - 1].remaining, cohort);
  // Every patient of the comparator and target groups is in the crude analysis of the primary outcome.
  const crude = r.comparison.find((c) => c.outcome === 'death_1y' && c.set === 'crude');
  assert.ok(crude);
  assert.equal(crude.ratio.n.target + crude.ratio.n.comparator, cohort);
  assert.deepEqual(r.comparison.filter((c) => c.outcome === 'death_1y').map((c) => c.set), ['crude', 'published', 'critique']);
  // The adjusted analysis of the primary outcome is the critique row of the comparison.
  const primary = r.outcomes.find((o) => o.primary);
  assert.deepEqual(r.comparison.find((c) => c.outcome === 'death_1y' && c.set === 'critique')?.ratio, primary?.ratio);
});

test('every step of the spec is in the results: strata, each sensitivity variant, every bleeding definition, the audit', () => {
  const r = run();
  assert.ok(r.strata.some((s) => s.outcome === 'death_1y' && s.column === 'scai_stage_t0'));
  const kinds = r.sensitivity.map((s) => `${s.kind}: ${s.variant}`);
  for (const expected of ['caliper: 1:1 matching, caliper 0.1 SD', 'method: inverse-probability weights (ATT)']) assert.ok(kinds.includes(expected), `${expected} in ${kinds.join(' | ')}`);
  assert.ok(kinds.some((k) => k.startsWith('trim: ')));
  assert.equal(r.sensitivity.filter((s) => s.kind === 'bleeding-definition').length, 5);
  const bleeding = r.outcomes.find((o) => o.name === 'bleeding_30d');
  assert.ok(bleeding?.competing, 'the competing-risk analysis of bleeding');
  assert.ok(r.completeness.some((c) => c.id === 'scai-stage-t0'));
  assert.equal(r.propensity[0].set, 'critique');
  assert.equal(r.balance[0].set, 'critique');
});

test('a spec naming columns the table lacks fails before any step, naming each column', () => {
  const bad = studySpecSchema.parse({ ...specInput, covariates: { published: ['age_years'], critique: ['no_such_column', 'scai_stage_t0'] } });
  assert.throws(
    () => runStudy(bad, synthetic.table, { dataSha256: 'x', stratumVersion: 'test' }),
    (e: unknown) => e instanceof DataError && /no_such_column/.test(e.message),
  );
});

test('progress names each step in order', () => {
  const steps: string[] = [];
  runStudy(spec, synthetic.table, { dataSha256: 'x', stratumVersion: 'test', onProgress: (s) => steps.push(s) });
  const first = (prefix: string) => steps.findIndex((s) => s.startsWith(prefix));
  const order = ['checking', 'cohort', 'propensity', 'Table 1', 'outcome:', 'strata:', 'three-way', 'sensitivity:', 'reporting-completeness'].map(first);
  assert.ok(order.every((i) => i >= 0), steps.join(' | '));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
});

test('reading only studyTableColumns(spec) from the CSV gives the same results as reading every column', () => {
  const narrow = analysisTableFromCsvText(synthetic.csv, 'narrow', studyTableColumns(spec));
  assert.ok(narrow.table.columns.length < synthetic.table.columns.length / 2, `${narrow.table.columns.length} of ${synthetic.table.columns.length} columns`);
  assert.equal(narrow.sha256, synthetic.sha256);
  assert.equal(JSON.stringify(runStudy(spec, narrow.table, { dataSha256: narrow.sha256, stratumVersion: 'test' })), JSON.stringify(run()));
});
