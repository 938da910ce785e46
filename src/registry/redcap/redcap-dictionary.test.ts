import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { examplePath } from '../../../test/support/paths.js';
import { SELECTION_REASONS } from '../../clinical/episode/episode-schema.js';
import { OBSERVATION_CODE_NAMES } from '../../clinical/episode/observation-codes.js';
import { ImportFileError } from '../record.js';
import { parseRedcapDictionary, REDCAP_DICTIONARY_HEADER } from './redcap-dictionary.js';
import { checkRedcapMapping, groupFieldNames, redcapMappingSchema } from './redcap-mapping.js';

const dictionaryText = readFileSync(examplePath('redcap', 'stratum-cs-mcs-data-dictionary.csv'), 'utf8');
const mappingJson: unknown = JSON.parse(readFileSync(examplePath('redcap', 'stratum-cs-mcs-mapping.json'), 'utf8'));
const header = REDCAP_DICTIONARY_HEADER.map((h) => (h.includes(',') ? `"${h}"` : h)).join(',');

test('the shipped dictionary parses, starts with record_id and has the instruments the brief lists', () => {
  const d = parseRedcapDictionary(dictionaryText, 'dict.csv');
  assert.equal(d.recordIdField, 'record_id');
  assert.deepEqual(d.forms, [
    'enrolment', 'shock_presentation', 'device', 'labs_hemodynamics', 'infusion', 'bolus', 'purge', 'organ_support',
    'anticoagulation', 'bleeding', 'other_events', 'follow_up',
  ]);
  // Direct identifiers are flagged so REDCap's de-identified exports drop them.
  for (const name of ['mrn', 'family_name', 'given_name', 'birth_date', 'postal_code']) assert.equal(d.byName.get(name)?.identifier, true, name);
  assert.equal(d.byName.get('age_years')?.identifier, false);
  // Date-times are datetime_ymd; the lab values carry their unit in the note and a min/max.
  assert.equal(d.byName.get('anchor_time')?.validation, 'datetime_ymd');
  const lactate = d.byName.get('lactate_mmol_l');
  assert.equal(lactate?.validation, 'number');
  assert.equal(lactate?.note, 'Unit: mmol/L');
  assert.equal(lactate?.min, '0');
  assert.equal(lactate?.max, '35');
  // Variable names stay within REDCap's recommended 26 characters.
  for (const f of d.fields) assert.ok(f.name.length <= 26, f.name);
});

test('device selection reasons are a checkbox with every SELECTION_REASONS value', () => {
  const d = parseRedcapDictionary(dictionaryText, 'dict.csv');
  const field = d.byName.get('device_selection');
  assert.equal(field?.type, 'checkbox');
  assert.equal(field?.form, 'device');
  assert.deepEqual(field?.choices.map((c) => c.code), [...SELECTION_REASONS]);
});

test('the labs instrument has a field for each main code the brief names', () => {
  const d = parseRedcapDictionary(dictionaryText, 'dict.csv');
  for (const name of ['lactate_mmol_l', 'map_mmhg', 'sbp_mmhg', 'dbp_mmhg', 'heart_rate_per_min', 'creatinine_mg_dl', 'alt_u_l', 'bilirubin_mg_dl',
    'hemoglobin_g_dl', 'platelets_10e9_l', 'anti_xa_iu_ml', 'aptt_s', 'ldh_u_l', 'plasma_free_hb_mg_dl', 'urine_output_ml_h']) {
    assert.equal(d.byName.get(name)?.form, 'labs_hemodynamics', name);
  }
});

test('the shipped mapping is valid and every field it names exists in the shipped dictionary', () => {
  const d = parseRedcapDictionary(dictionaryText, 'dict.csv');
  const mapping = redcapMappingSchema.parse(mappingJson);
  assert.equal(mapping.timezoneOffset, '+01:00');
  assert.deepEqual(mapping.events?.followUp, ['followup_30d_arm_1', 'followup_1y_arm_1']);
  for (const group of mapping.groups) {
    for (const name of groupFieldNames(group)) assert.equal(d.byName.get(name)?.form, group.form, `${group.form}: ${name}`);
  }
  assert.doesNotThrow(() => checkRedcapMapping(mapping, d, 'mapping.json'));
  // Every observation code of the episode format has a field in the labs instrument.
  const mapped = new Set(mapping.groups.flatMap((g) => (g.target === 'observations' ? Object.values(g.values).map((v) => v.code) : [])));
  assert.deepEqual(OBSERVATION_CODE_NAMES.filter((c) => !mapped.has(c)), []);
});

test('a mapping naming a field the dictionary lacks, or leaving a field unmapped, is an error naming it', () => {
  const d = parseRedcapDictionary(dictionaryText, 'dict.csv');
  const mapping = redcapMappingSchema.parse(mappingJson);
  const wrong = structuredClone(mapping);
  const root = wrong.groups[0];
  assert.equal(root.target, 'root');
  if (root.target === 'root') root.fields['lactate'] = 'episode.clinical.notes';
  assert.throws(() => checkRedcapMapping(wrong, d, 'm.json'), (e: unknown) => e instanceof ImportFileError && e.value === 'lactate' && e.file === 'm.json');
  const missing = structuredClone(mapping);
  if (missing.groups[0].target === 'root') delete missing.groups[0].fields['mrn'];
  assert.throws(() => checkRedcapMapping(missing, d, 'm.json'), (e: unknown) => e instanceof ImportFileError && e.value === 'mrn');
  missing.ignore.push('mrn');
  assert.doesNotThrow(() => checkRedcapMapping(missing, d, 'm.json'));
});

test('the mapping schema rejects an observation unit its code does not accept', () => {
  const bad = structuredClone(mappingJson) as { groups: { target: string; values?: Record<string, { unit: string }> }[] };
  const labs = bad.groups.find((g) => g.target === 'observations');
  if (labs?.values) labs.values['lactate_mmol_l'].unit = 'g/L';
  const result = redcapMappingSchema.safeParse(bad);
  assert.equal(result.success, false);
  assert.match(String(result.error?.issues[0].message), /'g\/L' is not accepted for lactate_mmol_L/);
});

test('a broken dictionary is an ImportFileError naming line, column and value', () => {
  const row = (cells: string[]): string => [...cells, ...Array(18 - cells.length).fill('')].join(',');
  const cases: { text: string; field: RegExp; value: string }[] = [
    { text: `Variable,Form\nrecord_id,demo\n`, field: /header column 1/, value: 'Variable' },
    { text: `${header}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n${row(['sex', 'demo', '', 'pulldown', 'Sex'])}\n`, field: /line 3, Field Type/, value: 'pulldown' },
    { text: `${header}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n${row(['sex', 'demo', '', 'radio', 'Sex', ''])}\n`, field: /line 3, Choices/, value: '(empty)' },
    { text: `${header}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n${row(['Age', 'demo', '', 'text', 'Age'])}\n`, field: /line 3, Variable/, value: 'Age' },
    { text: `${header}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n${row(['age', 'demo', '', 'text', 'Age', '', '', 'integer', 'zero'])}\n`, field: /line 3, Text Validation Min/, value: 'zero' },
    { text: `${header}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n`, field: /line 3, Variable/, value: 'record_id' },
    { text: `${header}\n${row(['record_id', 'demo', '', 'text', 'Id'])}\n"unclosed,demo\n`, field: /\(csv\)/, value: '' },
  ];
  for (const c of cases) {
    assert.throws(() => parseRedcapDictionary(c.text, 'd.csv'), (e: unknown) => {
      assert.ok(e instanceof ImportFileError, String(e));
      assert.match(e.field, c.field);
      if (c.value !== '') assert.equal(e.value, c.value);
      return true;
    });
  }
});

test('choices parse as code, label pairs, labels keeping their commas', () => {
  const text = `${header}\nrecord_id,demo,,text,Id,,,,,,,,,,,,,\ncolour,demo,,dropdown,Colour,"1, Red, dark | 2, Blue",,,,,,,,,,,,\n`;
  const d = parseRedcapDictionary(text, 'd.csv');
  assert.deepEqual(d.byName.get('colour')?.choices, [{ code: '1', label: 'Red, dark' }, { code: '2', label: 'Blue' }]);
  assert.equal(d.byName.get('colour')?.line, 3);
});
