// Mapped CSV imports: the shipped example mappings import cleanly with the values their files state; every rejection
// kind of the brief (unknown item, not a number, unit that cannot be converted, bad/ambiguous/future time, ragged or
// truncated rows, missing column, wrong encoding) names line, column, value and reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEpisode, type Episode } from '../../clinical/episode/episode.js';
import { ImportFileError, type ConversionResult, type RegistryRecord } from '../record.js';
import { examplePath } from '../../../test/support/paths.js';
import { assertClose } from '../../../test/support/close.js';
import { decodeCsvBytes } from './decode.js';
import { mappedCsvToRecords, parseCsvMapping } from './mapped-csv.js';
import type { CsvMapping } from './mapping-schema.js';

const NOW = new Date('2027-01-01T00:00:00Z');

function example(name: string): { mapping: CsvMapping; text: string } {
  const mapping = parseCsvMapping(readFileSync(examplePath('mappings', `${name}.json`), 'utf8'), `${name}.json`);
  const text = decodeCsvBytes(readFileSync(examplePath('mappings', `${name}.csv`)), `${name}.csv`);
  return { mapping, text };
}

function parsed(r: RegistryRecord): Episode {
  const p = parseEpisode(r.episode);
  if (!p.ok) assert.fail(`${r.episode.id}: ${p.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
  return p.episode;
}

const obsOf = (e: Episode, code: string) => e.observations.filter((o) => o.code === code);

test('long example: two episodes, every row used, values as the file states them', () => {
  const { mapping, text } = example('long-observations');
  const r = mappedCsvToRecords(text, mapping, { file: 'long-observations.csv', now: NOW });
  assert.deepEqual(r.rejections, []);
  assert.equal(r.rowsRead, 27);
  assert.equal(r.records.length, 2);
  const [a, b] = r.records;

  assert.equal(a.site, 'site-demo');
  assert.deepEqual(a.patient, { sourceId: 'P-1001' });
  assert.equal(a.episode.id, 'F-1');
  // the anchor is the first device insertion (mapping "anchor"), local time + the mapping's +01:00
  assert.deepEqual(a.episode.anchor, { kind: 'device_start', time: '2026-03-02T09:15:00+01:00' });
  assert.deepEqual(a.episode.times, { admission: '2026-03-02T07:40:00+01:00' });
  assert.deepEqual(a.episode.demographics, { age_years: 67, sex: 'male', weight: { value: 82.5, unit: 'kg' } });
  assert.deepEqual(a.episode.devices, [
    {
      kind: 'microaxial',
      model: 'Impella CP',
      insertion: '2026-03-02T09:15:00+01:00',
      removal: '2026-03-05T10:30:00+01:00',
      selectionReasons: ['persistent_hypotension_despite_vasoactives', 'lv_unloading'],
    },
  ]);
  assert.deepEqual(a.episode.followUp, { lastKnownAlive: '2026-09-01T12:00:00+01:00' });
  assert.equal(a.episode.observations?.length, 8); // the BEMERKUNG row is in ignoreItems
  assert.equal(a.sourceRows?.['observations[0]'], 6); // LACT is on line 6 (header = 1)

  const ea = parsed(a);
  // reference section 8 factors: lactate mg/dL x 10 / 90.08; creatinine umol/L / 88.4; Hb mmol/L / 0.6206
  assertClose(obsOf(ea, 'lactate_mmol_L')[0].value, 6.8, 1e-12, 'lactate_mmol_L[0]');
  assertClose(obsOf(ea, 'lactate_mmol_L')[1].value, (45 * 10) / 90.08, 1e-9, 'lactate_mmol_L[1]');
  assertClose(obsOf(ea, 'creatinine_mg_dL')[0].value, 168 / 88.4, 1e-9, 'creatinine_mg_dL[0]');
  assertClose(obsOf(ea, 'hemoglobin_g_dL')[0].value, 7.1 / 0.6206, 1e-9, 'hemoglobin_g_dL[0]');
  assertClose(obsOf(ea, 'anti_xa_IU_mL')[0].value, 0.35, 1e-12, 'anti_xa_IU_mL[0]');
  assert.equal(obsOf(ea, 'heart_rate_per_min')[0].value, 124);
  assert.equal(obsOf(ea, 'lactate_mmol_L')[0].specimen, 'arterial');

  assert.equal(b.episode.id, 'F-2');
  assert.deepEqual(b.episode.anchor, { kind: 'device_start', time: '2026-03-10T23:00:00+01:00' });
  assert.deepEqual(b.episode.demographics, { age_years: 74, sex: 'female' });
  assert.deepEqual(b.episode.events, [{ kind: 'death', time: '2026-03-12T04:20:00+01:00', cause: 'cardiovascular' }]);
  assert.deepEqual(b.episode.devices, [{ kind: 'iabp', insertion: '2026-03-10T23:00:00+01:00', selectionReasons: ['persistent_hypotension_despite_vasoactives'] }]);
  const eb = parsed(b);
  assertClose(obsOf(eb, 'lactate_mmol_L')[0].value, 14.2, 1e-12, 'lactate F-2');
  const axa = obsOf(eb, 'anti_xa_IU_mL')[0];
  assert.equal(axa.value, 0.1); // '<0,1': below the assay's floor
  assert.equal(axa.censored, 'lt');
});

test('wide example: three patients, identity kept apart, labs at anchor + offsetHours', () => {
  const { mapping, text } = example('wide-patients');
  const r = mappedCsvToRecords(text, mapping, { file: 'wide-patients.csv', site: 'site-07', now: NOW });
  assert.deepEqual(r.rejections, []);
  assert.equal(r.rowsRead, 3);
  assert.equal(r.records.length, 3);
  const [a, b, c] = r.records;
  assert.equal(a.site, 'site-07'); // --site wins over the mapping's site
  assert.deepEqual(a.patient, { sourceId: 'W-01', mrn: '900001', familyName: 'Muster', givenName: 'Anna', birthDate: '1961-05-14' });
  assert.deepEqual(a.episode.anchor, { kind: 'device_start', time: '2026-04-01T08:00:00+02:00' });
  assert.deepEqual(a.episode.demographics, { age_years: 64, sex: 'female', weight: 68, height: 165 });
  assert.deepEqual(a.episode.clinical, { etiology: 'AMI' });
  assert.deepEqual(a.episode.devices, [
    {
      kind: 'microaxial',
      model: 'Impella CP',
      insertion: '2026-04-01T08:00:00+02:00',
      removal: '2026-04-04T09:00:00+02:00',
      selectionReasons: ['persistent_hypotension_despite_vasoactives', 'lv_unloading'],
    },
  ]);
  const ea = parsed(a);
  const lact = obsOf(ea, 'lactate_mmol_L');
  assert.equal(lact.length, 2);
  assert.equal(lact[0].t_min, 0);
  assert.equal(lact[1].t_min, 24 * 60);
  assertClose(lact[0].value, (72 * 10) / 90.08, 1e-9, 'lactate[0]');
  assertClose(lact[1].value, (27 * 10) / 90.08, 1e-9, 'lactate[1]');
  assert.equal(obsOf(ea, 'hemoglobin_g_dL')[0].t_min, 5);
  assert.equal(obsOf(ea, 'map_mmHg')[0].value, 61);

  assert.deepEqual(b.episode.events, [{ kind: 'death', time: '2026-04-05T03:15:00+02:00', cause: 'cardiovascular' }]);
  assert.equal(b.episode.clinical?.etiology, 'HF-acute-on-chronic');
  assert.equal(obsOf(parsed(b), 'lactate_mmol_L').length, 1);
  assert.equal(c.episode.devices?.[0].kind, 'va_ecmo');
  assert.deepEqual(c.episode.devices?.[0].selectionReasons, ['cardiac_arrest_ecpr']);
  parsed(c);
});

const LONG: CsvMapping = parseCsvMapping(
  JSON.stringify({
    format: 'long',
    site: 's1',
    columns: { patientId: 'pid', time: 'time', item: 'item', value: 'value', unit: 'unit' },
    anchor: { kind: 'admission', from: 'admission' },
    items: {
      ADM: { field: 'admission' },
      LACT: { observation: 'lactate_mmol_L' },
      HB: { observation: 'hemoglobin_g_dL', unit: 'g/dL' },
    },
  }),
  'm.json',
);

function longOf(rows: string[], mapping: CsvMapping = LONG): ConversionResult {
  return mappedCsvToRecords(['pid,time,item,value,unit', ...rows].join('\n') + '\n', mapping, { file: 'f.csv', now: NOW });
}

test('long rejections: unknown item, not a number, unconvertible unit, bad, local and future times', () => {
  const r = longOf([
    'P1,2026-03-01T08:00:00+01:00,ADM,,', // 2 ok
    'P1,2026-03-01T09:00:00+01:00,LACTATE,2.1,mmol/L', // 3 unknown item
    'P1,2026-03-01T09:00:00+01:00,LACT,two,mmol/L', // 4 not a number
    'P1,2026-03-01T09:00:00+01:00,LACT,2.1,mg/L', // 5 unit cannot be converted
    'P1,yesterday,LACT,2.1,mmol/L', // 6 time does not parse
    'P1,2026-03-01 09:00,LACT,2.1,mmol/L', // 7 no offset, no timezone in the mapping
    'P1,2027-03-01T09:00:00+01:00,LACT,2.1,mmol/L', // 8 after now
    'P1,2026-03-01T09:00:00+01:00,HB,11.5,', // 9 ok, unit assumed g/dL
    'P1,2026-03-01T09:00:00+01:00,LACT,2.1', // 10 one column short
    'P1,2026-03-01T09:00:00+01:00,LACT,>20,mmol/L', // 11 lactate is not reported censored
  ]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].episode.observations?.length, 1);
  assert.deepEqual(r.records[0].episode.observations?.[0], { time: '2026-03-01T09:00:00+01:00', code: 'hemoglobin_g_dL', value: 11.5, unit: 'g/dL' });
  const by = new Map(r.rejections.map((x) => [x.row, x]));
  assert.deepEqual([...by.keys()], [3, 4, 5, 6, 7, 8, 10, 11]);
  assert.deepEqual([by.get(3)?.field, by.get(3)?.value], ['item', 'LACTATE']);
  assert.match(by.get(3)?.reason ?? '', /items/);
  assert.deepEqual([by.get(4)?.field, by.get(4)?.value], ['value', 'two']);
  assert.deepEqual([by.get(5)?.field, by.get(5)?.value], ['unit', 'mg/L']);
  assert.match(by.get(5)?.reason ?? '', /mmol\/L, mmol\/l, mg\/dL/);
  assert.deepEqual([by.get(6)?.field, by.get(6)?.value], ['time', 'yesterday']);
  assert.match(by.get(7)?.reason ?? '', /no UTC offset.*timezone/);
  assert.match(by.get(8)?.reason ?? '', /future/);
  assert.match(by.get(10)?.reason ?? '', /expected 5 columns.*got 4/);
  assert.deepEqual([by.get(11)?.field, by.get(11)?.value], ['value', '>20']);
  assert.match(by.get(11)?.reason ?? '', /not reported censored/);
});

test('long: a local time takes the mapping timezone; a decimal comma is read when configured', () => {
  const m = parseCsvMapping(JSON.stringify({ ...LONG, timezone: '-05:00', decimal: ',', delimiter: ';' }), 'm.json');
  const r = mappedCsvToRecords('pid;time;item;value;unit\nP1;2026-03-01 08:00;ADM;;\nP1;2026-03-01T09:30;LACT;"2,5";\n', m, { file: 'f.csv', now: NOW });
  assert.deepEqual(r.rejections, []);
  assert.deepEqual(r.records[0].episode.anchor, { kind: 'admission', time: '2026-03-01T08:00:00-05:00' });
  assert.deepEqual(r.records[0].episode.observations, [{ time: '2026-03-01T09:30:00-05:00', code: 'lactate_mmol_L', value: 2.5, unit: 'mmol/L' }]);
});

test('long: an episode without an anchor is rejected as a whole, with its row count', () => {
  const r = longOf(['P1,2026-03-01T09:00:00+01:00,LACT,2.1,mmol/L', 'P2,2026-03-01T08:00:00+01:00,ADM,,']);
  assert.deepEqual(r.records.map((x) => x.patient.sourceId), ['P2']);
  assert.equal(r.rejections.length, 1);
  assert.deepEqual([r.rejections[0].row, r.rejections[0].field, r.rejections[0].value], [2, 'anchor', 'P1']);
  assert.match(r.rejections[0].reason, /1 rows not imported/);
});

test('long: a truncated file (cut mid-row) names its last line', () => {
  const text = 'pid,time,item,value,unit\nP1,2026-03-01T08:00:00+01:00,ADM,,\nP1,2026-03-01T09:00:00+01:00,LA';
  const r = mappedCsvToRecords(text, LONG, { file: 'cut.csv', now: NOW });
  assert.equal(r.rejections.length, 1);
  assert.equal(r.rejections[0].row, 3);
  assert.match(r.rejections[0].reason, /got 3.*ends in the middle of this row \(truncated file\?\)/);
  // cut inside a quoted field: the whole file is refused
  assert.throws(
    () => mappedCsvToRecords('pid,time,item,value,unit\nP1,2026-03-01T08:00:00+01:00,ADM,"x', LONG, { file: 'cut.csv', now: NOW }),
    (e: unknown) => e instanceof ImportFileError && /truncated/.test(e.message) && /line 2/.test(e.message),
  );
});

test('long: a column the mapping names is missing -> ImportFileError naming it', () => {
  assert.throws(
    () => mappedCsvToRecords('pid,time,item,value\nP1,2026-03-01T08:00:00+01:00,ADM,\n', LONG, { file: 'f.csv', now: NOW }),
    (e: unknown) => e instanceof ImportFileError && e.field === 'column unit' && /columns\.unit/.test(e.message),
  );
});

test('long: unused columns are reported, not dropped silently', () => {
  const r = mappedCsvToRecords('pid,time,item,value,unit,ward\nP1,2026-03-01T08:00:00+01:00,ADM,,,ICU\n', LONG, { file: 'f.csv', now: NOW });
  assert.equal(r.records.length, 1);
  assert.deepEqual(r.rejections.map((x) => [x.row, x.field]), [[1, 'ward']]);
});

test('wide rejections: unmapped column, duplicate row, bad value, offset without an anchor', () => {
  const m = parseCsvMapping(
    JSON.stringify({
      format: 'wide',
      site: 's1',
      columns: {
        id: { field: 'patient_id' },
        sex: { field: 'sex' },
        start: { field: 'anchor', anchorKind: 'shock_onset' },
        lact_6h: { observation: 'lactate_mmol_L', offsetHours: 6 },
      },
    }),
    'w.json',
  );
  const text = [
    'id,sex,start,lact_6h,extra',
    'A,female,2026-03-01T08:00:00Z,3.1,', // 2 ok
    'A,female,2026-03-01T08:00:00Z,3.1,', // 3 duplicate
    'B,woman,2026-03-01T08:00:00Z,2.0,', // 4 bad sex, rest imported
    'C,male,,4.4,', // 5 no anchor: the lactate and the episode are rejected
  ].join('\n');
  const r = mappedCsvToRecords(text, m, { file: 'w.csv', now: NOW });
  assert.deepEqual(r.records.map((x) => x.patient.sourceId), ['A', 'B']);
  assert.deepEqual(r.records[0].episode.observations, [{ time: '2026-03-01T14:00:00.000Z', code: 'lactate_mmol_L', value: 3.1, unit: 'mmol/L' }]);
  assert.deepEqual(
    r.rejections.map((x) => [x.row, x.field, x.value]),
    [
      [1, 'extra', 'extra'],
      [3, 'id', 'A'],
      [4, 'sex', 'woman'],
      [5, 'lact_6h', '4.4'],
      [5, 'anchor', 'C'],
    ],
  );
  assert.match(r.rejections[2].reason, /one of female, male, other, unknown/);
});

test('mapping files are checked: every problem with its path', () => {
  const bad = {
    format: 'long',
    columns: { patientId: 'p', time: 't', item: 'i', value: 'v' },
    timezone: 'CET',
    items: { A: { field: 'anchor' }, B: { field: 'device_removal' }, C: { observation: 'lactate' } },
  };
  assert.throws(
    () => parseCsvMapping(JSON.stringify(bad), 'bad.json'),
    (e: unknown) =>
      e instanceof ImportFileError &&
      /timezone/.test(e.message) &&
      /items\.A/.test(e.message) &&
      /items\.C/.test(e.message) &&
      e.file === 'bad.json',
  );
  assert.throws(() => parseCsvMapping('{"format": "wide", "columns": {"x": {"observation": "map_mmHg", "offsetHours": 0, "timeColumn": "t"}}}', 'w.json'), /exactly one of offsetHours or timeColumn/);
  assert.throws(() => parseCsvMapping('{ not json', 'x.json'), ImportFileError);
  assert.throws(() => mappedCsvToRecords('a\n', { ...LONG, site: undefined }, { file: 'f.csv', now: NOW }), /site/);
});

test('decodeCsvBytes: strips a UTF-8 BOM; a Latin-1 file fails with byte offset and line', () => {
  const utf8 = new TextEncoder().encode('\uFEFFpid,name\nP1,Müller\n');
  assert.equal(decodeCsvBytes(utf8, 'ok.csv'), 'pid,name\nP1,Müller\n');
  // 'Müller' in Latin-1: ü is the single byte 0xFC, which cannot start a UTF-8 sequence
  const latin1 = Uint8Array.from([...Buffer.from('pid,name\nP1,M', 'latin1'), 0xfc, ...Buffer.from('ller\n', 'latin1')]);
  assert.throws(
    () => decodeCsvBytes(latin1, 'latin1.csv'),
    (e: unknown) => e instanceof ImportFileError && e.file === 'latin1.csv' && e.field === 'byte 13 (line 2)' && /0xfc/.test(e.value) && /UTF-8/.test(e.expected),
  );
  // a multi-byte sequence cut short at the end of the file
  assert.throws(() => decodeCsvBytes(Uint8Array.from([0x61, 0x0a, 0xc3]), 'cut.csv'), (e: unknown) => e instanceof ImportFileError && e.field === 'byte 2 (line 2)');
});
