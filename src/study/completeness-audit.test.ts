import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromRows, type TestCell } from '../../test/support/analysis-table.js';
import type { Cohort } from './adjusted-sample.js';
import { completenessAudit } from './completeness-audit.js';
import { studySpecSchema, type StudySpec, type StudySpecInput } from './study-spec.js';
import type { AttritionStep, CompletenessItem } from './study-results.js';

function spec(overrides: Partial<StudySpecInput> = {}): StudySpec {
  return studySpecSchema.parse({
    title: 'audit test',
    source: { csv: 'table.csv' },
    timeZero: { definition: 'first MCS device insertion' },
    treatment: { column: 'device_group_t0', target: 'microaxial', comparator: 'iabp', targetLabel: 'microaxial pump', comparatorLabel: 'IABP' },
    outcomes: [
      { name: 'death', label: 'Death at 1 year', type: 'time_to_event', primary: true, event: 'death_1y', eventTime: 'time_1y_d', horizon_d: 365 },
      { name: 'bleeding', label: 'Major bleeding', type: 'time_to_event', event: 'barc_major', eventTime: 'barc_major_d', horizon_d: 30, bleedingDefinition: 'BARC 3-5' },
    ],
    covariates: { published: ['age_years'], critique: ['age_years', 'scai_stage_t0', 'creatinine_t0_mg_dL', 'my_score'] },
    adjustment: { method: 'match' },
    ...overrides,
  } satisfies StudySpecInput);
}

/**
 * Ten patients, each element recorded for a share that sits on a threshold: 9/10 = 0.9 (complete), 5/10 = 0.5
 * (sparse), 4/10 (missing), plus 8/10 and 6/10.
 */
function rows(): Array<Record<string, TestCell>> {
  return Array.from({ length: 10 }, (_, i) => ({
    site: i % 3 === 0 ? 'A' : 'B',
    time_zero_source: i < 9 ? 'device_start' : 'shock_onset',
    device_group_t0: i % 2 === 0 ? 'microaxial' : 'iabp',
    age_years: 60 + i,
    my_score: i < 7 ? i : null,
    scai_stage_t0: i < 9 ? 'C' : 'B', // 9 determined (C = C), 1 range B..E
    scai_stage_t0_upper: i < 9 ? 'C' : 'E',
    arrest_coma_t0: 0,
    bp_phenotype_t0: i < 3 ? 'hypotensive_cs' : null, // phenotype: 3 by blood pressure + 2 ventricular only = 5
    ventricular_phenotype: i >= 3 && i < 5 ? 'LV' : null,
    device_t0_selection_reasons: i < 4 ? 'hemodynamic_support' : null, // 4
    anticoag_drugs: 'ufh',
    anticoag_tests: i < 8 ? 'aptt_s' : null, // 8
    anticoag_target_bands: i < 4 ? 'aptt_s 56-80' : null, // 4
    barc_major: i < 9 ? 0 : null, // 9 determined
    barc_major_d: null,
    hemolysis_grade: i < 5 ? 'none' : null, // 5
    sofa_t0: 4,
    sofa_t0_upper: i < 7 ? 4 : 8, // complete for 7
    sofa_t0_missing: i < 7 ? null : 'pao2_mmHg',
    creatinine_t0_mg_dL: i === 0 ? null : 1.2, // both SOFA complete and creatinine: rows 1-6 = 6
    death_1y: 0,
    time_1y_d: 365,
  }));
}

const cohortOfAll = (n: number): Cohort => ({ rows: Int32Array.from({ length: n }, (_, i) => i), treated: Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0)) });
const attrition: AttritionStep[] = [
  { label: 'Analysis table rows', kind: 'start', excluded: 0, remaining: 12 },
  { label: 'Not microaxial pump or IABP', kind: 'treatment', excluded: 2, remaining: 10 },
];
// Target rows 0, 2, 4, 6, 8: 10, 30, 50, 70, unknown; comparator rows 1, 3, 5, 7, 9: 20, 40, 60, 80, 100.
const followUpDays = Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80, NaN, 100]);

function item(items: readonly CompletenessItem[], id: string): CompletenessItem {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}: ${items.map((i) => i.id).join(', ')}`);
  return found;
}

test('critique elements: shares from the data, thresholds at exactly 0.9 (complete) and 0.5 (sparse)', () => {
  const items = completenessAudit(tableFromRows(rows()), cohortOfAll(10), spec(), { attrition, followUpDays });
  const critique = items.filter((i) => i.source === 'critique').map((i) => [i.id, i.completeness, i.status, i.inClaimsData]);
  assert.deepEqual(critique, [
    ['scai-stage-t0', 0.9, 'complete', false],
    ['arrest-coma', 1, 'complete', false],
    ['phenotype', 0.5, 'sparse', false],
    ['selection-reasons', 0.4, 'missing', false],
    ['anticoagulant', 1, 'complete', true],
    ['monitoring-test', 0.8, 'sparse', false],
    ['target-band', 0.4, 'missing', false],
    ['bleeding-definition', 0.9, 'complete', false],
    ['hemolysis', 0.5, 'sparse', false],
    ['organ-function', 0.6, 'sparse', false],
    ['site', 1, 'complete', true],
  ]);
  assert.match(item(items, 'scai-stage-t0').detail, /recorded for 9 of 10 patients \(90\.0%\); a stage range \(e\.g\. B\.\.E\) for 10\.0%/);
  assert.match(item(items, 'phenotype').detail, /bp_phenotype_t0 30\.0%, ventricular_phenotype 20\.0%/);
  assert.match(item(items, 'organ-function').detail, /SOFA complete 70\.0%, creatinine 90\.0%/);
  assert.match(item(items, 'bleeding-definition').detail, /outcome 'bleeding' \(BARC 3-5\): 'barc_major' determined for 90\.0%/);
});

test('the share is over the cohort rows only: the same table, a 4-patient cohort', () => {
  const cohort: Cohort = { rows: Int32Array.from([0, 1, 8, 9]), treated: Uint8Array.from([1, 0, 1, 0]) };
  const items = completenessAudit(tableFromRows(rows()), cohort, spec(), { attrition, followUpDays: Float64Array.from([1, 2, 3, 4]) });
  assert.equal(item(items, 'scai-stage-t0').completeness, 0.75); // row 9 undetermined
  assert.equal(item(items, 'target-band').completeness, 0.5); // rows 0, 1
  assert.equal(item(items, 'target-band').status, 'sparse');
});

test('a claims extract: absent columns are missing with completeness 0 and say so', () => {
  const claims = rows().map((r) => ({ site: r.site, time_zero_source: r.time_zero_source, device_group_t0: r.device_group_t0, age_years: r.age_years, my_score: r.my_score, anticoag_drugs: r.anticoag_drugs, barc_major: r.barc_major, barc_major_d: null, death_1y: 0, time_1y_d: 365, creatinine_t0_mg_dL: r.creatinine_t0_mg_dL }));
  const items = completenessAudit(tableFromRows(claims), cohortOfAll(10), spec(), { attrition, followUpDays });
  for (const id of ['scai-stage-t0', 'arrest-coma', 'phenotype', 'selection-reasons', 'monitoring-test', 'target-band', 'hemolysis', 'organ-function']) {
    const it = item(items, id);
    assert.equal(it.completeness, 0, id);
    assert.equal(it.status, 'missing', id);
    assert.match(it.detail, /absent from the table \(as in a claims extract\)/, id);
  }
  assert.match(item(items, 'scai-stage-t0').detail, /columns 'scai_stage_t0', 'scai_stage_t0_upper' absent/);
  assert.match(item(items, 'organ-function').detail, /column 'sofa_t0' absent/); // creatinine is there, SOFA is not
  assert.equal(item(items, 'anticoagulant').status, 'complete');
  assert.equal(item(items, 'site').status, 'complete');
});

test('bleeding definition: not applicable without a bleeding outcome; missing when a bleeding flag is used without naming a definition', () => {
  const table = tableFromRows(rows());
  const death = { name: 'death', label: 'Death', type: 'time_to_event' as const, primary: true, event: 'death_1y', eventTime: 'time_1y_d', horizon_d: 365 };
  const none = completenessAudit(table, cohortOfAll(10), spec({ outcomes: [death] }), { attrition, followUpDays });
  assert.deepEqual([item(none, 'bleeding-definition').status, item(none, 'bleeding-definition').completeness], ['not-applicable', null]);
  const unnamed = completenessAudit(table, cohortOfAll(10), spec({ outcomes: [death, { name: 'bleed', label: 'Bleeding', type: 'binary', column: 'barc_major' }] }), { attrition, followUpDays });
  assert.deepEqual([item(unnamed, 'bleeding-definition').status, item(unnamed, 'bleeding-definition').completeness], ['missing', 0]);
  assert.match(item(unnamed, 'bleeding-definition').detail, /names no bleedingDefinition/);
  assert.equal(item(unnamed, 'strobe-7-outcomes').status, 'sparse');
});

test('STROBE / RECORD items: eligibility, time zero, flow, follow-up medians per group, missing data, sensitivity, codes', () => {
  const s = spec({
    inclusion: [{ label: 'SCAI stage C-E at time zero', column: 'scai_stage_t0', op: 'in', value: ['C', 'D', 'E'] }],
    outcomes: [
      { name: 'death', label: 'Death at 1 year', type: 'time_to_event', primary: true, event: 'death_1y', eventTime: 'time_1y_d', horizon_d: 365 },
      { name: 'stroke', label: 'Stroke', type: 'binary', column: 'arrest_coma_t0', negativeControl: true },
    ],
    sensitivity: { eValues: false, bleedingDefinitions: true, calipers: [0.1], trims: [], methods: ['iptw'] },
  });
  const items = completenessAudit(tableFromRows(rows()), cohortOfAll(10), s, { attrition, followUpDays });
  const studyItems = items.filter((i) => i.source !== 'critique');
  assert.deepEqual(studyItems.map((i) => [i.id, i.source, i.status]), [
    ['strobe-6a-eligibility', 'strobe', 'complete'],
    ['strobe-time-zero', 'strobe', 'complete'],
    ['strobe-7-exposure', 'strobe', 'complete'],
    ['strobe-7-outcomes', 'strobe', 'complete'],
    ['strobe-7-covariates', 'strobe', 'complete'],
    ['strobe-12c-missing-data', 'strobe', 'complete'],
    ['strobe-13a-flow', 'strobe', 'complete'],
    ['strobe-14c-follow-up', 'strobe', 'complete'],
    ['strobe-12e-sensitivity', 'strobe', 'complete'],
    ['record-7.1-codes', 'record', 'sparse'],
  ]);
  assert.equal(item(items, 'strobe-6a-eligibility').detail, 'Inclusion: SCAI stage C-E at time zero');
  assert.match(item(items, 'strobe-time-zero').detail, /^first MCS device insertion; in the cohort: device_start 90\.0%, shock_onset 10\.0%/);
  assert.equal(item(items, 'strobe-13a-flow').detail, 'Analysis table rows: 12; Not microaxial pump or IABP: -2 (10 left)');
  // Type-7 quartiles by hand: target 10, 30, 50, 70 -> 40 [25, 55]; comparator 20, 40, 60, 80, 100 -> 60 [40, 80].
  const followUp = item(items, 'strobe-14c-follow-up');
  assert.equal(followUp.completeness, 0.9);
  assert.match(followUp.detail, /microaxial pump 40\.0 d \[IQR 25\.0-55\.0\]; IABP 60\.0 d \[IQR 40\.0-80\.0\]; unknown for 1 of 10 patients/);
  assert.match(item(items, 'strobe-12c-missing-data').detail, /^missing in the cohort: my_score 30\.0%, creatinine_t0_mg_dL 10\.0%; handled by missing-indicator method/);
  assert.equal(item(items, 'strobe-12e-sensitivity').detail, 'calipers 0.1 SD; other adjustment methods (iptw); negative-control outcomes (stroke); crude vs published-style vs critique covariate sets');
  assert.match(item(items, 'record-7.1-codes').detail, /not defined in docs\/dataset\.md: my_score/);
  for (const it of studyItems.filter((i) => i.id !== 'strobe-14c-follow-up')) assert.equal(it.completeness, null, it.id);
});

test('registry source with documented columns only: RECORD 7.1 complete; no criteria: eligibility sparse; no attrition: flow missing', () => {
  const s = spec({ source: { registry: true }, covariates: { published: ['age_years'], critique: ['age_years', 'scai_stage_t0'] } });
  const items = completenessAudit(tableFromRows(rows()), cohortOfAll(10), s, { attrition: [], followUpDays });
  assert.equal(item(items, 'record-7.1-codes').status, 'complete');
  assert.equal(item(items, 'strobe-6a-eligibility').status, 'sparse');
  assert.equal(item(items, 'strobe-13a-flow').status, 'missing');
});
