import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEpisode, type Episode } from './episode.js';
import {
  activeAt, devicesActiveAt, firstAtOrAfter, infusionsActiveAt, isoAt, lastAtOrBefore, maxInWindow, minInWindow,
  nearestTo, observationsInWindow, observationsOf, tMinOf,
} from './series.js';

const at = (h: number, m = 0) => `2026-01-01T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`;
function episode(): Episode {
  const r = parseEpisode({
    id: 's', anchor: { kind: 'admission', time: at(0) }, demographics: { weight: 70 },
    observations: [
      { time: at(2), code: 'lactate_mmol_L', value: 4 },
      { time: at(0), code: 'lactate_mmol_L', value: 3 },
      { time: at(6), code: 'lactate_mmol_L', value: 2 },
      { time: at(1), code: 'sbp_mmHg', value: 85 },
    ],
    infusions: [{ drug: 'norepinephrine', start: at(1), end: at(3), rate: 0.1, rateUnit: 'ug/kg/min' }],
    devices: [{ kind: 'iabp', insertion: at(2), removal: at(5) }],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.episode;
}

test('observations are sorted by time; window is inclusive at both ends', () => {
  const e = episode();
  assert.deepEqual(observationsOf(e, 'lactate_mmol_L').map((o) => o.t_min), [0, 120, 360]);
  assert.deepEqual(observationsInWindow(e, 'lactate_mmol_L', 0, 120).map((o) => o.value), [3, 4]);
  assert.equal(maxInWindow(e, 'lactate_mmol_L', 0, 1440)?.value, 4);
  assert.equal(minInWindow(e, 'lactate_mmol_L', 0, 1440)?.value, 2);
  assert.equal(maxInWindow(e, 'lactate_mmol_L', 500, 600), undefined);
});

test('last value at or before a time, with an optional maximum age', () => {
  const e = episode();
  assert.equal(lastAtOrBefore(e, 'lactate_mmol_L', 120)?.value, 4); // at exactly t
  assert.equal(lastAtOrBefore(e, 'lactate_mmol_L', 119)?.value, 3);
  assert.equal(lastAtOrBefore(e, 'lactate_mmol_L', 300, 60), undefined); // 180 min old
  assert.equal(lastAtOrBefore(e, 'lactate_mmol_L', -1), undefined);
  assert.equal(firstAtOrAfter(e, 'lactate_mmol_L', 121)?.value, 2);
  assert.equal(nearestTo(e, 'lactate_mmol_L', 200, 90)?.value, 4);
  assert.equal(nearestTo(e, 'lactate_mmol_L', 240, 120)?.value, 4); // tie 120 vs 360 → earlier
});

test('infusions and devices are active on [start, end)', () => {
  const e = episode();
  assert.equal(infusionsActiveAt(e, 59).length, 0);
  assert.equal(infusionsActiveAt(e, 60).length, 1);
  assert.equal(infusionsActiveAt(e, 180).length, 0);
  assert.equal(devicesActiveAt(e, 120, 'iabp').length, 1);
  assert.equal(devicesActiveAt(e, 120, 'microaxial').length, 0);
  assert.ok(activeAt(0, undefined, 1e9));
});

test('ISO time ↔ t_min', () => {
  const e = episode();
  assert.equal(tMinOf(e, '2026-01-01T03:00:00+01:00'), 120);
  assert.equal(isoAt(e, 90), '2026-01-01T01:30:00.000Z');
});

test('isoAt writes times in the anchor\'s UTC offset, not UTC (reason times match the input\'s own times)', () => {
  const anchor = { kind: 'admission' as const, time: '2026-05-01T08:00:00+02:00' };
  assert.equal(isoAt({ anchor }, 0), '2026-05-01T08:00:00.000+02:00');
  assert.equal(isoAt({ anchor }, 90), '2026-05-01T09:30:00.000+02:00');
  assert.equal(isoAt({ anchor }, -600), '2026-04-30T22:00:00.000+02:00'); // crosses midnight in local time
  assert.equal(isoAt({ anchor: { kind: 'admission', time: '2026-01-01T01:00:00-05:00' } }, 60), '2026-01-01T02:00:00.000-05:00');
});
