import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEpisode } from '../clinical/episode/episode.js';
import { assessScai } from '../clinical/scai/assess-scai.js';
import { assessBleeding } from '../clinical/bleeding/assess-bleeding.js';
import { generatePatient, generateRegistry } from './generate-registry.js';
import { patientRng } from './prng.js';
import { siteProfiles } from './site-profiles.js';
import { synthParameters } from './synth-parameters.js';
import type { SyntheticPatient } from './patient-truth.js';

const params = synthParameters({ patients: 2000, sites: 12, seed: 1 });
const patients: SyntheticPatient[] = [...generateRegistry(params)];

test('same seed, same registry; another seed, another registry', () => {
  const again = [...generateRegistry(synthParameters({ patients: 50, seed: 1 }))];
  assert.deepEqual(again, patients.slice(0, 50));
  const other = [...generateRegistry(synthParameters({ patients: 50, seed: 2 }))];
  assert.notDeepEqual(other.map((p) => p.record.episode), again.map((p) => p.record.episode));
});

test('generatePatient(i) alone equals the i-th patient of the registry', () => {
  assert.deepEqual(generatePatient(params, 1234, patientRng(params.seed, 1234), siteProfiles(params)), patients[1234]);
});

test('every generated episode of a 500-patient sample passes parseEpisode without problems', () => {
  for (const p of patients.slice(0, 500)) {
    const r = parseEpisode(p.record.episode);
    assert.ok(r.ok, `${p.truth.episodeId}: ${r.ok ? '' : r.problems.map((x) => x.message).join('; ')}`);
    assert.equal(p.record.site, p.record.episode.site);
  }
});

test('about 40-80 observations per patient on average, with a full time series', () => {
  const mean = patients.reduce((s, p) => s + (p.record.episode.observations?.length ?? 0), 0) / patients.length;
  assert.ok(mean >= 40 && mean <= 85, `mean observations per patient ${mean}`);
});

test("the engine's SCAI stage at time zero equals the true stage for at least 90 % (and the charted stage for all)", () => {
  const sample = patients.slice(0, 400);
  let equalTrue = 0;
  for (const p of sample) {
    const r = parseEpisode(p.record.episode);
    assert.ok(r.ok);
    const stage = assessScai(r.episode, { atMin: 0 }).result.at?.stage;
    assert.equal(stage, p.truth.recordedStage, `${p.truth.episodeId}: engine ${stage}, charted ${p.truth.recordedStage}`);
    if (stage === p.truth.trueStage) equalTrue++;
  }
  assert.ok(equalTrue / sample.length >= 0.9, `agreement ${equalTrue / sample.length}`);
});

test('sicker patients get a pump or ECMO more often (share rises from stage B to E)', () => {
  const share = (stage: string): number => {
    const s = patients.filter((p) => p.truth.trueStage === stage);
    return s.filter((p) => ['microaxial', 'va_ecmo', 'combination'].includes(p.truth.deviceGroup)).length / s.length;
  };
  const [b, c, d, e] = ['B', 'C', 'D', 'E'].map(share);
  assert.ok(b < c && c < d && d < e, `pump/ECMO share by stage B..E: ${[b, c, d, e].join(', ')}`);
});

test('sites differ in anticoagulation practice: aPTT-only sites draw no anti-Xa, parallel sites draw pairs', () => {
  const sites = siteProfiles(params);
  assert.ok(sites.some((s) => s.anticoagulationPractice === 'aptt_only'));
  assert.ok(sites.some((s) => s.anticoagulationPractice === 'parallel_antixa_aptt'));
  let pairs = 0;
  for (const p of patients) {
    const obs = p.record.episode.observations ?? [];
    const xa = obs.filter((o) => o.code === 'anti_xa_IU_mL');
    if (p.truth.anticoagulationPractice === 'aptt_only') {
      assert.equal(xa.length, 0, `${p.truth.episodeId} at an aPTT-only site has anti-Xa`);
    } else {
      for (const x of xa) {
        assert.ok(obs.some((o) => o.code === 'aptt_s' && o.time === x.time && o.sampleId === x.sampleId), `${p.truth.episodeId}: anti-Xa at ${x.time} without its aPTT`);
        pairs++;
      }
    }
  }
  assert.ok(pairs > 100, `paired samples ${pairs}`);
});

test('microaxial pumps carry purge records; the protocol in force is the site practice', () => {
  for (const p of patients) {
    const e = p.record.episode;
    const pumps = (e.devices ?? []).filter((d) => d.kind === 'microaxial');
    if (pumps.some((d) => d.removal !== d.insertion)) assert.ok((e.purge ?? []).length > 0, `${p.truth.episodeId}: pump without purge`);
    if (p.truth.protocolId !== null) assert.equal(e.anticoagulation?.[0]?.protocolId, p.truth.protocolId);
  }
});

test('identities: unique MRNs and source ids per site, birth dates agree with age, some patients older than 89', () => {
  const seen = new Set<string>();
  let over89 = 0;
  for (const p of patients) {
    const key = `${p.record.site}/${p.record.patient.sourceId}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    const age = p.record.episode.demographics.age_years ?? -1;
    if (age > 89) over89++;
    const born = Date.parse(`${p.record.patient.birthDate}T00:00:00Z`);
    const years = (Date.parse(p.truth.timeZero) - born) / (365.2425 * 86400000);
    assert.ok(Math.floor(years + 0.01) === age || Math.floor(years - 0.01) === age, `${p.truth.episodeId}: age ${age}, born ${p.record.patient.birthDate}`);
  }
  assert.ok(over89 >= 5, `patients over 89: ${over89}`);
});

test('death events and follow-up agree with the truth; follow-up never passes 1 year', () => {
  for (const p of patients) {
    const e = p.record.episode;
    const deaths = (e.events ?? []).filter((x) => x.kind === 'death');
    assert.equal(deaths.length, p.truth.observedDeath ? 1 : 0);
    assert.ok(p.truth.observedDay <= 365);
    if (!p.truth.observedDeath) assert.ok(e.followUp?.lastKnownAlive !== undefined);
  }
});

test('bleeding events carry the facts the classifiers need, so BARC, GUSTO, TIMI, ISTH and VARC-2 classes vary', () => {
  const grades = new Set(patients.flatMap((p) => p.truth.bleedingEvents.map((b) => b.grade)));
  assert.deepEqual([...grades].sort(), ['life_threatening', 'major', 'minor', 'moderate']);
  const classes = { barc: new Set<string>(), gusto: new Set<string>(), timi: new Set<string>(), isth: new Set<string>(), varc2: new Set<string>() };
  for (const p of patients.filter((x) => x.truth.bleedingEvents.length > 0).slice(0, 150)) {
    const r = parseEpisode(p.record.episode);
    assert.ok(r.ok);
    for (const e of assessBleeding(r.episode).events) {
      for (const k of Object.keys(classes) as (keyof typeof classes)[]) classes[k].add(e.classification[k].result);
    }
  }
  for (const [k, set] of Object.entries(classes)) assert.ok(set.size >= 3, `${k} classes seen: ${[...set].join(', ')}`);
});

test('generation speed: 2,000 patients in well under 2 s (the 100k benchmark is the lead\'s)', () => {
  const t0 = performance.now();
  let n = 0;
  for (const _ of generateRegistry(synthParameters({ patients: 2000, seed: 7 }))) n++;
  const ms = performance.now() - t0;
  assert.equal(n, 2000);
  // 100k in under 20 s means 2k in under 400 ms on an idle machine (measured: about 150 ms); test files run in
  // parallel with the 20k-patient causal-structure test, so allow 5x.
  assert.ok(ms < 2000, `2,000 patients took ${ms.toFixed(0)} ms`);
});
