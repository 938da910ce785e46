import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { examplePath, repoRoot } from '../../../test/support/paths.js';
import { ImportFileError, type Rejection } from '../record.js';
import { parseRedcapDictionary } from './redcap-dictionary.js';
import { redcapMappingSchema, type RedcapMapping } from './redcap-mapping.js';
import { redcapExportToRecords } from './redcap-import.js';

const dictionary = parseRedcapDictionary(readFileSync(examplePath('redcap', 'stratum-cs-mcs-data-dictionary.csv'), 'utf8'), 'stratum-cs-mcs-data-dictionary.csv');
const mapping: RedcapMapping = redcapMappingSchema.parse(JSON.parse(readFileSync(examplePath('redcap', 'stratum-cs-mcs-mapping.json'), 'utf8')));
// The fixture is read from the source tree (tests run from dist/).
const here = dirname(fileURLToPath(import.meta.url)).replace(join(repoRoot, 'dist'), repoRoot);
const fixture = readFileSync(join(here, '__fixtures__', 'longitudinal-export.csv'), 'utf8');
const now = new Date('2027-06-01T00:00:00Z');
const options = { file: 'export.csv', site: 'site-01', now };

/** The fixture with one cell changed: `line` is the physical line of the row (header = 1, row R001 baseline = 2). */
function edit(text: string, changes: { line: number; column: string; value: string }[]): string {
  const rows = parse(text, { info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const header = rows[0].record;
  const table = rows.map((r) => [...r.record]);
  // Lines of the fixture's rows: the R001 baseline row spans lines 2-3, so row index i (>= 2) starts on line i + 2.
  for (const c of changes) {
    const index = c.line === 2 ? 1 : c.line - 2;
    const col = header.indexOf(c.column);
    assert.ok(col >= 0, c.column);
    table[index][col] = c.value;
  }
  return stringify(table, { record_delimiter: 'unix' });
}

function only(rejections: readonly Rejection[], field: string): Rejection {
  const found = rejections.filter((r) => r.field === field);
  assert.equal(found.length, 1, `one rejection for ${field}: ${JSON.stringify(rejections)}`);
  return found[0];
}

test('a longitudinal export with repeating instruments imports with the values of the fixture', () => {
  const result = redcapExportToRecords(fixture, dictionary, mapping, options);
  assert.deepEqual(result.rejections, []);
  assert.equal(result.rowsRead, 14);
  assert.equal(result.records.length, 2);
  const [r1, r2] = result.records;

  assert.equal(r1.site, 'site-01');
  assert.deepEqual(r1.patient, { sourceId: 'R001', mrn: 'MRN-0001', birthDate: '1958-03-14' });
  const e = r1.episode;
  assert.equal(e.id, 'R001');
  assert.deepEqual(e.anchor, { kind: 'device_start', time: '2026-02-10T08:30:00+01:00' });
  assert.deepEqual(e.demographics, { age_years: 67, sex: 'male', weight: 82.5 });
  assert.deepEqual(e.clinical, { etiology: 'AMI', notes: 'Transferred from\nregional hospital' });
  assert.deepEqual(e.devices, [
    { kind: 'microaxial', model: 'Impella CP', insertion: '2026-02-10T08:30:00+01:00', selectionReasons: ['lv_unloading', 'persistent_hypotension_despite_vasoactives'] },
    { kind: 'iabp', insertion: '2026-02-09T22:00:00+01:00' },
  ]);
  // Compared in time then code order (the import writes an instance's values in dictionary order).
  const byTimeCode = (o: { time: string; code: string }[] | undefined): unknown[] => [...(o ?? [])].sort((a, b) => a.time.localeCompare(b.time) || a.code.localeCompare(b.code));
  assert.deepEqual(byTimeCode(e.observations), [
    { time: '2026-02-10T08:00:00+01:00', code: 'lactate_mmol_L', value: 6.2, unit: 'mmol/L' },
    { time: '2026-02-10T08:00:00+01:00', code: 'map_mmHg', value: 58, unit: 'mm[Hg]' },
    { time: '2026-02-10T14:00:00+01:00', code: 'lactate_mmol_L', value: 3.1, unit: 'mmol/L' },
  ]);
  assert.deepEqual(e.infusions, [
    { drug: 'norepinephrine', rate: 0.3, rateUnit: 'ug/kg/min', start: '2026-02-10T07:00:00+01:00' },
    { drug: 'ufh', rate: 900, rateUnit: '[IU]/h', start: '2026-02-10T09:00:00+01:00' },
  ]);
  // Events in time order: the presenting arrest (07:50), the bleed, the transfusion that treated it (bleeding instance 1).
  assert.deepEqual(e.events, [
    { kind: 'cardiac_arrest', time: '2026-02-10T07:50:00+01:00', comaAfterArrest: true },
    { kind: 'bleeding', time: '2026-02-11T03:00:00+01:00', facts: { site: 'access_site', overt: true, hbBaseline: { value: 11.2 } } },
    { kind: 'transfusion', time: '2026-02-11T04:00:00+01:00', product: 'rbc', units: 2, forBleedingEvent: 1 },
  ]);
  // The latest follow-up contact (1 year) is the episode's follow-up.
  assert.deepEqual(e.followUp, { lastKnownAlive: '2027-02-10T09:00:00+01:00' });
  // Physical lines: the baseline row's notes span lines 2-3, so the first device instance is on line 4.
  assert.equal(r1.sourceRows?.[''], 2);
  assert.equal(r1.sourceRows?.['devices[0]'], 4);
  assert.equal(r1.sourceRows?.['observations[2]'], 7);
  assert.equal(r1.sourceRows?.['events[2]'], 11);
  assert.equal(r1.sourceRows?.['followUp'], 13);

  assert.equal(r2.episode.id, 'R002');
  assert.deepEqual(r2.episode.clinical, { etiology: 'HF-acute-on-chronic' });
  assert.deepEqual(r2.episode.devices, [{ kind: 'va_ecmo', insertion: '2026-03-01T13:15:00+01:00', selectionReasons: ['persistent_hypotension_despite_vasoactives'] }]);
  // No presenting arrest (arrest_present = 0); death recorded at the 1-year follow-up.
  assert.deepEqual(r2.episode.events, [{ kind: 'death', time: '2026-06-20T05:30:00+01:00' }]);
});

test('a classic export (no events) imports with a mapping without events', () => {
  const classic = structuredClone(mapping);
  delete classic.events;
  const rows = (parse(fixture) as string[][]).filter((r, i) => i === 0 || r[0] === 'R002').map((r) => r.filter((_, c) => c !== 1));
  // R002's two non-repeating rows (baseline and follow-up) become one row in a classic project.
  const header = rows[0];
  const merged = rows[1].map((v, c) => v || rows[3][c]);
  const text = stringify([header, merged, rows[2]], { record_delimiter: 'unix' });
  const result = redcapExportToRecords(text, dictionary, classic, options);
  assert.deepEqual(result.rejections, []);
  assert.equal(result.records[0].episode.events?.[0].kind, 'death');
  assert.throws(() => redcapExportToRecords(fixture, dictionary, classic, options), (e: unknown) => e instanceof ImportFileError && e.field === 'redcap_event_name');
});

test('an export that does not match its dictionary is an ImportFileError naming the column', () => {
  const extra = fixture.replace('lactate_mmol_l,', 'lactate,');
  assert.throws(() => redcapExportToRecords(extra, dictionary, mapping, options), (e: unknown) => {
    assert.ok(e instanceof ImportFileError);
    assert.equal(e.value, 'lactate');
    assert.match(e.message, /export\.csv: column 24: got lactate; expected a field of the data dictionary/);
    return true;
  });
  const badBox = fixture.replace('device_selection___lv_unloading', 'device_selection___lv_support');
  assert.throws(() => redcapExportToRecords(badBox, dictionary, mapping, options), (e: unknown) => e instanceof ImportFileError && e.value === 'device_selection___lv_support');
  const noId = fixture.replace(/^record_id,/, 'study_id,');
  assert.throws(() => redcapExportToRecords(noId, dictionary, mapping, options), (e: unknown) => e instanceof ImportFileError && e.value === 'study_id');
  const truncated = fixture.slice(0, fixture.indexOf('regional'));
  assert.throws(() => redcapExportToRecords(truncated, dictionary, mapping, options), (e: unknown) => e instanceof ImportFileError && e.field === '(csv)');
});

test('a value that is not a choice code is rejected with its line, and the record is not imported', () => {
  const result = redcapExportToRecords(edit(fixture, [{ line: 2, column: 'sex', value: 'm' }]), dictionary, mapping, options);
  const r = only(result.rejections, 'sex');
  assert.equal(r.row, 2);
  assert.equal(r.value, 'm');
  assert.match(r.reason, /not a choice of sex: expected one of the choice codes female, male, other, unknown/);
  const summary = only(result.rejections, 'record_id');
  assert.equal(summary.value, 'R001');
  assert.match(summary.reason, /record not imported/);
  assert.deepEqual(result.records.map((x) => x.episode.id), ['R002']);
});

test('invalid dates and numbers, and values outside min/max, are rejected', () => {
  const text = edit(fixture, [
    { line: 4, column: 'device_insertion', value: '2026-02-30 08:30' },
    { line: 6, column: 'lactate_mmol_l', value: '6,2' },
    { line: 7, column: 'lactate_mmol_l', value: '40' },
    { line: 14, column: 'age_years', value: '54.5' },
  ]);
  const result = redcapExportToRecords(text, dictionary, mapping, options);
  assert.deepEqual(only(result.rejections, 'device_insertion'), { file: 'export.csv', row: 4, field: 'device_insertion', value: '2026-02-30 08:30', reason: 'expected a date-time YYYY-MM-DD HH:MM' });
  const comma = result.rejections.find((r) => r.field === 'lactate_mmol_l' && r.row === 6);
  assert.equal(comma?.reason, 'expected a number with a decimal point');
  const high = result.rejections.find((r) => r.field === 'lactate_mmol_l' && r.row === 7);
  assert.equal(high?.reason, "above the field's maximum 35");
  assert.equal(only(result.rejections, 'age_years').row, 14);
  assert.equal(result.records.length, 0);
});

test('a rate unit the drug cannot be converted from is rejected', () => {
  const result = redcapExportToRecords(edit(fixture, [{ line: 8, column: 'inf_rate_unit', value: 'iu_h' }]), dictionary, mapping, options);
  const r = only(result.rejections, 'inf_rate_unit');
  assert.equal(r.row, 8);
  assert.equal(r.value, '[IU]/h');
  assert.match(r.reason, /convertible for norepinephrine: one of ug\/kg\/min/);
});

test('a time after the import time is rejected', () => {
  const result = redcapExportToRecords(edit(fixture, [{ line: 15, column: 'device_insertion', value: '2027-06-01 02:00' }]), dictionary, mapping, options);
  const r = only(result.rejections, 'device_insertion');
  assert.equal(r.row, 15);
  assert.match(r.reason, /not after the import time 2027-06-01T00:00:00.000Z/);
  // 02:00 at +01:00 is 01:00 UTC, after `now`; 00:30 at +01:00 is before it.
  const earlier = redcapExportToRecords(edit(fixture, [{ line: 15, column: 'device_insertion', value: '2027-06-01 00:30' }]), dictionary, mapping, options);
  assert.deepEqual(earlier.rejections, []);
});

test('checkbox values, unknown events, repeating rows and references are checked', () => {
  const result = redcapExportToRecords(edit(fixture, [
    { line: 5, column: 'device_selection___lv_unloading', value: '2' },
    { line: 12, column: 'redcap_event_name', value: 'followup_90d_arm_1' },
    { line: 11, column: 'evt_for_bleeding', value: '3' },
    { line: 10, column: 'lactate_mmol_l', value: '2.0' },
  ]), dictionary, mapping, options);
  assert.equal(only(result.rejections, 'device_selection___lv_unloading').reason, 'a checkbox value 1 (ticked) or 0 (not ticked)');
  assert.match(only(result.rejections, 'redcap_event_name').reason, /an event named in the mapping \(baseline_arm_1, followup_30d_arm_1, followup_1y_arm_1\)/);
  assert.match(only(result.rejections, 'lactate_mmol_l').reason, /a value of instrument 'bleeding' on this repeating row \(lactate_mmol_l belongs to 'labs_hemodynamics'\)/);
  const ref = only(result.rejections, 'evt_for_bleeding');
  assert.equal(ref.row, 11);
  assert.match(ref.reason, /instance 3 not found/);
});

test('a structural problem (device without insertion time, missing anchor) names the REDCap field and line', () => {
  const result = redcapExportToRecords(edit(fixture, [
    { line: 15, column: 'device_insertion', value: '' },
    { line: 14, column: 'anchor_time', value: '' },
  ]), dictionary, mapping, options);
  const device = result.rejections.find((r) => r.row === 15);
  assert.equal(device?.field, 'devices[0]');
  assert.equal(device?.value, '(missing)');
  assert.match(device?.reason ?? '', /episode path devices\[0\]\.insertion/);
  const anchor = result.rejections.find((r) => r.row === 14 && r.field !== 'record_id');
  assert.equal(anchor?.field, 'anchor_time');
  assert.match(anchor?.reason ?? '', /ISO 8601 date-time with offset.*\(episode path anchor\.time\)/);
  assert.deepEqual(result.records.map((r) => r.episode.id), ['R001']);
});

test('two different values for one root field (same form in two events) are rejected', () => {
  const result = redcapExportToRecords(edit(fixture, [{ line: 12, column: 'fu_vital_status', value: 'alive' }, { line: 12, column: 'sex', value: 'female' }]), dictionary, mapping, options);
  const r = only(result.rejections, 'sex');
  assert.equal(r.row, 12);
  assert.match(r.reason, /line 2 already gave sex = "male"/);
});
