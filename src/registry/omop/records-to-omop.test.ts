// Worked mapping cases: expected rows written from the OMOP CDM v5.4 conventions (documentation at
// https://ohdsi.github.io/CommonDataModel/cdm54.html) and the hand-built record, not from the exporter's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../../test/support/close.js';
import type { RegistryRecord } from '../record.js';
import { OmopExportError, omopTablesToCsv, recordsToOmop } from './records-to-omop.js';
import { exampleRecords, WORKED_RECORD } from './__fixtures__/records.js';

const tables = recordsToOmop([WORKED_RECORD]);

test('person: female (8532), birth from the identity, race and ethnicity not recorded (0)', () => {
  assert.equal(tables.person.length, 1);
  const p = tables.person[0]!;
  assert.equal(p.person_id, 1);
  assert.equal(p.gender_concept_id, 8532);
  assert.equal(p.year_of_birth, 1958);
  assert.equal(p.month_of_birth, 3);
  assert.equal(p.day_of_birth, 14);
  assert.equal(p.race_concept_id, 0);
  assert.equal(p.ethnicity_concept_id, 0);
  assert.equal(p.person_source_value, 'site-01/p-001');
  assert.equal(p.gender_source_value, 'female');
});

test('visit_occurrence: one inpatient visit (9201, EHR 32817) from admission to the last record, in UTC', () => {
  assert.equal(tables.visit_occurrence.length, 1);
  const v = tables.visit_occurrence[0]!;
  assert.equal(v.visit_concept_id, 9201);
  assert.equal(v.visit_type_concept_id, 32817);
  // admission 22:00 at +02:00 = 20:00 UTC; last record = the death at 03:15 +02:00 = 01:15 UTC.
  assert.equal(v.visit_start_date, '2026-03-01');
  assert.equal(v.visit_start_datetime, '2026-03-01 20:00:00');
  assert.equal(v.visit_end_date, '2026-03-06');
  assert.equal(v.visit_end_datetime, '2026-03-06 01:15:00');
  assert.equal(v.visit_source_value, 'ep-001');
  assert.equal(v.person_id, 1);
});

test('measurement: lactate entered as 36 mg/dL is exported in mmol/L with LOINC 32693-4 and its source value', () => {
  const m = tables.measurement.find((r) => r.measurement_source_value === '32693-4');
  assert.ok(m, 'a lactate row with LOINC 32693-4 (Lactate [Moles/volume] in Blood)');
  // mmol/L = mg/dL × 10 / 90.08 (lactate molar mass 90.08 g/mol, clinical reference section 8).
  assertClose(m.value_as_number, (36 * 10) / 90.08, 1e-9, 'lactate mmol/L');
  assert.equal(m.unit_source_value, 'mmol/L');
  assert.equal(m.unit_concept_id, 8753); // millimole per liter
  assert.equal(m.value_source_value, '36 mg/dL');
  assert.equal(m.operator_concept_id, null);
  assert.equal(m.measurement_concept_id, 0);
  assert.equal(m.measurement_type_concept_id, 32817);
  // 01:00 at +02:00 = 23:00 UTC the day before.
  assert.equal(m.measurement_date, '2026-03-01');
  assert.equal(m.measurement_datetime, '2026-03-01 23:00:00');
  assert.equal(m.visit_occurrence_id, 1);
});

test('measurement: an aPTT reported as "> 150 s" carries operator 4172704 (>) and value 150', () => {
  const m = tables.measurement.find((r) => r.measurement_source_value === '3173-2');
  assert.ok(m, 'an aPTT row with LOINC 3173-2');
  assert.equal(m.operator_concept_id, 4172704);
  assert.equal(m.value_as_number, 150);
  assert.equal(m.unit_concept_id, 8555); // second
  assert.equal(m.value_source_value, '>150 s');
  assert.equal(m.measurement_datetime, '2026-03-02 05:00:00');
});

test('measurement: "<" censoring is operator 4171756 and a code without LOINC keeps the Stratum code', () => {
  const r: RegistryRecord = {
    ...WORKED_RECORD,
    episode: {
      ...WORKED_RECORD.episode,
      observations: [
        { time: '2026-03-02T08:00:00+02:00', code: 'haptoglobin_mg_dL', value: 10, unit: 'mg/dL', censored: 'lt' },
        { time: '2026-03-02T08:00:00+02:00', code: 'rap_mmHg', value: 14 },
      ],
    },
  };
  const t = recordsToOmop([r]);
  const hapto = t.measurement[0]!;
  assert.equal(hapto.operator_concept_id, 4171756);
  assert.equal(hapto.measurement_source_value, '4542-7');
  assert.equal(hapto.unit_concept_id, 8840); // milligram per deciliter
  const rap = t.measurement[1]!;
  assert.equal(rap.measurement_source_value, 'rap_mmHg');
  assert.equal(rap.unit_source_value, 'mm[Hg]');
  assert.equal(rap.unit_concept_id, 8876); // millimeter mercury column
});

test('drug_exposure: heparin infusion with start, end and rate; concept 0 with the drug as source value', () => {
  assert.equal(tables.drug_exposure.length, 1);
  const d = tables.drug_exposure[0]!;
  assert.equal(d.drug_concept_id, 0);
  assert.equal(d.drug_source_value, 'ufh');
  assert.equal(d.drug_type_concept_id, 32817);
  assert.equal(d.drug_exposure_start_datetime, '2026-03-02 00:00:00');
  assert.equal(d.drug_exposure_end_datetime, '2026-03-03 00:00:00');
  assert.equal(d.drug_exposure_start_date, '2026-03-02');
  assert.equal(d.drug_exposure_end_date, '2026-03-03');
  assert.equal(d.verbatim_end_date, '2026-03-03');
  assert.equal(d.dose_unit_source_value, '[IU]/kg/h');
  assert.match(d.sig ?? '', /12 \[IU\]\/kg\/h/);
});

test('device_exposure and procedure_occurrence: the Impella CP with insertion and removal', () => {
  assert.equal(tables.device_exposure.length, 1);
  const d = tables.device_exposure[0]!;
  assert.equal(d.device_source_value, 'microaxial/Impella CP');
  assert.equal(d.device_concept_id, 0);
  assert.equal(d.device_type_concept_id, 32817);
  assert.equal(d.device_exposure_start_datetime, '2026-03-01 23:30:00');
  assert.equal(d.device_exposure_start_date, '2026-03-01');
  assert.equal(d.device_exposure_end_datetime, '2026-03-05 08:00:00');
  assert.equal(d.quantity, 1);
  assert.equal(tables.procedure_occurrence.length, 1);
  const p = tables.procedure_occurrence[0]!;
  assert.equal(p.procedure_source_value, 'microaxial_insertion');
  assert.equal(p.procedure_datetime, '2026-03-01 23:30:00');
  assert.equal(p.modifier_source_value, 'femoral right');
});

test('condition_occurrence: cardiogenic shock at shock onset with its etiology', () => {
  assert.equal(tables.condition_occurrence.length, 1);
  const c = tables.condition_occurrence[0]!;
  assert.equal(c.condition_source_value, 'cardiogenic_shock/AMI');
  assert.equal(c.condition_start_datetime, '2026-03-01 21:00:00');
  assert.equal(c.condition_concept_id, 0);
  assert.equal(c.condition_type_concept_id, 32817);
});

test('death: date and time in UTC, cause kept as source value', () => {
  assert.deepEqual(tables.death, [
    { person_id: 1, death_date: '2026-03-06', death_datetime: '2026-03-06 01:15:00', death_type_concept_id: 32817, cause_concept_id: 0, cause_source_value: 'bleeding', cause_source_concept_id: null },
  ]);
});

test('CSV: header in CDM order, NULL as an empty field, timestamps with a space', () => {
  const files = omopTablesToCsv(tables);
  assert.deepEqual([...files.keys()].sort(), [
    'condition_occurrence.csv', 'death.csv', 'device_exposure.csv', 'drug_exposure.csv', 'measurement.csv', 'person.csv',
    'procedure_occurrence.csv', 'visit_occurrence.csv',
  ]);
  assert.equal(
    files.get('death.csv'),
    'person_id,death_date,death_datetime,death_type_concept_id,cause_concept_id,cause_source_value,cause_source_concept_id\n' +
      '1,2026-03-06,2026-03-06 01:15:00,32817,0,bleeding,\n',
  );
  const person = files.get('person.csv')!.split('\n');
  assert.equal(person[0], 'person_id,gender_concept_id,year_of_birth,month_of_birth,day_of_birth,birth_datetime,race_concept_id,ethnicity_concept_id,location_id,provider_id,care_site_id,person_source_value,gender_source_value,gender_source_concept_id,race_source_value,race_source_concept_id,ethnicity_source_value,ethnicity_source_concept_id');
  assert.equal(person[1], '1,8532,1958,3,14,,0,0,,,,site-01/p-001,female,,,,,');
});

test('age only: year_of_birth = anchor year minus age, month and day unknown; other sex is gender 0', () => {
  const r: RegistryRecord = {
    site: 's', patient: { sourceId: 'x' },
    episode: { ...WORKED_RECORD.episode, demographics: { age_years: 67.9, sex: 'other' } },
  };
  const p = recordsToOmop([r]).person[0]!;
  assert.equal(p.year_of_birth, 2026 - 67);
  assert.equal(p.month_of_birth, null);
  assert.equal(p.day_of_birth, null);
  assert.equal(p.gender_concept_id, 0);
});

test('two episodes of one patient: one person, two visits; ids are deterministic', () => {
  const second: RegistryRecord = { ...WORKED_RECORD, episode: { ...WORKED_RECORD.episode, id: 'ep-002', events: [] } };
  const t = recordsToOmop([WORKED_RECORD, second]);
  assert.equal(t.person.length, 1);
  assert.deepEqual(t.visit_occurrence.map((v) => [v.visit_occurrence_id, v.person_id, v.visit_source_value]), [[1, 1, 'ep-001'], [2, 1, 'ep-002']]);
  assert.deepEqual(t.measurement.map((m) => m.measurement_id), [1, 2, 3, 4]);
  assert.deepEqual(recordsToOmop([WORKED_RECORD, second]), t);
});

test('bad input: every problem is reported with field, value and expectation', () => {
  const noBirth: RegistryRecord = { site: 's', patient: { sourceId: 'a' }, episode: { ...WORKED_RECORD.episode, demographics: { sex: 'male' } } };
  const badDate: RegistryRecord = { site: 's', patient: { sourceId: 'b', birthDate: '1958-02-30' }, episode: WORKED_RECORD.episode };
  const badUnit: RegistryRecord = {
    site: 's', patient: { sourceId: 'c', birthDate: '1950-01-01' },
    episode: { ...WORKED_RECORD.episode, observations: [{ time: '2026-03-02T01:00:00+02:00', code: 'lactate_mmol_L', value: 3, unit: 'furlong' }] },
  };
  const err = (() => {
    try {
      recordsToOmop([noBirth, badDate, badUnit]);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof OmopExportError, 'throws OmopExportError');
  const byRecord = (i: number) => err.problems.filter((p) => p.record === i);
  assert.equal(byRecord(0)[0]?.path, 'patient.birthDate');
  assert.match(byRecord(0)[0]?.expected ?? '', /age_years/);
  assert.equal(byRecord(1)[0]?.path, 'patient.birthDate');
  assert.equal(byRecord(1)[0]?.value, '1958-02-30');
  assert.equal(byRecord(2)[0]?.path, 'observations[0].unit');
  assert.equal(byRecord(2)[0]?.value, 'furlong');
});

test('a source value longer than the CDM column is an error, not a silent truncation', () => {
  const long: RegistryRecord = { ...WORKED_RECORD, episode: { ...WORKED_RECORD.episode, id: 'e'.repeat(51) } };
  assert.throws(() => recordsToOmop([long]), (e: unknown) => e instanceof OmopExportError && e.problems.some((p) => p.path === 'visit_occurrence[0].visit_source_value' && /1 to 50 characters/.test(p.expected)));
});

test('every example episode exports', () => {
  const examples = exampleRecords();
  assert.ok(examples.length >= 20);
  for (const { file, record } of examples) {
    assert.doesNotThrow(() => recordsToOmop([record]), file);
  }
  const t = recordsToOmop(examples.map((x) => x.record));
  assert.equal(t.person.length, examples.length);
  assert.equal(t.visit_occurrence.length, examples.length);
  // bleeding-fatal-definite and bleeding-fatal-probable record a death.
  assert.equal(t.death.length, 2);
  // hemolysis-impella: purge heparin 50 IU/mL at 9 mL/h = 450 IU/h (reference 7.1: concentration × flow).
  const visit = t.visit_occurrence.find((v) => v.visit_source_value === 'ex-hemolysis-impella')!;
  const purge = t.drug_exposure.find((d) => d.visit_occurrence_id === visit.visit_occurrence_id && d.route_source_value === 'microaxial_purge');
  assert.ok(purge);
  assert.equal(purge.drug_source_value, 'ufh');
  assert.match(purge.sig ?? '', /= 450 \[IU\]\/h/);
  assert.equal(purge.verbatim_end_date, null);
});
