// The native Stratum CSV layout: records -> files -> records is lossless for every example episode; hand-written
// files read as the layout documents them (docs/csv-import.md); every rejection kind names file, line, column, value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { episodeInputSchema, type EpisodeInput } from '../../clinical/episode/episode-schema.js';
import { parseEpisode } from '../../clinical/episode/episode.js';
import { ImportFileError, type RegistryRecord } from '../record.js';
import { examplePath } from '../../../test/support/paths.js';
import fc from 'fast-check';
import { registryRecordArbitrary } from '../../../test/support/record-arbitrary.js';
import { assertEpisodesEquivalent, assertIdentitiesEqual } from '../../../test/support/episode-equivalence.js';
import { recordsToCsvTables } from './native-write.js';
import { nativeCsvToRecords, type NativeCsvFile } from './native-read.js';
import { nativeFileForPath } from './native-layout.js';

const NOW = new Date('2027-01-01T00:00:00Z');

function exampleRecords(): RegistryRecord[] {
  const dir = examplePath('episodes');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f, i) => {
      const episode = JSON.parse(readFileSync(join(dir, f), 'utf8')) as EpisodeInput;
      const site = episode.site ?? 'example';
      return {
        site,
        patient: { sourceId: `patient-${i}`, mrn: `MRN${1000 + i}`, familyName: 'Synthetic, "Test"', givenName: 'Ann\nMarie', birthDate: '1960-02-29' },
        episode: { ...episode, site },
      };
    });
}

function filesOf(tables: Map<string, string>, dir = 'export'): NativeCsvFile[] {
  return [...tables].map(([name, text]) => ({ name: `${dir}/${name}`, text }));
}

/** Equivalence in every canonical field: both sides through the episode schema (defaults filled in). */
/** Field-for-field equality as the data mean it: through JSON, so -0 and 0 (one value in CSV, as in JSON) compare equal. */
function asData(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function assertSameRecord(actual: RegistryRecord, expected: RegistryRecord): void {
  assert.equal(actual.site, expected.site);
  assert.deepEqual({ ...actual.patient }, { ...expected.patient });
  assert.deepEqual(asData(episodeInputSchema.parse(actual.episode)), asData(episodeInputSchema.parse(expected.episode)), `episode ${expected.episode.id}`);
}

test('native round trip: every example episode comes back field for field', () => {
  const records = exampleRecords();
  assert.ok(records.length >= 20);
  const back = nativeCsvToRecords(filesOf(recordsToCsvTables(records)), { now: NOW });
  assert.deepEqual(back.rejections, []);
  assert.equal(back.records.length, records.length);
  for (let i = 0; i < records.length; i++) assertSameRecord(back.records[i], records[i]);
  // and the clinical engine reads them as before
  for (const r of back.records) assert.ok(parseEpisode(r.episode).ok, r.episode.id);
});

test('native round trip (property): random registry records keep every canonical field', () => {
  const recordSets = fc.uniqueArray(registryRecordArbitrary(), { minLength: 1, maxLength: 3, selector: (r) => `${r.site}\u0000${r.episode.id}` });
  fc.assert(
    fc.property(recordSets, (records) => {
      const back = nativeCsvToRecords(filesOf(recordsToCsvTables(records)), { now: NOW });
      assert.deepEqual(back.rejections, []);
      assert.equal(back.records.length, records.length);
      records.forEach((r, i) => {
        const b = back.records[i];
        assert.equal(b.site, r.site);
        assertIdentitiesEqual(b.patient, r.patient);
        assertSameRecord(b, { ...r, episode: { ...r.episode, site: r.site } });
        const p1 = parseEpisode(r.episode);
        const p2 = parseEpisode(b.episode);
        assert.ok(p1.ok && p2.ok);
        assertEpisodesEquivalent(p2.episode, p1.episode);
      });
    }),
    { numRuns: 60 },
  );
});

test('native round trip: sourceRows point at the line of each part in its own file', () => {
  const records = exampleRecords().slice(0, 2);
  const tables = recordsToCsvTables(records);
  const back = nativeCsvToRecords(filesOf(tables), { now: NOW });
  const first = back.records[0];
  assert.equal(first.sourceRows?.[''], 2); // header is line 1
  const nObs = (records[0].episode.observations ?? []).length;
  assert.ok(nObs > 0);
  assert.equal(first.sourceRows?.['observations[0]'], 2);
  assert.equal(back.records[1].sourceRows?.['observations[0]'], 2 + nObs);
  // the patient's given name spans two physical lines, so episode 2 starts on line 4 of episodes.csv
  assert.equal(back.records[1].sourceRows?.[''], 4);
  assert.equal(nativeFileForPath('observations[3].value'), 'observations.csv');
  assert.equal(nativeFileForPath('events[0].facts.hbNadir'), 'events.csv');
  assert.equal(nativeFileForPath('demographics.weight'), 'episodes.csv');
});

const EPISODES_HEADER = 'site,episode_id,patient_id,anchor_kind,anchor_time,age_years,sex,weight,weight_unit,height';

test('hand-written native files read as documented', () => {
  const files: NativeCsvFile[] = [
    {
      name: 'episodes.csv',
      text: `${EPISODES_HEADER}\nsite-01,E1,P1,device_start,2026-03-01T08:00:00+01:00,67,female,154,[lb_av],165\n`,
    },
    {
      name: 'observations.csv',
      text: 'site,episode_id,time,code,value,unit,specimen\nsite-01,E1,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L,arterial\n',
    },
    {
      name: 'devices.csv',
      text:
        'site,episode_id,kind,insertion,model,selection_reasons,settings\n' +
        'site-01,E1,microaxial,2026-03-01T08:00:00+01:00,Impella CP,lv_unloading;rv_failure,"[{""time"":""2026-03-01T09:00:00+01:00"",""pLevel"":8}]"\n',
    },
    {
      name: 'events.csv',
      text: 'site,episode_id,kind,time,product,units\nsite-01,E1,transfusion,2026-03-01T12:00:00+01:00,rbc,2\n',
    },
  ];
  const r = nativeCsvToRecords(files, { now: NOW });
  assert.deepEqual(r.rejections, []);
  assert.equal(r.rowsRead, 4);
  assert.equal(r.records.length, 1);
  const rec = r.records[0];
  assert.equal(rec.site, 'site-01');
  assert.deepEqual(rec.patient, { sourceId: 'P1' });
  const e = rec.episode;
  assert.equal(e.id, 'E1');
  assert.equal(e.site, 'site-01');
  assert.deepEqual(e.anchor, { kind: 'device_start', time: '2026-03-01T08:00:00+01:00' });
  assert.deepEqual(e.demographics, { age_years: 67, sex: 'female', weight: { value: 154, unit: '[lb_av]' }, height: 165 });
  assert.deepEqual(e.observations, [{ time: '2026-03-01T08:10:00+01:00', code: 'lactate_mmol_L', value: 4.2, unit: 'mmol/L', specimen: 'arterial' }]);
  assert.deepEqual(e.devices, [
    { kind: 'microaxial', insertion: '2026-03-01T08:00:00+01:00', model: 'Impella CP', selectionReasons: ['lv_unloading', 'rv_failure'], settings: [{ time: '2026-03-01T09:00:00+01:00', pLevel: 8 }] },
  ]);
  assert.deepEqual(e.events, [{ kind: 'transfusion', time: '2026-03-01T12:00:00+01:00', product: 'rbc', units: 2 }]);
  const parsed = parseEpisode(e);
  assert.ok(parsed.ok);
  assert.ok(parsed.ok && Math.abs((parsed.episode.demographics.weight_kg ?? 0) - 154 * 0.45359237) < 1e-9);
});

const episodesOk = { name: 'episodes.csv', text: `${EPISODES_HEADER}\nsite-01,E1,P1,device_start,2026-03-01T08:00:00+01:00,67,female,70,,165\n` };

test('native rejections: unknown episode, bad values, unknown column, wrong kind, future time, other site', () => {
  const obs = {
    name: 'observations.csv',
    text: [
      'site,episode_id,time,code,value,unit,colour',
      'site-01,E1,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L,', // line 2: fine
      'site-01,E9,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L,', // line 3: unknown episode
      'site-01,E1,2026-03-01T08:10:00+01:00,lactate_mmol_L,four,mmol/L,', // line 4: not a number
      'site-01,E1,2026-03-01T08:10:00+01:00,lactate_mM,4.2,mmol/L,', // line 5: unknown code
      'site-01,E1,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L,red', // line 6: value in an unknown column
      'site-01,E1,2030-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L,', // line 7: in the future
      'site-01,E1,2026-03-01 08:10,lactate_mmol_L,4.2,mmol/L,', // line 8: no offset
      'site-02,E1,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L,', // line 9: other site
    ].join('\n'),
  };
  const devices = {
    name: 'devices.csv',
    text: 'site,episode_id,kind,insertion,model,size_mL\nsite-01,E1,iabp,2026-03-01T08:00:00+01:00,Impella CP,40\nsite-01,E1,microaxial,2026-03-01T08:00:00+01:00,,\nsite-01,E1,balloon,2026-03-01T08:00:00+01:00,,\n',
  };
  const r = nativeCsvToRecords([episodesOk, obs, devices], { now: NOW, site: 'site-01' });
  const at = (file: string, row: number) => r.rejections.filter((x) => x.file === file && x.row === row);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].episode.observations?.length, 1);
  assert.equal(r.records[0].episode.devices, undefined);
  assert.equal(r.rowsRead, 1 + 8 + 3);

  const header = at('observations.csv', 1);
  assert.equal(header.length, 1);
  assert.equal(header[0].field, 'colour');
  assert.match(header[0].reason, /unknown column/);
  assert.match(at('observations.csv', 3)[0].reason, /no episode E9 of site site-01/);
  assert.deepEqual(
    { field: at('observations.csv', 4)[0].field, value: at('observations.csv', 4)[0].value },
    { field: 'value', value: 'four' },
  );
  assert.match(at('observations.csv', 4)[0].reason, /a number/);
  assert.equal(at('observations.csv', 5)[0].field, 'code');
  assert.match(at('observations.csv', 5)[0].reason, /lactate_mmol_L/);
  assert.equal(at('observations.csv', 6)[0].field, 'colour');
  assert.equal(at('observations.csv', 6)[0].value, 'red');
  assert.match(at('observations.csv', 7)[0].reason, /future/);
  assert.equal(at('observations.csv', 8)[0].field, 'time');
  assert.equal(at('observations.csv', 9)[0].field, 'site');
  assert.match(at('observations.csv', 9)[0].reason, /site-01/);

  const iabp = at('devices.csv', 2);
  assert.equal(iabp.length, 1);
  assert.equal(iabp[0].field, 'model');
  assert.match(iabp[0].reason, /only to kind microaxial/);
  assert.equal(at('devices.csv', 3)[0].field, 'model');
  assert.match(at('devices.csv', 3)[0].reason, /required for kind microaxial/);
  assert.equal(at('devices.csv', 4)[0].field, 'kind');
  assert.match(at('devices.csv', 4)[0].reason, /iabp, microaxial, va_ecmo, other/);
});

test('native rejections: duplicate and rejected episodes, and the rows that belong to them', () => {
  const episodes = {
    name: 'episodes.csv',
    text: `${EPISODES_HEADER}\nsite-01,E1,P1,device_start,2026-03-01T08:00:00+01:00,67,female,70,,165\nsite-01,E1,P1,device_start,2026-03-01T08:00:00+01:00,67,female,70,,165\nsite-01,E2,P2,device_start,2026-03-01T08:00:00+01:00,67,femme,70,,165\n`,
  };
  const obs = { name: 'observations.csv', text: 'site,episode_id,time,code,value\nsite-01,E2,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2\n' };
  const r = nativeCsvToRecords([episodes, obs], { now: NOW });
  assert.equal(r.records.length, 1);
  assert.deepEqual(
    r.rejections.map((x) => [x.file, x.row, x.field]),
    [
      ['episodes.csv', 3, 'episode_id'],
      ['episodes.csv', 4, 'sex'],
      ['observations.csv', 2, 'episode_id'],
    ],
  );
  assert.match(r.rejections[0].reason, /appears twice.*line 2/);
  assert.match(r.rejections[2].reason, /was rejected \(episodes\.csv line 4\)/);
});

test('native whole-file errors: unknown file name, missing episodes.csv, missing required column', () => {
  assert.throws(() => nativeCsvToRecords([episodesOk, { name: 'labs.csv', text: 'a\n' }], { now: NOW }), (e: unknown) => e instanceof ImportFileError && e.file === 'labs.csv');
  assert.throws(
    () => nativeCsvToRecords([{ name: 'observations.csv', text: 'site,episode_id,time,code,value\n' }], { now: NOW }),
    (e: unknown) => e instanceof ImportFileError && /episodes\.csv/.test(e.message),
  );
  assert.throws(
    () => nativeCsvToRecords([episodesOk, { name: 'observations.csv', text: 'site,episode_id,time,code\n' }], { now: NOW }),
    (e: unknown) => e instanceof ImportFileError && e.field === 'column value',
  );
  assert.throws(
    () => nativeCsvToRecords([{ name: 'episodes.csv', text: 'site,episode_id,patient_id,anchor_time\n' }], { now: NOW }),
    (e: unknown) => e instanceof ImportFileError && e.field === 'column anchor_kind',
  );
});

test('native: a file cut mid-row is reported on its last line', () => {
  const obs = { name: 'observations.csv', text: 'site,episode_id,time,code,value,unit\nsite-01,E1,2026-03-01T08:10:00+01:00,lactate_mmol_L,4.2,mmol/L\nsite-01,E1,2026-03-01T09:1' };
  const r = nativeCsvToRecords([episodesOk, obs], { now: NOW });
  assert.equal(r.records[0].episode.observations?.length, 1);
  assert.equal(r.rejections.length, 1);
  assert.equal(r.rejections[0].row, 3);
  assert.match(r.rejections[0].reason, /expected 6 columns.*got 3.*truncated/);
});
