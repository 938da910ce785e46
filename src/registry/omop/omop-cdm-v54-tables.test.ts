// Facts of the CDM v5.4 description checked against the v5.4 documentation
// (https://ohdsi.github.io/CommonDataModel/cdm54.html): column counts, first and key columns, NOT NULL-ness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTableSql, OMOP_TABLE_NAMES, omopColumns } from './omop-cdm-v54-tables.js';

test('the 8 exported tables with their v5.4 column counts', () => {
  const counts = Object.fromEntries(OMOP_TABLE_NAMES.map((t) => [t, omopColumns(t).length]));
  assert.deepEqual(counts, {
    person: 18, visit_occurrence: 17, measurement: 23, drug_exposure: 23, procedure_occurrence: 16,
    device_exposure: 19, condition_occurrence: 16, death: 7,
  });
});

test('required columns per the documentation', () => {
  const required = (t: (typeof OMOP_TABLE_NAMES)[number]) => omopColumns(t).filter((c) => c.required).map((c) => c.name);
  assert.deepEqual(required('person'), ['person_id', 'gender_concept_id', 'year_of_birth', 'race_concept_id', 'ethnicity_concept_id']);
  assert.deepEqual(required('death'), ['person_id', 'death_date']);
  assert.deepEqual(required('device_exposure'), ['device_exposure_id', 'person_id', 'device_concept_id', 'device_exposure_start_date', 'device_type_concept_id']);
  assert.deepEqual(required('drug_exposure'), [
    'drug_exposure_id', 'person_id', 'drug_concept_id', 'drug_exposure_start_date', 'drug_exposure_end_date', 'drug_type_concept_id',
  ]);
});

test('v5.4 additions are present: measurement_event_id, meas_event_field_concept_id, production_id, unit columns of device_exposure', () => {
  const names = (t: (typeof OMOP_TABLE_NAMES)[number]) => omopColumns(t).map((c) => c.name);
  assert.deepEqual(names('measurement').slice(-2), ['measurement_event_id', 'meas_event_field_concept_id']);
  assert.ok(names('device_exposure').includes('production_id'));
  assert.deepEqual(names('device_exposure').slice(-3), ['unit_concept_id', 'unit_source_value', 'unit_source_concept_id']);
  assert.deepEqual(names('visit_occurrence').slice(12, 16), ['admitted_from_concept_id', 'admitted_from_source_value', 'discharged_to_concept_id', 'discharged_to_source_value']);
});

test('CREATE TABLE statement from the description', () => {
  assert.equal(
    createTableSql('death', 'cdm'),
    'CREATE TABLE cdm.death (\n  person_id INTEGER NOT NULL,\n  death_date DATE NOT NULL,\n  death_datetime TIMESTAMP NULL,\n' +
      '  death_type_concept_id INTEGER NULL,\n  cause_concept_id INTEGER NULL,\n  cause_source_value VARCHAR(50) NULL,\n  cause_source_concept_id INTEGER NULL\n);',
  );
});
