import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromRows, type TestCell } from '../../test/support/analysis-table.js';
import { DataError } from '../data/data-error.js';
import { checkStudyColumns, selectCohort } from './cohort.js';
import { studySpecSchema, type StudySpec, type StudySpecInput } from './study-spec.js';

function spec(overrides: Partial<StudySpecInput> = {}): StudySpec {
  const base: StudySpecInput = {
    title: 'test',
    source: { csv: 'x.csv' },
    timeZero: { definition: 'device start' },
    treatment: { column: 'device_group_t0', target: 'microaxial', comparator: 'iabp', targetLabel: 'microaxial pump', comparatorLabel: 'IABP' },
    outcomes: [{ name: 'death', label: 'Death at 1 year', type: 'time_to_event', primary: true, event: 'death_1y', eventTime: 'time_1y_d', horizon_d: 365 }],
    covariates: { published: ['age_years'], critique: ['age_years', 'scai_stage_t0'] },
    adjustment: { method: 'match' },
  };
  return studySpecSchema.parse({ ...base, ...overrides });
}

// Ten patients; missing values placed so that each step shows its rule for them (see the expected counts).
const ROWS: Array<Record<string, TestCell>> = [
  { device_group_t0: 'microaxial', scai_stage_t0: 'C', age_years: 60, arrest_coma_t0: 0 }, // 0 kept
  { device_group_t0: 'iabp', scai_stage_t0: 'D', age_years: 70, arrest_coma_t0: 1 }, //       1 excluded: coma
  { device_group_t0: 'microaxial', scai_stage_t0: null, age_years: 55, arrest_coma_t0: 0 }, // 2 stage missing: fails inclusion
  { device_group_t0: 'ecmo', scai_stage_t0: 'E', age_years: 50, arrest_coma_t0: 0 }, //       3 other device
  { device_group_t0: 'iabp', scai_stage_t0: 'B', age_years: 80, arrest_coma_t0: null }, //    4 stage B
  { device_group_t0: null, scai_stage_t0: 'C', age_years: 65, arrest_coma_t0: 0 }, //         5 device missing
  { device_group_t0: 'iabp', scai_stage_t0: 'C', age_years: null, arrest_coma_t0: 0 }, //     6 age missing: fails inclusion
  { device_group_t0: 'microaxial', scai_stage_t0: 'E', age_years: 45, arrest_coma_t0: 1 }, // 7 excluded: coma
  { device_group_t0: 'iabp', scai_stage_t0: 'D', age_years: 90, arrest_coma_t0: null }, //    8 coma missing: not excluded, kept
  { device_group_t0: 'microaxial', scai_stage_t0: 'C', age_years: 30, arrest_coma_t0: 0 }, // 9 too young
];

const OUTCOME_COLUMNS = { death_1y: 0, time_1y_d: 365, death: 0, death_d: null, last_known_alive_d: 400, time_zero_source: 'device_start' };

test('attrition on a small table with missing values: each step removes what its rule says, missing handled per rule', () => {
  const table = tableFromRows(ROWS);
  const s = spec({
    inclusion: [
      { label: 'SCAI stage C-E at time zero', column: 'scai_stage_t0', op: 'in', value: ['C', 'D', 'E'] },
      { label: 'Age 40 or older', column: 'age_years', op: 'gte', value: 40 },
    ],
    exclusion: [{ label: 'Cardiac arrest with coma', column: 'arrest_coma_t0', op: 'eq', value: 1 }],
  });
  const { cohort, attrition } = selectCohort(table, s);
  assert.deepEqual(attrition, [
    { label: 'Analysis table rows', kind: 'start', excluded: 0, remaining: 10 },
    { label: 'Inclusion: SCAI stage C-E at time zero', kind: 'inclusion', excluded: 2, remaining: 8 }, // rows 2 (missing), 4 (B)
    { label: 'Inclusion: Age 40 or older', kind: 'inclusion', excluded: 2, remaining: 6 }, //           rows 6 (missing), 9 (30)
    { label: 'Exclusion: Cardiac arrest with coma', kind: 'exclusion', excluded: 2, remaining: 4 }, //  rows 1, 7; row 8 (missing) stays
    { label: 'Not microaxial pump or IABP', kind: 'treatment', excluded: 2, remaining: 2 }, //         rows 3 (ecmo), 5 (missing)
  ]);
  assert.deepEqual([...cohort.rows], [0, 8]);
  assert.deepEqual([...cohort.treated], [1, 0]);
});

test('registry source: the start row is "Registry episodes"; no criteria: only the treatment filter', () => {
  const { cohort, attrition } = selectCohort(tableFromRows(ROWS), spec({ source: { registry: true } }));
  assert.deepEqual(attrition, [
    { label: 'Registry episodes', kind: 'start', excluded: 0, remaining: 10 },
    { label: 'Not microaxial pump or IABP', kind: 'treatment', excluded: 2, remaining: 8 },
  ]);
  assert.deepEqual([...cohort.rows], [0, 1, 2, 4, 6, 7, 8, 9]);
  assert.deepEqual([...cohort.treated], [1, 0, 1, 0, 0, 1, 0, 1]);
});

test('ne / notIn inclusion drop missing cells; ne / notIn exclusion keep them; present and missing test emptiness', () => {
  const table = tableFromRows(ROWS);
  const remainingAfter = (s: StudySpec): number[] => selectCohort(table, s).attrition.map((a) => a.remaining);
  // Inclusion "stage is not B": rows 2 (missing) and 4 (B) fail.
  assert.deepEqual(remainingAfter(spec({ inclusion: [{ label: 'x', column: 'scai_stage_t0', op: 'ne', value: 'B' }] })), [10, 8, 6]);
  // Exclusion "stage not in C, D, E": removes row 4 only; the missing stage (row 2) is not known to be outside.
  assert.deepEqual(remainingAfter(spec({ exclusion: [{ label: 'x', column: 'scai_stage_t0', op: 'notIn', value: ['C', 'D', 'E'] }] })), [10, 9, 7]);
  // Exclusion "coma missing": removes rows 4 and 8.
  assert.deepEqual(remainingAfter(spec({ exclusion: [{ label: 'x', column: 'arrest_coma_t0', op: 'missing' }] })), [10, 8, 6]);
  // Inclusion "age present": removes row 6; "age < 50" keeps 7 and 9 of the rest, and row 6 (missing) is not < 50.
  assert.deepEqual(remainingAfter(spec({ inclusion: [{ label: 'x', column: 'age_years', op: 'present' }] })), [10, 9, 7]);
  assert.deepEqual(remainingAfter(spec({ inclusion: [{ label: 'x', column: 'age_years', op: 'lt', value: 50 }] })), [10, 2, 2]);
  assert.deepEqual(remainingAfter(spec({ inclusion: [{ label: 'x', column: 'age_years', op: 'gt', value: 60 }] })), [10, 4, 3]); // 70, 80, 65, 90
  assert.deepEqual(remainingAfter(spec({ inclusion: [{ label: 'x', column: 'age_years', op: 'lte', value: 60 }] })), [10, 5, 4]); // 60, 55, 50, 45, 30
});

test('numbers compare as numbers: a 0/1 treatment column with target 1, and a text value "1.0" on a numeric column', () => {
  const table = tableFromRows([
    { pump: 1, coma: 0 },
    { pump: 0, coma: 1 },
    { pump: null, coma: 0 },
    { pump: 2, coma: 0 },
    { pump: 0, coma: null },
  ]);
  const s = spec({
    treatment: { column: 'pump', target: 1, comparator: '0', targetLabel: 'pump', comparatorLabel: 'no pump' },
    exclusion: [{ label: 'coma', column: 'coma', op: 'eq', value: '1.0' }],
  });
  const { cohort, attrition } = selectCohort(table, s);
  assert.deepEqual(attrition.map((a) => a.excluded), [0, 1, 2]);
  assert.deepEqual([...cohort.rows], [0, 4]);
  assert.deepEqual([...cohort.treated], [1, 0]);
});

test('a comparison op on a text column is a DataError naming the spec path and column', () => {
  const s = spec({ inclusion: [{ label: 'x', column: 'scai_stage_t0', op: 'gte', value: 3 }] });
  assert.throws(() => selectCohort(tableFromRows(ROWS), s), (e: unknown) => e instanceof DataError && /inclusion\[0\]/.test(e.message) && /scai_stage_t0/.test(e.message));
});

test('checkStudyColumns: every missing column with its spec path, a hint for a near name, text where numbers are needed, unknown treatment values', () => {
  const table = tableFromRows(ROWS.map((r) => ({ ...r, ...OUTCOME_COLUMNS })));
  assert.deepEqual(checkStudyColumns(table, spec()), []);
  const problems = checkStudyColumns(
    table,
    spec({
      treatment: { column: 'device_group_t0', target: 'Microaxial', comparator: 'iabp', targetLabel: 'pump', comparatorLabel: 'IABP' },
      inclusion: [
        { label: 'stage', column: 'scai_stage_t0', op: 'gte', value: 3 },
        { label: 'age', column: 'age_years', op: 'eq', value: 'old' },
      ],
      outcomes: [
        { name: 'death', label: 'Death', type: 'time_to_event', primary: true, event: 'death_1y', eventTime: 'time1y_d', horizon_d: 365 },
        { name: 'bleed', label: 'Bleeding', type: 'binary', column: 'barc_major' },
      ],
      covariates: { published: ['age_years'], critique: ['age_years', 'sofa_t0'] },
      strata: [{ column: 'scai_stage_t0', label: 'SCAI stage' }],
    }),
  );
  assert.deepEqual(problems, [
    "inclusion[0].column: column 'scai_stage_t0' holds text (e.g. 'B'); expected numbers",
    "outcomes[0].eventTime: column 'time1y_d' not found in the table (did you mean 'time_1y_d'?)",
    "outcomes[1].column: column 'barc_major' not found in the table",
    "covariates.critique[1]: column 'sofa_t0' not found in the table",
    "treatment.target: value 'Microaxial' does not occur in column 'device_group_t0' (values: ecmo, iabp, microaxial)",
    "inclusion[1].value: 'old' is not a number, but column 'age_years' holds numbers (e.g. 30, 45, 50, 55, 60, ...)",
  ]);
});

test('checkStudyColumns: a claims extract without the follow-up and time-zero columns names each field', () => {
  const table = tableFromRows([{ device_group_t0: 'microaxial', age_years: 60, scai_stage_t0: 'C', death_1y: 0, time_1y_d: 100 }, { device_group_t0: 'iabp', age_years: 61, scai_stage_t0: 'D', death_1y: 1, time_1y_d: 3 }]);
  assert.deepEqual(checkStudyColumns(table, spec()), [
    "timeZero.column: column 'time_zero_source' not found in the table",
    "followUp.death: column 'death' not found in the table",
    "followUp.deathTime: column 'death_d' not found in the table",
    "followUp.lastKnownAlive: column 'last_known_alive_d' not found in the table",
  ]);
});

test('selectCohort on 1,000,000 rows with three criteria takes well under a second', () => {
  const n = 1_000_000;
  const levels = ['iabp', 'microaxial', 'ecmo'];
  const stages = ['A', 'B', 'C', 'D', 'E'];
  const columns = [
    { kind: 'categorical' as const, name: 'device_group_t0', levels, codes: Int32Array.from({ length: n }, (_, i) => i % 3) },
    { kind: 'categorical' as const, name: 'scai_stage_t0', levels: stages, codes: Int32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i % 5)) },
    { kind: 'numeric' as const, name: 'age_years', values: Float64Array.from({ length: n }, (_, i) => 20 + (i % 70)) },
  ];
  const s = spec({
    inclusion: [
      { label: 'stage', column: 'scai_stage_t0', op: 'in', value: ['C', 'D', 'E'] },
      { label: 'age', column: 'age_years', op: 'gte', value: 18 },
    ],
    exclusion: [{ label: 'old', column: 'age_years', op: 'gt', value: 85 }],
  });
  const start = performance.now();
  const { cohort } = selectCohort({ nRows: n, columns }, s);
  const ms = performance.now() - start;
  assert.ok(cohort.rows.length > 0);
  assert.ok(ms < 1000, `selectCohort took ${ms.toFixed(0)} ms`);
});
