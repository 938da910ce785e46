// Property: making any single input worse never lowers the SCAI stage (issue 3, tests). "Worse" is each input
// moved in its harmful direction. The deterioration block compares later values with the first values of its
// window (Jentzer 2019: max in 24 h vs first hour), so a worse *baseline* (first lactate, a first-hour dose)
// legitimately reads as "not deteriorating"; the property therefore perturbs lactate/creatinine only at their
// latest value and vasoactives only after the baseline hour (see docs/clinical/scai.md, "Monotonicity").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { infusion } from './__fixtures__/scai-builders.js';
import { JENTZER_2019, SCAI_2019, SCAI_2022, type ScaiRuleSet } from './rule-set.js';
import { scaiStageAt } from './scai-assessment.js';
import type { ScaiArrest, ScaiDevice, ScaiInfusion, ScaiInput, ScaiObservation } from './scai-input.js';
import { stageScore } from './stage.js';

const T = 600;
const STATUS: Array<[string, number, number, 1 | -1]> = [
  // code, min, max, direction of "worse"
  ['sbp_mmHg', 50, 150, -1],
  ['map_mmHg', 35, 110, -1],
  ['heart_rate_per_min', 50, 150, 1],
  ['urine_output_mL_h', 0, 120, -1],
  ['ph', 6.9, 7.45, -1],
  ['cardiac_index_L_min_m2', 1.2, 3.8, -1],
  ['pcwp_mmHg', 4, 35, 1],
  ['alt_U_L', 10, 400, 1],
];
const SERIES: Array<[string, number, number]> = [
  ['lactate_mmol_L', 0.5, 12],
  ['creatinine_mg_dL', 0.5, 3],
];
const DRUGS = ['norepinephrine', 'epinephrine', 'dopamine', 'dobutamine', 'milrinone', 'vasopressin', 'phenylephrine'];

const obsArb = (codes: Array<[string, number, number, ...unknown[]]>) =>
  fc.array(
    fc.record({
      k: fc.integer({ min: 0, max: codes.length - 1 }),
      t: fc.integer({ min: 0, max: T }),
      u: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { maxLength: 25 },
  ).map((xs) => xs.map(({ k, t, u }): ScaiObservation => ({ code: codes[k][0], t_min: t, value: codes[k][1] + u * (codes[k][2] - codes[k][1]) })));

const infArb = fc.array(
  fc.record({ d: fc.constantFrom(...DRUGS), s: fc.integer({ min: 0, max: T }), len: fc.option(fc.integer({ min: 10, max: 600 }), { nil: undefined }), r: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
  { maxLength: 4 },
).map((xs) => xs.map(({ d, s, len, r }): ScaiInfusion => infusion(d, s, d === 'vasopressin' ? r * 0.06 : d === 'dopamine' || d === 'dobutamine' ? r * 15 : r, len !== undefined ? s + len : undefined)));

const devArb = fc.array(fc.record({ kind: fc.constantFrom('iabp', 'microaxial', 'va_ecmo'), t: fc.integer({ min: 0, max: T }) }), { maxLength: 2 })
  .map((xs) => xs.map(({ kind, t }): ScaiDevice => ({ kind, t_insert_min: t })));
const arrestArb = fc.array(fc.record({ t: fc.integer({ min: 0, max: T }), gcs: fc.option(fc.integer({ min: 3, max: 15 }), { nil: undefined }) }), { maxLength: 1 })
  .map((xs) => xs.map(({ t, gcs }): ScaiArrest => ({ t_min: t, ...(gcs !== undefined ? { gcsAfter: gcs } : {}) })));

const inputArb = fc.record({
  status: obsArb(STATUS),
  series: obsArb(SERIES),
  infusions: infArb,
  devices: devArb,
  arrests: arrestArb,
  weight: fc.option(fc.integer({ min: 40, max: 150 }), { nil: undefined }),
}).map((x): ScaiInput => ({
  observations: [...x.status, ...x.series],
  infusions: x.infusions,
  devices: x.devices,
  arrests: x.arrests,
  ...(x.weight !== undefined ? { weight_kg: x.weight } : {}),
}));

const ruleSetArb = fc.record({ rs: fc.constantFrom<ScaiRuleSet>(JENTZER_2019, SCAI_2019, SCAI_2022), man: fc.boolean() })
  .map(({ rs, man }) => ({ ...rs, missingAsNormal: man }));

type Change = { kind: 'status' | 'series' | 'infusion' | 'newInfusion' | 'device' | 'arrest'; pick: number; amount: number; drug: string; t: number; kindOf: string };
const changeArb = fc.record({
  kind: fc.constantFrom<Change['kind']>('status', 'series', 'infusion', 'newInfusion', 'device', 'arrest'),
  pick: fc.nat(),
  amount: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  drug: fc.constantFrom(...DRUGS),
  t: fc.integer({ min: 61, max: T }),
  kindOf: fc.constantFrom('iabp', 'microaxial', 'va_ecmo'),
});

/** Apply one "worse" change; null when the change does not apply to this input. */
function worsen(inp: ScaiInput, c: Change): ScaiInput | null {
  const obs = inp.observations;
  switch (c.kind) {
    case 'status': {
      const idx = obs.map((o, i) => [o, i] as const).filter(([o]) => STATUS.some((s) => s[0] === o.code));
      if (idx.length === 0) return null;
      const [o, i] = idx[c.pick % idx.length];
      const dir = STATUS.find((s) => s[0] === o.code)![3];
      const value = dir > 0 ? o.value * (1 + c.amount) + 1 : Math.max(0, o.value * (1 - c.amount) - 0.01);
      return { ...inp, observations: obs.map((x, j) => (j === i ? { ...x, value } : x)) };
    }
    case 'series': {
      // the latest value of a lactate/creatinine series at or before T (stable sort order, as the rules read it)
      const code = SERIES[c.pick % SERIES.length][0];
      const list = obs.map((o, i) => [o, i] as const).filter(([o]) => o.code === code && o.t_min <= T).sort((a, b) => a[0].t_min - b[0].t_min || a[1] - b[1]);
      const last = list[list.length - 1];
      if (last === undefined) return null;
      return { ...inp, observations: obs.map((x, j) => (j === last[1] ? { ...x, value: x.value * (1 + c.amount) + 0.1 } : x)) };
    }
    case 'infusion': {
      const after = inp.infusions.map((f, i) => [f, i] as const).filter(([f]) => f.t_start_min > 60);
      if (after.length === 0) return null;
      const [, i] = after[c.pick % after.length];
      return { ...inp, infusions: inp.infusions.map((f, j) => (j === i ? { ...f, rate: f.rate * (1 + c.amount) } : f)) };
    }
    case 'newInfusion':
      return { ...inp, infusions: [...inp.infusions, infusion(c.drug, c.t, c.drug === 'vasopressin' ? 0.03 : 0.1)] };
    case 'device':
      return { ...inp, devices: [...inp.devices, { kind: c.kindOf, t_insert_min: c.t - 60 }] };
    case 'arrest':
      return { ...inp, arrests: [...inp.arrests, { t_min: c.t, gcsAfter: 3 }] };
  }
}

test('property: making any single input worse never lowers the stage or its bounds', () => {
  fc.assert(
    fc.property(inputArb, ruleSetArb, changeArb, (inp, rs, c) => {
      const worse = worsen(inp, c);
      if (worse === null) return;
      const a = scaiStageAt(inp, T, rs).result;
      const b = scaiStageAt(worse, T, rs).result;
      const msg = `${c.kind}: ${a.label} → ${b.label}`;
      assert.ok(stageScore(b.stageLowerBound) >= stageScore(a.stageLowerBound), msg);
      assert.ok(stageScore(b.stageUpperBound) >= stageScore(a.stageUpperBound), msg);
      if (a.caModifier === true) assert.equal(b.caModifier, true, msg);
    }),
    { numRuns: 1500 },
  );
});

test('property: classification never throws and lower ≤ upper on any input', () => {
  fc.assert(
    fc.property(inputArb, ruleSetArb, fc.integer({ min: -100, max: 2000 }), (inp, rs, t) => {
      const r = scaiStageAt(inp, t, rs).result;
      assert.ok(stageScore(r.stageLowerBound) <= stageScore(r.stageUpperBound));
      assert.equal(r.stage, r.stageLowerBound);
    }),
    { numRuns: 500 },
  );
});

// Sound bounds (reference 1.6 rule 2) for the codes that feed Jentzer's core criteria. The SCAI-only findings
// (pH, PA catheter, ALT) are supplementary: they lift a stage when present and do not widen the bounds when absent.
test('property: removing every value of one core code keeps the complete-data stage inside the new bounds', () => {
  const codes = ['sbp_mmHg', 'map_mmHg', 'heart_rate_per_min', 'urine_output_mL_h', 'lactate_mmol_L', 'creatinine_mg_dL'];
  fc.assert(
    fc.property(inputArb, fc.constantFrom(JENTZER_2019, SCAI_2019, SCAI_2022), fc.constantFrom(...codes), (inp, rs, code) => {
      const full = scaiStageAt(inp, T, rs).result;
      if (!full.determinate) return;
      const less = scaiStageAt({ ...inp, observations: inp.observations.filter((o) => o.code !== code) }, T, rs).result;
      assert.ok(stageScore(less.stageLowerBound) <= stageScore(full.stage) && stageScore(full.stage) <= stageScore(less.stageUpperBound), `${code}: ${full.label} vs ${less.label}`);
    }),
    { numRuns: 800 },
  );
});
