// fast-check arbitrary of schema-valid episode inputs (values inside every reject range), for property tests of the
// rules: "classification never throws on any schema-valid episode". Shared by the rule folders' tests.
import fc from 'fast-check';
import { OBSERVATION_CODES, OBSERVATION_CODE_NAMES } from '../observation-codes.js';
import { ANCHOR, at } from './build.js';

const minute = fc.integer({ min: -600, max: 3 * 1440 });

const observation = fc.constantFrom(...OBSERVATION_CODE_NAMES.filter((c) => c !== 'dbp_mmHg' && c !== 'padp_mmHg' && c !== 'map_mmHg')).chain((code) => {
  const { min, max } = OBSERVATION_CODES[code].reject;
  const value = OBSERVATION_CODES[code].integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.record({ code: fc.constant(code), value, t: minute }).map((o) => ({ time: at(o.t), code: o.code, value: o.value }));
});

const infusion = fc
  .record({
    drug: fc.constantFrom('norepinephrine', 'epinephrine', 'dopamine', 'dobutamine', 'milrinone', 'phenylephrine'),
    rate: fc.double({ min: 0, max: 2, noNaN: true }),
    t: minute,
    dur: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
  })
  .map((x) => ({ drug: x.drug, rate: x.rate, rateUnit: 'ug/kg/min', start: at(x.t), ...(x.dur ? { end: at(x.t + x.dur) } : {}) }));

const device = fc
  .record({ kind: fc.constantFrom('iabp', 'microaxial', 'va_ecmo'), t: minute, dur: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }) })
  .map((d) => ({
    kind: d.kind,
    ...(d.kind === 'microaxial' ? { model: 'Impella CP' } : {}),
    insertion: at(d.t),
    ...(d.dur ? { removal: at(d.t + d.dur) } : {}),
  }));

const support = fc
  .record({ kind: fc.constantFrom('invasive_ventilation', 'noninvasive_ventilation', 'kidney_replacement'), t: minute })
  .map((s) => ({ kind: s.kind, start: at(s.t) }));

const hemolysisEvent = fc
  .record({ t: minute, hemoglobinuria: fc.boolean(), actions: fc.subarray(['device_exchange', 'repositioning', 'speed_reduction']) })
  .map((e) => ({ kind: 'hemolysis', time: at(e.t), hemoglobinuria: e.hemoglobinuria, actions: e.actions }));

/** A schema-valid episode input with random observations, infusions, devices, supports and hemolysis events. */
export const arbitraryEpisodeInput = fc.record({
  observations: fc.array(observation, { maxLength: 40 }),
  infusions: fc.array(infusion, { maxLength: 5 }),
  devices: fc.array(device, { maxLength: 2 }),
  supports: fc.array(support, { maxLength: 2 }),
  events: fc.array(hemolysisEvent, { maxLength: 2 }),
  weight: fc.option(fc.double({ min: 20, max: 400, noNaN: true }), { nil: undefined }),
  height: fc.option(fc.double({ min: 100, max: 250, noNaN: true }), { nil: undefined }),
  etiology: fc.option(fc.constantFrom('AMI', 'HF-denovo', 'secondary'), { nil: undefined }),
}).map((x) => ({
  id: 'arb',
  anchor: { kind: 'admission', time: ANCHOR },
  demographics: { ...(x.weight !== undefined ? { weight: x.weight } : {}), ...(x.height !== undefined ? { height: x.height } : {}) },
  clinical: x.etiology ? { etiology: x.etiology } : {},
  observations: x.observations,
  infusions: x.infusions,
  devices: x.devices,
  supports: x.supports,
  events: x.events,
}));
