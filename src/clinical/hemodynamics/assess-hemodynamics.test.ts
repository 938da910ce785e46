import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEpisode, type Episode } from '../episode/episode.js';
import { fullExampleRaw } from '../episode/__fixtures__/build.js';
import { assessHemodynamics, pacMeasurementTimes } from './assess-hemodynamics.js';
import { vasoactiveCourse, vasoactiveWindowSummary } from './vasoactive-course.js';

function load(): Episode {
  const r = parseEpisode(fullExampleRaw());
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.episode;
}

test('profile at the PA-catheter set of the full example (09:30, t = 90 min), by hand', () => {
  const p = assessHemodynamics(load(), { atMin: 90 });
  // MAP = 60 + (92 − 60)/3 = 70.667
  assert.equal(p.map.result, 70.667);
  // BSA = √(176 × 82 / 3600) = 2.002
  assert.equal(p.bsa.result, 2.002);
  // CI = 3.6 / 2.002 = 1.798
  assert.equal(p.cardiacIndex.result, 1.798);
  // CPO = 70.667 × 3.6 / 451 = 0.564
  assert.equal(p.cpo.result, 0.564);
  // PAPi = (44 − 24)/12 = 1.667; RAP/PCWP = 12/24 = 0.5; SVR = 80 × (70.667 − 12)/3.6 = 1304
  assert.equal(p.papi.result, 1.667);
  assert.equal(p.rapPcwp.result, 0.5);
  assert.equal(p.svr.result, 1304);
  assert.equal(p.svo2_pct, 52);
  assert.equal(p.coMethod, 'thermodilution');
  // HR was last recorded at t = 0, older than the 60-min vitals window: shock index lacks heart rate
  assert.equal(p.shockIndex.result, null);
  assert.ok(p.missing.includes('heart_rate_per_min'));
  // vasoactives at t = 90: NE 0.12, dobutamine 5, vasopressin 0.03 U/min at 82 kg
  // VIS = 100 × 0.12 + 5 + 10000 × 0.03/82 = 12 + 5 + 3.6585 = 20.6585; NEE = 0.12 + 2.5 × 0.03 = 0.195
  assert.equal(p.vasoactives.count, 3);
  assert.equal(p.vasoactives.vis.result, 20.6585);
  assert.equal(p.vasoactives.nee.result, 0.195);
});

test('a longer vitals window is a parameter: with 120 min the admission HR is used', () => {
  const p = assessHemodynamics(load(), { atMin: 90, parameters: { vitalsMaxAgeMin: 120 } });
  // HR 112 at t = 0; SBP 92 at t = 90 → 112/92 = 1.217
  assert.equal(p.shockIndex.result, 1.217);
});

test('no PA catheter before t = 90: invasive indices report their missing inputs', () => {
  const p = assessHemodynamics(load(), { atMin: 10 });
  assert.equal(p.cardiacIndex.result, null);
  assert.ok(p.missing.includes('cardiac_output_L_min'));
  assert.ok(p.missing.includes('rap_mmHg'));
  assert.equal(p.map.result, 62); // measured MAP at t = 0
});

test('vasoactive course: states at every change; maximum count, VIS and NEE over 24 h', () => {
  const e = load();
  const course = vasoactiveCourse(e, 0, 1440);
  assert.deepEqual(course.map((s) => s.t_min), [0, 15, 30, 60, 180, 240, 480]);
  assert.deepEqual(course.map((s) => s.count), [0, 1, 2, 3, 2, 2, 1]);
  const s = vasoactiveWindowSummary(e, 0, 1440);
  assert.equal(s.maxCount, 3);
  assert.equal(s.maxVis, 20.6585);
  assert.equal(s.maxNee, 0.195);
  // first hour: NE 0.12 + dobutamine 5 → VIS 17, 2 drugs
  const first = vasoactiveWindowSummary(e, 0, 60 - 1e-9);
  assert.equal(first.maxVis, 17);
  assert.equal(first.maxCount, 2);
});

test('PA-catheter measurement times', () => {
  assert.deepEqual(pacMeasurementTimes(load()), [90]);
});
