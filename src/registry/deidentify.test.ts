// De-identification under HIPAA Safe Harbor: no identity string, free text or original date survives anywhere in
// the serialized record; every interval between two times is unchanged; age 93 → 90; the result still parses and
// every rule gives the same result as on the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseEpisode, type Episode } from '../clinical/episode/episode.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import { assessScai } from '../clinical/scai/index.js';
import { assessAnticoagulation } from '../clinical/anticoagulation/index.js';
import { assessSofa } from '../clinical/organ/sofa.js';
import { examplePath } from '../../test/support/paths.js';
import { analysisRow } from './dataset/analysis-row.js';
import { DEIDENTIFIED_ANCHOR_TIME, deidentifyRecord, deidentifyRecords, pseudonymFor, safeHarborAge } from './deidentify.js';
import type { RegistryRecord } from './record.js';

const T = (hours: number): string => {
  // Local times with a +02:00 offset, as a site would send them; the date parts are what must not survive.
  const ms = Date.parse('2024-07-14T09:30:00+02:00') + hours * 3_600_000;
  const local = new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+02:00`;
};

const SECRET = {
  sourceId: 'MRN-778812',
  mrn: '00778812',
  familyName: 'Okonkwo-Lindqvist',
  givenName: 'Marguerite',
  birthDate: '1931-03-02',
  postalCode: '02139',
  episodeId: 'ENC-2024-99817',
};

/** Every section and free-text field of the format filled in, with identifying text in each free-text field. */
function fullRecord(): RegistryRecord {
  const episode: EpisodeInput = {
    formatVersion: '1',
    id: SECRET.episodeId,
    site: 'site-07',
    anchor: { kind: 'admission', time: T(0) },
    times: { admission: T(0), cicuAdmission: T(1), shockOnset: T(-2), pciStart: T(0.5), discharge: T(24 * 20) },
    demographics: { age_years: 93, sex: 'female', weight: { value: 154, unit: '[lb_av]' }, height: 160 },
    clinical: {
      etiology: 'AMI', mixedShock: false, infarctLocation: 'anterior', stemi: true, clinicianReportedCS: true,
      baselineSbp_mmHg: 130, baselineCreatinine: { value: 1.1, unit: 'mg/dL', time: T(-24 * 30), source: 'outpatient_365_days' },
      chronicKidneyReplacement: false, ldhUpperLimitOfNormal_U_L: 250,
      notes: 'Mrs Okonkwo-Lindqvist, daughter Ingrid on 617-555-0199',
    },
    observations: [
      { time: T(0.5), code: 'sbp_mmHg', value: 78, note: 'per Dr. Haversham' },
      { time: T(0.5), code: 'dbp_mmHg', value: 44 },
      { time: T(0.5), code: 'heart_rate_per_min', value: 118 },
      { time: T(0.6), code: 'lactate_mmol_L', value: 5.4, specimen: 'arterial', sampleId: 'ACC-5521-Okonkwo' },
      { time: T(0.6), code: 'ph', value: 7.18, sampleId: 'ACC-5521-Okonkwo' },
      { time: T(0.6), code: 'pao2_mmHg', value: 70, sampleId: 'ACC-5521-Okonkwo' },
      { time: T(0.6), code: 'fio2_fraction', value: 0.6, sampleId: 'ACC-5521-Okonkwo' },
      { time: T(3), code: 'cardiac_output_L_min', value: 3.1, method: 'thermodilution' },
      { time: T(3), code: 'rap_mmHg', value: 16, method: 'Swan placed by Dr. Haversham' },
      { time: T(3), code: 'pcwp_mmHg', value: 24 },
      { time: T(2), code: 'creatinine_mg_dL', value: 1.6 },
      { time: T(30), code: 'creatinine_mg_dL', value: 2.5 },
      { time: T(6), code: 'anti_xa_IU_mL', value: 0.35 },
      { time: T(6), code: 'aptt_s', value: 85 },
      { time: T(12), code: 'anti_xa_IU_mL', value: 0.22 },
      { time: T(12), code: 'aptt_s', value: 60 },
      { time: T(8), code: 'plasma_free_hb_mg_dL', value: 45 },
      { time: T(18), code: 'plasma_free_hb_mg_dL', value: 48 },
      { time: T(5), code: 'platelets_10e9_L', value: 110 },
      { time: T(26), code: 'hemoglobin_g_dL', value: 11.5 },
      { time: T(50), code: 'hemoglobin_g_dL', value: 8.1 },
    ],
    infusions: [
      { drug: 'norepinephrine', start: T(0.2), end: T(20), rate: 0.2, rateUnit: 'ug/kg/min', route: 'central line R IJ (Okonkwo)', note: 'started by RN Paulsen' },
      { drug: 'ufh', start: T(1.5), rate: 12, rateUnit: '[IU]/kg/h', route: 'iv' },
    ],
    boluses: [{ drug: 'ufh', time: T(1.4), dose: 5000, doseUnit: '[IU]', context: 'procedural', note: 'cath lab 3' }],
    purge: [{ deviceId: 'SN-IMP-448120', start: T(1.5), solution: 'heparin_d5w', heparin_IU_mL: 25, flow_mL_h: 10, note: 'purge note' }],
    devices: [
      {
        kind: 'iabp', id: 'SN-IABP-0091', insertion: T(0.5), removal: T(1.4), accessSite: 'femoral', side: 'left', placement: 'during_pci',
        selectionReasons: ['persistent_hypotension_despite_vasoactives'], selectionNote: 'Dr. Haversham preferred IABP first',
        closure: 'Perclose by Dr. Haversham', removalReason: 'escalation', size_mL: 40, note: 'device note',
        settings: [{ time: T(0.6), iabpRatio: 1, note: 'setting note' }],
      },
      {
        kind: 'microaxial', id: 'SN-IMP-448120', model: 'other', modelOther: 'loaner pump from St. Elsewhere', insertion: T(1.5), accessSite: 'femoral',
        selectionReasons: ['escalation_from_other_device', 'lv_unloading'], settings: [{ time: T(2), pLevel: 8, flow_L_min: 3.2, positionChecked: true, positionOk: true }],
      },
      { kind: 'other', insertion: T(40), description: 'TandemHeart from Boston General', selectionReasons: ['other'] },
    ],
    supports: [{ kind: 'invasive_ventilation', start: T(0.3), end: T(72), note: 'intubated by Dr. Haversham' }],
    events: [
      { kind: 'cardiac_arrest', time: T(0.1), setting: 'IHCA', rhythm: 'VF', rosc: true, durationMin: 8, ecpr: false, gcsAfter: 6, note: 'witnessed by husband' },
      {
        kind: 'bleeding', time: T(26), note: 'bleed note',
        facts: {
          site: 'access_site', accessVessel: 'femoral', relatedDevice: 'microaxial', description: 'oozing, Marguerite anxious', overt: true,
          hbBaseline: { value: 11.5, time: T(26) }, hbNadir: { value: 8.1, time: T(50) }, rbcUnitsWithin48h: 1,
          onAnticoagulation: { drug: 'heparin via Dr. Haversham', aptt_s: 60, time: T(25) },
        },
      },
      { kind: 'transfusion', time: T(27), product: 'rbc', units: 1, forBleedingEvent: 1, note: 'unit 77-ABC' },
      { kind: 'hemolysis', time: T(19), relatedDeviceId: 'SN-IMP-448120', relatedDevice: 'microaxial', actions: ['repositioning'], note: 'hemolysis note' },
      { kind: 'limb_ischemia', time: T(30), side: 'left', relatedDeviceId: 'SN-IABP-0091', intervention: 'none', note: 'limb note' },
      { kind: 'stroke', time: T(100), type: 'ischemic', imagingConfirmed: true, note: 'stroke note' },
    ],
    anticoagulation: [{ from: T(1.5), protocolId: 'vandenbriele-2022-standard', note: 'per Dr. Haversham' }],
    followUp: { lastKnownAlive: T(24 * 200), source: 'phone', note: 'spoke with Ingrid Okonkwo' },
  };
  return {
    site: 'site-07',
    patient: { sourceId: SECRET.sourceId, mrn: SECRET.mrn, familyName: SECRET.familyName, givenName: SECRET.givenName, birthDate: SECRET.birthDate, postalCode: SECRET.postalCode },
    episode,
    sourceRows: { '': 2, 'observations[0]': 3 },
  };
}

const FREE_TEXT = ['Okonkwo', 'Lindqvist', 'Marguerite', 'Haversham', 'Ingrid', '617-555', 'Paulsen', 'husband', 'cath lab', 'note', 'Perclose', 'Elsewhere', 'Boston', 'oozing', '77-ABC', 'ACC-5521', 'SN-IMP', 'SN-IABP', 'R IJ', 'Swan'];

function parsed(record: RegistryRecord): Episode {
  const r = parseEpisode(record.episode);
  if (!r.ok) assert.fail(r.problems.map((p) => p.message).join('\n'));
  return r.episode;
}

/** Every ISO date-time string in a value (walks objects and arrays). */
function isoTimes(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => isoTimes(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => isoTimes(v, out));
  return out;
}

/** Minutes since the anchor of every timed record of a parsed episode, section by section. */
function timeline(e: Episode): Record<string, number[]> {
  return {
    observations: e.observations.map((o) => o.t_min),
    infusions: e.infusions.flatMap((i) => [i.t_start_min, i.t_end_min ?? NaN]),
    boluses: e.boluses.map((b) => b.t_min),
    purge: e.purge.flatMap((p) => [p.t_start_min, p.t_end_min ?? NaN]),
    devices: e.devices.flatMap((d) => [d.t_insertion_min, d.t_removal_min ?? NaN, ...d.settings.map((s) => s.t_min)]),
    supports: e.supports.flatMap((s) => [s.t_start_min, s.t_end_min ?? NaN]),
    events: e.events.map((x) => x.t_min),
    anticoagulation: e.anticoagulation.map((a) => a.t_min),
    baselineCreatinine: [e.clinical.baselineCreatinine?.t_min ?? NaN],
  };
}

test('no identity string, no free text and no original date survives anywhere in the serialized record', () => {
  const original = fullRecord();
  const out = deidentifyRecord(original, 'P000042');
  const json = JSON.stringify(out);
  for (const s of Object.values(SECRET)) assert.ok(!json.includes(s), `identity value '${s}' survived`);
  for (const s of FREE_TEXT) assert.ok(!json.toLowerCase().includes(s.toLowerCase()), `free text '${s}' survived`);
  // Original dates: every calendar day the source times fall on (local and UTC), and the birth year.
  const originalDays = new Set<string>();
  for (const t of isoTimes(original.episode)) {
    originalDays.add(t.slice(0, 10));
    originalDays.add(new Date(Date.parse(t)).toISOString().slice(0, 10));
  }
  for (const day of originalDays) assert.ok(!json.includes(day), `original date ${day} survived`);
  assert.ok(!json.includes('1931'), 'birth year survived');
  assert.ok(!json.includes('+02:00'), 'the source UTC offset (a location hint) survived');
  assert.deepEqual(out.patient, { sourceId: 'P000042' });
  assert.equal(out.episode.id, 'P000042');
  assert.equal(out.sourceRows, undefined);
  assert.equal(out.site, 'site-07');
});

test('the anchor falls on the placeholder day and every interval between two times is unchanged', () => {
  const original = fullRecord();
  const out = deidentifyRecord(original, 'P000001');
  assert.equal(out.episode.anchor.time, DEIDENTIFIED_ANCHOR_TIME);
  const a = parsed(original);
  const b = parsed(out);
  // t_min is each time minus the anchor, so equal timelines mean every pairwise interval is equal.
  assert.deepEqual(timeline(b), timeline(a));
  const offsets = (e: EpisodeInput) => isoTimes(e).map((t) => Date.parse(t) - Date.parse(e.anchor.time));
  // Times dropped with free text (none here) would shorten the list; dates kept are the same offsets, in order.
  assert.deepEqual(offsets(out.episode), offsets(original.episode));
  assert.equal(b.times.shockOnset, new Date(Date.parse(DEIDENTIFIED_ANCHOR_TIME) - 2 * 3_600_000).toISOString().replace('.000Z', 'Z'));
  assert.equal(b.followUp.lastKnownAlive, '2000-07-19T00:00:00Z', '200 days after the placeholder anchor');
});

test('age 93 is grouped as 90; 89 is kept; device, sample and route ids are replaced consistently', () => {
  const out = deidentifyRecord(fullRecord(), 'P000001');
  assert.equal(out.episode.demographics.age_years, 90);
  assert.equal(safeHarborAge(89), 89);
  assert.equal(safeHarborAge(89.9), 89.9);
  assert.equal(safeHarborAge(90), 90);
  assert.equal(safeHarborAge(104), 90);
  const e = parsed(out);
  const pump = e.devices.find((d) => d.kind === 'microaxial');
  assert.ok(pump);
  assert.equal(e.purge[0].deviceId, pump.id, 'purge still belongs to the pump');
  const hemolysis = e.events.find((x) => x.kind === 'hemolysis');
  assert.equal(hemolysis?.kind === 'hemolysis' ? hemolysis.relatedDeviceId : undefined, pump.id);
  const samples = new Set(e.observations.filter((o) => o.sampleId !== undefined).map((o) => o.sampleId));
  assert.equal(samples.size, 1, 'the blood gas samples still share one sample id');
  const routes = e.infusions.map((i) => i.route);
  assert.ok(routes.includes('iv'), "'iv' is kept: it is the anticoagulation stream default");
  assert.ok(routes.includes('route-1'));
  const other = e.devices.find((d) => d.kind === 'other');
  assert.equal(other?.kind === 'other' ? other.description : undefined, 'other device (description removed)');
  const co = e.observations.filter((o) => o.method !== undefined).map((o) => o.method);
  assert.deepEqual(co, ['thermodilution'], 'a method word from the format is kept, free text dropped');
});

test('parseEpisode accepts the result and the rules give the same results as on the original', () => {
  const original = fullRecord();
  const out = deidentifyRecord(original, 'P000001');
  const a = parsed(original);
  const b = parsed(out);
  const stages = (e: Episode) => {
    const r = assessScai(e, { atMin: 90 }).result;
    return { at: r.at?.label, admission: r.admission?.label, blocks: r.trajectory.blocks.map((x) => x.label), devices: r.trajectory.atDeviceStart.map((x) => x.assessment.label) };
  };
  assert.deepEqual(stages(b), stages(a));
  assert.equal(assessSofa(b, { atMin: 60 }).total, assessSofa(a, { atMin: 60 }).total);
  const ac = (e: Episode) => {
    const r = assessAnticoagulation(e).result;
    return { pairs: r.pairs.map((p) => p.result.pattern), ttr: r.ttr.anti_xa_IU_mL?.result.inRange_pct, exposure: r.exposure.result };
  };
  assert.deepEqual(ac(b), ac(a));
});

test('every example episode: de-identified, it parses, SCAI stages are the same and the analysis row differs only in ids and age', () => {
  const files = readdirSync(examplePath('episodes')).filter((f) => f.endsWith('.json'));
  const records: RegistryRecord[] = files.map((f) => {
    const episode = JSON.parse(readFileSync(examplePath('episodes', f), 'utf8')) as EpisodeInput;
    return { site: episode.site ?? 'example', patient: { sourceId: `src-${episode.id}` }, episode };
  });
  const out = deidentifyRecords(records);
  out.forEach((r, i) => {
    const f = files[i];
    const a = parsed(records[i]);
    const b = parsed(r);
    assert.equal(b.anchor.time, DEIDENTIFIED_ANCHOR_TIME, f);
    const labels = (e: Episode) => assessScai(e).result.trajectory.blocks.map((x) => x.label);
    assert.deepEqual(labels(b), labels(a), f);
    const ra = { ...analysisRow(records[i], a), site: '', patient_key: '', episode_id: '' };
    const rb = { ...analysisRow(r, b), site: '', patient_key: '', episode_id: '' };
    assert.deepEqual(rb, ra, `${f}: analysis row unchanged by de-identification`);
  });
});

test('deidentifyRecords numbers records in site / episode order, keeps the input order and is deterministic', () => {
  const rec = (site: string, id: string): RegistryRecord => ({
    site,
    patient: { sourceId: `${site}/${id}`, familyName: 'X' },
    episode: { id, site, anchor: { kind: 'admission', time: '2025-05-05T10:00:00Z' }, demographics: { age_years: 50 } },
  });
  const input = [rec('site-02', 'a'), rec('site-01', 'z'), rec('site-01', 'b')];
  const out = deidentifyRecords(input);
  assert.deepEqual(out.map((r) => r.patient.sourceId), ['P000003', 'P000002', 'P000001']);
  assert.deepEqual(out.map((r) => r.episode.id), ['P000003', 'P000002', 'P000001']);
  assert.deepEqual(deidentifyRecords(input), out);
  assert.equal(pseudonymFor(1234567), 'P1234567');
});

test('total: unreadable times are dropped, never copied, and nothing throws', () => {
  const bad: RegistryRecord = {
    site: 's',
    patient: { sourceId: 'x' },
    episode: {
      id: 'e', anchor: { kind: 'admission', time: 'March 3rd 1931' }, demographics: {},
      observations: [{ time: '2024-02-02T10:00:00+01:00', code: 'sbp_mmHg', value: 80 }, { time: '02/03/2024 10:00', code: 'sbp_mmHg', value: 81 }],
    },
  };
  const out = deidentifyRecord(bad, 'P000009');
  const json = JSON.stringify(out);
  assert.ok(!json.includes('1931') && !json.includes('02/03/2024') && !json.includes('2024-02-02'), json);
  // The readable observation becomes the anchor stand-in (the earliest readable time) on the placeholder day.
  assert.equal(out.episode.observations?.[0]?.time, DEIDENTIFIED_ANCHOR_TIME);
  assert.equal(parseEpisode(out.episode).ok, false, 'an invalid record stays invalid');
});
