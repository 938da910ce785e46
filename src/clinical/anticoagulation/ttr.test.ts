import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { discordanceTime, rosendaalTtr, type BandSegment } from './ttr.js';

const STD: BandSegment[] = [{ from_min: -Infinity, to_min: Infinity, band: { low: 0.31, high: 0.5 } }];
const opts = { maxGap_min: 1440 };
const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

// Reference 7.7 (Rosendaal 1993): the classic INR illustration — INR 1.5 → 3.5 over 10 days, target 2–3:
// the line crosses 2 at day 2.5 and 3 at day 7.5, so 5 of 10 days are in range (50 %), 25 % below, 25 % above.
test('reference 7.7: Rosendaal linear interpolation, INR 1.5 → 3.5 over 10 days in 2–3 → 50 % in range', () => {
  const r = rosendaalTtr([{ t_min: 0, value: 1.5 }, { t_min: 14400, value: 3.5 }], [{ from_min: 0, to_min: Infinity, band: { low: 2, high: 3 } }], { maxGap_min: 20000 });
  close(r.result.inRange_pct, 50);
  close(r.result.below_pct, 25);
  close(r.result.above_pct, 25);
});

// Hand calculation: anti-Xa 0.2 → 0.6 over 600 min against 0.31–0.50. Below until (0.31−0.2)/0.4 = 0.275 → 165 min;
// above after (0.5−0.2)/0.4 = 0.75 → 150 min; in range 285 min = 47.5 %.
test('reference 7.7 step 2: crossing times solved on a rising anti-Xa (165 min below, 285 in, 150 above)', () => {
  const r = rosendaalTtr([{ t_min: 600, value: 0.6 }, { t_min: 0, value: 0.2 }], STD, opts); // unsorted on purpose
  close(r.result.below_min, 165);
  close(r.result.inRange_min, 285);
  close(r.result.above_min, 150);
  close(r.result.inRange_pct, 47.5);
  // falling: mirror image
  const f = rosendaalTtr([{ t_min: 0, value: 0.6 }, { t_min: 600, value: 0.2 }], STD, opts);
  close(f.result.above_min, 150);
  close(f.result.below_min, 165);
});

// Reference 7.7 step 2: "bands may change — use the band in force at each instant".
test('reference 7.7 step 2: a band change between samples (standard → low band at 300 min) is applied at its instant', () => {
  const bands: BandSegment[] = [
    { from_min: 0, to_min: 300, band: { low: 0.31, high: 0.5 } },
    { from_min: 300, to_min: Infinity, band: { low: 0.2, high: 0.3 } },
  ];
  const r = rosendaalTtr([{ t_min: 0, value: 0.4 }, { t_min: 600, value: 0.4 }], bands, opts);
  close(r.result.inRange_min, 300);
  close(r.result.above_min, 300);
  close(r.result.inRange_pct, 50);
});

// Reference 7.7 step 4 [D]: gaps > 24 h are not interpolated.
test('reference 7.7 step 4: a gap of 24 h is interpolated, 24 h + 1 min is unobserved', () => {
  const ok = rosendaalTtr([{ t_min: 0, value: 0.4 }, { t_min: 1440, value: 0.4 }], STD, opts);
  close(ok.result.inRange_pct, 100);
  const gap = rosendaalTtr([{ t_min: 0, value: 0.4 }, { t_min: 1441, value: 0.4 }], STD, opts);
  assert.equal(gap.result.inRange_pct, undefined);
  assert.deepEqual(gap.result.unobservedGaps, [{ from_min: 0, to_min: 1441 }]);
  assert.ok(gap.missing.length > 0);
});

test('time with no band in force and excluded time are reported, not counted in the denominator', () => {
  const bands: BandSegment[] = [{ from_min: 200, to_min: Infinity, band: { low: 0.31, high: 0.5 } }];
  const r = rosendaalTtr([{ t_min: 0, value: 0.4 }, { t_min: 600, value: 0.4 }], bands, {
    maxGap_min: 1440,
    exclude: [{ from_min: 400, to_min: 500, reason: 'held for procedure' }],
  });
  assert.equal(r.result.noTarget_min, 200);
  assert.equal(r.result.excluded_min, 100);
  assert.equal(r.result.assessed_min, 300);
  close(r.result.inRange_pct, 100);
});

test('missing data: fewer than two samples → TTR undefined, named missing', () => {
  const r = rosendaalTtr([{ t_min: 0, value: 0.4 }], STD, opts);
  assert.equal(r.result.inRange_pct, undefined);
  assert.deepEqual(r.missing, ['at least 2 samples']);
});

// Reference 7.7 step 4: discordance time. anti-Xa constant 0.40 (in); aPTT 70 → 90 s over 600 min against 56–80:
// aPTT leaves the band at x = (80−70)/20 = 0.5 → 300 min discordant of 600 (50 %).
test('reference 7.7 step 4: discordance time, anti-Xa in range while aPTT rises out of its paired band', () => {
  const r = discordanceTime(
    [{ t_min: 0, value: 0.4 }, { t_min: 600, value: 0.4 }],
    [{ t_min: 0, value: 70 }, { t_min: 600, value: 90 }],
    STD,
    [{ from_min: -Infinity, to_min: Infinity, band: { low: 56, high: 80 } }],
    opts,
  );
  close(r.result.discordant_min, 300);
  close(r.result.jointObserved_min, 600);
  close(r.result.discordant_pct_of_joint, 50);
  close(r.result.discordant_pct_of_antiXaInRange, 50);
});

test('property: in + below + above = assessed, and samples all in range give 100 %', () => {
  const pts = fc.array(fc.record({ t_min: fc.integer({ min: 0, max: 5000 }), value: fc.double({ min: 0, max: 2, noNaN: true }) }), { minLength: 2, maxLength: 20 });
  fc.assert(
    fc.property(pts, (samples) => {
      const r = rosendaalTtr(samples, STD, opts).result;
      assert.ok(Math.abs(r.inRange_min + r.below_min + r.above_min - r.assessed_min) < 1e-6);
      if (r.inRange_pct !== undefined) assert.ok(Math.abs(r.inRange_pct + r.below_pct! + r.above_pct! - 100) < 1e-6);
    }),
  );
  const inBand = fc.array(fc.record({ t_min: fc.integer({ min: 0, max: 5000 }), value: fc.double({ min: 0.31, max: 0.5, noNaN: true }) }), { minLength: 2, maxLength: 20 });
  fc.assert(
    fc.property(inBand, (samples) => {
      const r = rosendaalTtr(samples, STD, { maxGap_min: 10000 }).result;
      if (r.assessed_min > 0) assert.ok(Math.abs((r.inRange_pct ?? 0) - 100) < 1e-9);
    }),
  );
});
