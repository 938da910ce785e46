import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { examplePath } from '../../../test/support/paths.js';
import { parseEpisode, type Episode } from '../episode/episode.js';
import { assessScai, scaiInputFromEpisode } from './assess-scai.js';

const load = (name: string): Episode => {
  const path = examplePath('episodes', `${name}.json`);
  const p = parseEpisode(JSON.parse(readFileSync(path, 'utf8')));
  if (!p.ok) throw new Error(`${name}: ${JSON.stringify(p.problems)}`);
  return p.episode;
};

// Expected stages from the episode data by hand, per reference 1.3/1.4 (see the comment of each case).
const cases: Array<[string, string, string, string]> = [
  // name, Jentzer admission stage, SCAI 2022 max stage, SCAI 2022 stage at 12 h
  ['scai-a-at-risk', 'A', 'A', 'A'], // SBP 118, HR 84, lactate ≤ 1.1, UO 75, creatinine flat
  ['scai-b-beginning', 'B', 'B', 'B'], // SBP 86 < 90, HR 108; lactate ≤ 1.6, UO 55, creatinine +0.1
  ['scai-c-classic', 'C', 'C', 'C'], // lactate 3.2 > 2, UO 25 < 30; on norepinephrine 0.08; lactate falling
  ['scai-d-deteriorating', 'D', 'D', 'D'], // lactate 2.6 → 4.8 (persistently ≥ 2), NE 0.1 → 0.22 + dobutamine, Impella CP after 135 min on NE
  ['scai-e-extremis', 'E', 'E', 'E'], // lactate 9.5/11.8, pH 7.12, NE + epi + vasopressin (> 2 vasoactives), VA-ECMO
  ['scai-arrest-coma', 'C-A', 'E-A', 'D-A'], // OHCA, GCS 5; pH 7.08 ≤ 7.2 → E (2022) early; lactate 7.4 < 8
];

for (const [name, admission, max, at12] of cases) {
  test(`example ${name}: parses, Jentzer admission ${admission}, SCAI 2022 max ${max}, at 12 h ${at12}`, () => {
    const ep = load(name);
    const j = assessScai(ep, { ruleSet: 'jentzer2019' });
    assert.equal(j.result.admission?.label, admission);
    const s = assessScai(ep, { ruleSet: 'scai2022', atMin: 720 });
    assert.equal(s.result.trajectory.maximum.lower + (s.result.trajectory.caModifier === true ? '-A' : ''), max);
    assert.equal(s.result.at?.label, at12);
    assert.deepEqual(s.missing, [], 'examples are complete enough for determinate stages');
  });
}

test('assessScai: stage at an ISO time equals the stage at its minutes since anchor', () => {
  const ep = load('scai-d-deteriorating');
  const byIso = assessScai(ep, { at: '2026-02-02T15:00:00+01:00' });
  const byMin = assessScai(ep, { atMin: 360 });
  assert.equal(byIso.result.at?.t_min, 360);
  assert.equal(byIso.result.at?.label, byMin.result.at?.label);
});

test('assessScai: stage at device start (D example: C before the pump, which was added for deterioration)', () => {
  const r = assessScai(load('scai-d-deteriorating'), { ruleSet: 'scai2022' });
  const dev = r.result.trajectory.atDeviceStart[0];
  assert.equal(dev.kind, 'microaxial');
  assert.equal(dev.label, 'Impella CP');
  assert.equal(dev.t_min, 140);
  assert.equal(dev.assessment.label, 'C');
});

test('scaiInputFromEpisode: arrest duration gives the end of CPR; only vasoactive infusions are kept', () => {
  const inp = scaiInputFromEpisode(load('scai-arrest-coma'));
  assert.deepEqual(inp.arrests.map((a) => [a.t_min, a.t_rosc_min, a.gcsAfter]), [[-40, -15, 5]]);
  assert.ok(inp.infusions.every((i) => i.drug === 'norepinephrine'));
  assert.equal(inp.weight_kg, 88);
});
