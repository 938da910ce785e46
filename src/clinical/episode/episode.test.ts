import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEpisode, type Episode, type ParseEpisodeResult } from './episode.js';
import { OBSERVATION_CODES, OBSERVATION_CODE_NAMES } from './observation-codes.js';
import { fullExampleRaw } from './__fixtures__/build.js';

const full = fullExampleRaw() as Record<string, unknown>;
const clone = <T,>(x: T): T => structuredClone(x);

function ok(r: ParseEpisodeResult): Episode {
  if (!r.ok) assert.fail(`expected ok, got problems:\n${r.problems.map((p) => p.message).join('\n')}`);
  return r.episode;
}
function problems(r: ParseEpisodeResult) {
  if (r.ok) assert.fail('expected problems, got ok');
  return r.problems;
}
const minimal = (extra: Record<string, unknown> = {}) => ({
  id: 'm', anchor: { kind: 'admission', time: '2026-01-01T00:00:00Z' }, demographics: { weight: 80, height: 180 }, ...extra,
});
const obs = (code: string, value: number, unit?: string, time = '2026-01-01T01:00:00Z') => ({ time, code, value, ...(unit ? { unit } : {}) });

test('the full documented example parses without warnings (docs/episode-format.md)', () => {
  const r = parseEpisode(full);
  const e = ok(r);
  assert.equal(r.warnings.length, 0);
  assert.equal(e.devices[0]?.kind, 'microaxial');
  assert.equal(e.purge[0]?.heparin_IU_h, 300); // 25 IU/mL × 12 mL/h (reference 7.1 example)
});

test('times: t_min is minutes since the anchor, honouring offsets', () => {
  const e = ok(parseEpisode(minimal({ observations: [obs('heart_rate_per_min', 80, undefined, '2026-01-01T03:30:00+02:00')] })));
  // 03:30+02:00 = 01:30Z → 90 min after 00:00Z
  assert.equal(e.observations[0]?.t_min, 90);
  const before = ok(parseEpisode(minimal({ observations: [obs('heart_rate_per_min', 80, undefined, '2025-12-31T23:00:00Z')] })));
  assert.equal(before.observations[0]?.t_min, -60);
});

test('unit conversion on the way in keeps the original value and unit (reference 8)', () => {
  const e = ok(parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 45.04, 'mg/dL'), obs('creatinine_mg_dL', 176.8, 'umol/L'), obs('hemoglobin_g_dL', 95, 'g/L')] })));
  const [lac, cr, hb] = e.observations;
  assert.equal(lac?.value, 5); // 45.04 × 10 / 90.08
  assert.equal(lac?.unit, 'mmol/L');
  assert.equal(lac?.originalValue, 45.04);
  assert.equal(lac?.originalUnit, 'mg/dL');
  assert.equal(cr?.value, 2); // 176.8 / 88.4
  assert.equal(hb?.value, 9.5);
  const canonical = ok(parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 3)] })));
  assert.equal(canonical.observations[0]?.originalUnit, undefined);
});

test('a unit error is caught as an impossible value: lactate 36 given as mmol/L but meant mg/dL (reference 9)', () => {
  const p = problems(parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 36, 'mmol/L')] })));
  assert.equal(p.length, 1);
  assert.equal(p[0]?.path, 'observations[0].value');
  assert.equal(p[0]?.value, 36);
  assert.equal(p[0]?.expected, '0–35 mmol/L');
  assert.match(p[0]?.message ?? '', /Lactate 36 mmol\/L is outside the accepted range 0–35 mmol\/L/);
});

test('reject bounds are inclusive: lactate 35 passes (with a warning), 35.01 is rejected; warn at 20 vs 20.01', () => {
  const at35 = parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 35)] }));
  ok(at35);
  assert.equal(at35.warnings.length, 1);
  assert.equal(problems(parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 35.01)] }))).length, 1);
  assert.equal(parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 20)] })).warnings.length, 0);
  const w = parseEpisode(minimal({ observations: [obs('lactate_mmol_L', 20.01)] }));
  ok(w);
  assert.equal(w.warnings[0]?.path, 'observations[0].value');
  assert.equal(w.warnings[0]?.expected, '0.3–20 mmol/L');
});

test('converted values are range-checked in the canonical unit and the message names what was entered', () => {
  const p = problems(parseEpisode(minimal({ observations: [obs('hemoglobin_g_dL', 300, 'g/L')] })));
  assert.match(p[0]?.message ?? '', /300 g\/L \(= 30 g\/dL\) is outside the accepted range 1–25 g\/dL/);
});

test('every problem is collected, not just the first (structure, units, ranges, cross-field)', () => {
  const raw = minimal({
    anchor: { kind: 'sometime', time: '2026-01-01 00:00' },
    observations: [obs('lactate_mmol_L', 99), obs('creatinine_mg_dL', 1, 'mmol/L'), obs('gcs', 7.5), { time: 'x', code: 'nope', value: 'a' }],
  });
  const p = problems(parseEpisode(raw));
  const paths = p.map((x) => x.path).sort();
  assert.deepEqual(paths, [
    'anchor.kind', 'anchor.time',
    'observations[0].value', 'observations[1].unit', 'observations[2].value',
    'observations[3].code', 'observations[3].time', 'observations[3].value',
  ]);
  const code = p.find((x) => x.path === 'observations[3].code');
  assert.equal(code?.value, 'nope');
  assert.match(code?.expected ?? '', /^one of: heart_rate_per_min/);
});

test('a structurally invalid episode still gets the value, order and cross-field checks of its well-formed records', () => {
  const { id: _id, ...noId } = minimal({
    demographics: { sex: 'robot', weight: 80 },
    observations: [
      obs('sbp_mmHg', 80), obs('dbp_mmHg', 85), // DBP > SBP at 01:00
      obs('pasp_mmHg', 30, undefined, '2026-01-01T02:00:00Z'), obs('padp_mmHg', 31, undefined, '2026-01-01T02:00:00Z'), // PAD > PAS at 02:00
      { time: 'x', code: 'sbp_mmHg', value: 90 }, // malformed: reported by structure, not cross-checked
    ],
    infusions: [{ drug: 'norepinephrine', start: '2026-01-01T02:00:00Z', end: '2026-01-01T01:00:00Z', rate: 8, rateUnit: 'ug/min' }],
    supports: [{ kind: 'invasive_ventilation', start: '2026-01-01T03:00:00Z', end: '2026-01-01T02:00:00Z' }],
    events: [{ kind: 'bleeding' }, { kind: 'transfusion', time: '2026-01-01T01:00:00Z', product: 'rbc', units: 2, forBleedingEvent: 0 }],
  });
  const p = problems(parseEpisode(noId));
  assert.deepEqual(p.map((x) => x.path).sort(), [
    'demographics.sex', 'events[0].time', 'events[0].facts', 'id', 'infusions[0].end',
    'observations[1].value', 'observations[3].value', 'observations[4].time', 'supports[0].end',
  ].sort());
  // the rate in ug/min was converted with the weight kept from the malformed demographics (no "needs weight" problem)
  assert.ok(!p.some((x) => x.path === 'infusions[0].rateUnit'));
});

test('cross-field: DBP > SBP and PAD > PAS rejected; MAP outside DBP..SBP rejected (reference 9)', () => {
  const p = problems(parseEpisode(minimal({ observations: [obs('sbp_mmHg', 80), obs('dbp_mmHg', 85), obs('pasp_mmHg', 30), obs('padp_mmHg', 31)] })));
  assert.deepEqual(p.map((x) => x.path), ['observations[1].value', 'observations[3].value']);
  const m = problems(parseEpisode(minimal({ observations: [obs('sbp_mmHg', 80), obs('dbp_mmHg', 50), obs('map_mmHg', 81)] })));
  assert.equal(m[0]?.path, 'observations[2].value');
  // equal values are allowed
  ok(parseEpisode(minimal({ observations: [obs('sbp_mmHg', 80), obs('dbp_mmHg', 80), obs('map_mmHg', 80)] })));
});

test('cross-field warning: PCWP ≥ PAD + 5 passes with a warning', () => {
  const r = parseEpisode(minimal({ observations: [obs('padp_mmHg', 20), obs('pcwp_mmHg', 25)] }));
  ok(r);
  assert.equal(r.warnings[0]?.path, 'observations[1].value');
  assert.equal(parseEpisode(minimal({ observations: [obs('padp_mmHg', 20), obs('pcwp_mmHg', 24)] })).warnings.length, 0);
});

test('GCS must be an integer 3–15; censoring only for assay-capped codes', () => {
  assert.equal(problems(parseEpisode(minimal({ observations: [obs('gcs', 2)] })))[0]?.expected, '3–15 {score}');
  ok(parseEpisode(minimal({ observations: [{ ...obs('aptt_s', 150), censored: 'gt' }] })));
  assert.equal(problems(parseEpisode(minimal({ observations: [{ ...obs('sbp_mmHg', 150), censored: 'gt' }] })))[0]?.path, 'observations[0].censored');
});

test('infusions: ug/min converted to ug/kg/min with weight; missing weight is a problem, not a guess', () => {
  const e = ok(parseEpisode(minimal({ infusions: [{ drug: 'norepinephrine', start: '2026-01-01T00:00:00Z', rate: 8, rateUnit: 'ug/min' }] })));
  assert.equal(e.infusions[0]?.rate, 0.1); // 8 / 80
  assert.equal(e.infusions[0]?.rateUnit, 'ug/kg/min');
  const noWeight = { ...minimal(), demographics: {}, infusions: [{ drug: 'norepinephrine', start: '2026-01-01T00:00:00Z', rate: 8, rateUnit: 'ug/min' }] };
  assert.equal(problems(parseEpisode(noWeight))[0]?.path, 'infusions[0].rateUnit');
  // vasopressin stays U/min; over-range norepinephrine rejected (reference 9: 0–5 ug/kg/min)
  assert.equal(problems(parseEpisode(minimal({ infusions: [{ drug: 'norepinephrine', start: '2026-01-01T00:00:00Z', rate: 6, rateUnit: 'ug/kg/min' }] })))[0]?.expected, '0–5 ug/kg/min');
  const h = ok(parseEpisode(minimal({ infusions: [{ drug: 'ufh', start: '2026-01-01T00:00:00Z', rate: 1000, rateUnit: 'U/h' }] })));
  assert.equal(h.infusions[0]?.rateUnit, '[IU]/h');
});

test('end before start is rejected for infusions, purge, devices and supports', () => {
  const p = problems(parseEpisode(minimal({
    infusions: [{ drug: 'dobutamine', start: '2026-01-01T02:00:00Z', end: '2026-01-01T01:00:00Z', rate: 5, rateUnit: 'ug/kg/min' }],
    devices: [{ kind: 'iabp', insertion: '2026-01-01T02:00:00Z', removal: '2026-01-01T01:00:00Z' }],
  })));
  assert.deepEqual(p.map((x) => x.path), ['infusions[0].end', 'devices[0].removal']);
});

test('weight and height: units converted, ranges checked (reference 9)', () => {
  const e = ok(parseEpisode({ ...minimal(), demographics: { weight: { value: 176, unit: '[lb_av]' }, height: { value: 1.8, unit: 'm' } } }));
  assert.ok(Math.abs((e.demographics.weight_kg ?? 0) - 79.832) < 0.001);
  assert.equal(e.demographics.height_cm, 180);
  assert.equal(problems(parseEpisode({ ...minimal(), demographics: { weight: 15 } }))[0]?.expected, '20–400 kg');
});

test('bleeding facts use engineer C schema: Hb in mmol/L converted to g/dL', () => {
  const e = ok(parseEpisode(full));
  const b = e.events[0];
  assert.equal(b?.kind, 'bleeding');
  if (b?.kind === 'bleeding') assert.ok(Math.abs((b.facts.hbNadir?.value_g_dL ?? 0) - 8.7013) < 0.001); // 5.4 / 0.6206
  const bad = clone(full) as { events: { facts?: { hbNadir?: { value: number } } }[] };
  bad.events[0]!.facts!.hbNadir!.value = 99; // 99 mmol/L = 159.5 g/dL
  assert.equal(problems(parseEpisode(bad))[0]?.path, 'events[0].facts.hbNadir.value');
});

test('unknown protocol id passes with a warning; transfusion pointing at a non-bleeding event is rejected', () => {
  const r = parseEpisode(minimal({ anticoagulation: [{ from: '2026-01-01T00:00:00Z', protocolId: 'site-x' }] }));
  ok(r);
  assert.equal(r.warnings[0]?.path, 'anticoagulation[0].protocolId');
  const p = problems(parseEpisode(minimal({ events: [{ kind: 'death', time: '2026-01-02T00:00:00Z' }, { kind: 'transfusion', time: '2026-01-01T00:00:00Z', product: 'rbc', units: 1, forBleedingEvent: 0 }] })));
  assert.equal(p[0]?.path, 'events[1].forBleedingEvent');
  assert.equal(problems(parseEpisode(minimal({ events: [{ kind: 'transfusion', time: '2026-01-01T00:00:00Z', product: 'rbc', units: 1.5 }] })))[0]?.path, 'events[0].units');
});

test('property: parseEpisode never throws and either returns an episode or at least one problem', () => {
  const code = fc.constantFrom(...OBSERVATION_CODE_NAMES);
  const anyObs = fc.record({
    time: fc.constantFrom('2026-01-01T01:00:00Z', '2026-01-01T02:00:00+01:00', 'bad'),
    code: fc.oneof(code, fc.string()),
    value: fc.oneof(fc.double({ noNaN: false }), fc.constant(1)),
    unit: fc.option(fc.constantFrom('mg/dL', 'mmol/L', 'g/L', 'umol/L', '%', 'x'), { nil: undefined }),
  });
  fc.assert(
    fc.property(fc.array(anyObs, { maxLength: 8 }), fc.anything(), (observations, junk) => {
      const r1 = parseEpisode(minimal({ observations }));
      const r2 = parseEpisode(junk);
      return (r1.ok || r1.problems.length > 0) && (r2.ok || r2.problems.length > 0);
    }),
  );
});

test('property: a value inside the reject band in the canonical unit always parses', () => {
  const code = fc.constantFrom(...OBSERVATION_CODE_NAMES.filter((c) => c !== 'gcs'));
  fc.assert(
    fc.property(code, fc.double({ min: 0, max: 1, noNaN: true }), (c, f) => {
      const { min, max } = OBSERVATION_CODES[c].reject;
      const v = min + (max - min) * f;
      return parseEpisode(minimal({ observations: [obs(c, v)] })).ok;
    }),
  );
});
