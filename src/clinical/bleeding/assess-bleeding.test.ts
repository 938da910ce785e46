import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/support/paths.js';
import { parseEpisode, type Episode } from '../episode/episode.js';
import { assessBleeding } from './assess-bleeding.js';
import { BARC_ORDER } from './rule-set.js';

const examplesDir = join(repoRoot, 'examples', 'episodes');
function load(name: string): Episode {
  const r = parseEpisode(JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8')));
  if (!r.ok) throw new Error(`${name}: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.episode;
}
const T0 = '2026-03-02T08:00:00+01:00';
const at = (h: number) => new Date(Date.parse(T0) + h * 3600_000).toISOString();
function episode(events: unknown[], observations: unknown[] = []): Episode {
  const r = parseEpisode({
    id: 'test',
    anchor: { kind: 'device_start', time: T0 },
    demographics: { sex: 'male', weight: 80 },
    devices: [{ kind: 'microaxial', model: 'Impella CP', insertion: T0 }],
    observations,
    events,
  });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.episode;
}
const hb = (h: number, value: number, unit?: string) => ({ time: at(h), code: 'hemoglobin_g_dL', value, ...(unit ? { unit } : {}) });

describe('assessBleeding (episode level, reference 5.1–5.6)', () => {
  it('the bleeding examples together cover every BARC class 0–5b and all pass parseEpisode', () => {
    const files = readdirSync(examplesDir).filter((f) => f.startsWith('bleeding-') && f.endsWith('.json'));
    assert.ok(files.length >= 5);
    const seen = new Set<string>();
    for (const f of files) {
      const a = assessBleeding(load(f.replace(/\.json$/, '')));
      if (a.events.length === 0) seen.add(a.summary.barc.worst);
      for (const e of a.events) seen.add(e.classification.barc.result);
    }
    assert.deepEqual([...seen].sort(), [...BARC_ORDER].sort());
  });
  it('bleeding-none: no events → BARC 0 and no major bleed under any definition', () => {
    const a = assessBleeding(load('bleeding-none'));
    assert.equal(a.summary.barc.worst, '0');
    assert.equal(a.summary.gusto.worst, 'none');
    assert.equal(a.summary.barc.firstMajor, null);
    assert.ok(a.reasons.some((r) => r.criterion === 'no_bleeding_events'));
  });
  it('bleeding-gi-retroperitoneal: Hb from observations (mmol/L baseline converted), nadir window stops at the next bleed', () => {
    const a = assessBleeding(load('bleeding-gi-retroperitoneal'));
    const [gi, rp] = a.events;
    // GI bleed at 12 h: baseline 13.0 (10 h), nadir 9.8 (30 h; 8.4 at 60 h belongs to the next bleed at 54 h) → 3.2
    assert.equal(gi?.classification.hbDrop.result.uncorrected_g_dL, 3.2);
    assert.equal(gi?.classification.barc.result, '3a');
    // Retroperitoneal at 54 h: 10.2 (52 h) → 8.4 (60 h) = 1.8 + 2 units at 56 h (the unit at 62 h is after the nadir) = 3.8
    assert.equal(rp?.classification.hbDrop.result.corrected_g_dL, 3.8);
    assert.equal(rp?.facts.rbcUnitsWithin48h, 3);
    assert.equal(rp?.classification.barc.result, '3b'); // vasoactives for the bleed
    assert.equal(rp?.classification.timi.result, 'minor'); // 3.8 in [3, 5)
    assert.equal(rp?.classification.isth.result, 'major');
    assert.equal(rp?.classification.varc2.result, 'life_threatening'); // shock needing vasopressors
    assert.equal(a.summary.barc.worst, '3b');
    // first BARC ≥ 3a is the GI bleed at 12 h = 720 min after the anchor (the device start)
    assert.equal(a.summary.barc.firstMajor?.t_min, 720);
    assert.equal(a.firstMajorSinceFirstDevice_min.barc, 720);
    // first TIMI major: none (minor, minor)
    assert.equal(a.summary.timi.firstMajor, null);
  });
  it('bleeding-cabg: BARC 4 from chest-tube output and reoperation; 4 RBC units counted, plasma not', () => {
    const a = assessBleeding(load('bleeding-cabg'));
    const e = a.events[0];
    assert.equal(e?.classification.barc.result, '4');
    assert.equal(e?.facts.rbcUnitsWithin48h, 4);
  });
  it('bleeding-fatal-definite and -probable: 5b and 5a', () => {
    assert.equal(assessBleeding(load('bleeding-fatal-definite')).summary.barc.worst, '5b');
    assert.equal(assessBleeding(load('bleeding-fatal-probable')).summary.barc.worst, '5a');
  });
  it('no death in the episode → the bleed is not fatal (reason given); a death of unknown cause leaves it open', () => {
    const bleed = { kind: 'bleeding', time: at(5), facts: { site: 'gastrointestinal', overt: true } };
    const a = assessBleeding(episode([bleed]));
    assert.equal(a.events[0]?.facts.fatal, false);
    assert.ok(a.events[0]?.derived.some((r) => r.criterion === 'not_fatal_no_death'));
    const b = assessBleeding(episode([bleed, { kind: 'death', time: at(30) }]));
    assert.equal(b.events[0]?.facts.fatal, undefined);
    assert.equal(b.events[0]?.classification.barc.upperBound, '5b');
    assert.ok(b.events[0]?.classification.barc.missing.includes('fatal'));
  });
  it('no transfusion events → 0 units (known); unlinked transfusions count within 48 h of onset only', () => {
    const bleed = { kind: 'bleeding', time: at(5), facts: { site: 'gastrointestinal', overt: true } };
    const a = assessBleeding(episode([bleed]));
    assert.equal(a.events[0]?.facts.rbcUnitsWithin48h, 0);
    const b = assessBleeding(
      episode([
        bleed,
        { kind: 'transfusion', time: at(52.9), product: 'rbc', units: 1 }, // 47.9 h after onset: counts
        { kind: 'transfusion', time: at(53.1), product: 'rbc', units: 1 }, // 48.1 h: does not
        { kind: 'transfusion', time: at(6), product: 'platelets', units: 1 }, // not red cells
      ]),
    );
    assert.equal(b.events[0]?.facts.rbcUnitsWithin48h, 1);
    assert.equal(b.events[0]?.classification.barc.result, '3a');
  });
  it('Hb in g/L: 125 g/L → 95 g/L is a 3.0 g/dL drop → BARC 3a at the boundary', () => {
    const a = assessBleeding(
      episode([{ kind: 'bleeding', time: at(5), facts: { site: 'gastrointestinal', overt: true } }], [hb(4, 125, 'g/L'), hb(10, 95, 'g/L')]),
    );
    assert.equal(a.events[0]?.classification.hbDrop.result.uncorrected_g_dL, 3);
    assert.equal(a.events[0]?.classification.barc.result, '3a');
  });
  it('missing data: no Hb observations → Hb listed as missing and the upper bound reflects it', () => {
    const a = assessBleeding(episode([{ kind: 'bleeding', time: at(5), facts: { site: 'gastrointestinal', overt: true } }]));
    const c = a.events[0]?.classification;
    assert.ok(c?.missing.includes('hbBaseline'));
    assert.equal(c?.timi.upperBound, 'major');
    assert.ok(a.missing.includes('hbNadir'));
  });
  it('recorded facts win over derived ones', () => {
    const a = assessBleeding(
      episode(
        [{ kind: 'bleeding', time: at(5), facts: { site: 'gastrointestinal', overt: true, hbBaseline: { value: 14 }, hbNadir: { value: 13 } } }],
        [hb(4, 12), hb(10, 8)],
      ),
    );
    assert.equal(a.events[0]?.classification.hbDrop.result.uncorrected_g_dL, 1);
  });
});
