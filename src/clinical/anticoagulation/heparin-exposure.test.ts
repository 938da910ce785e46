import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { heparinDoseBetween, heparinExposure, heparinRateAt, heparinRateKind } from './heparin-exposure.js';
import type { HeparinRecords } from './inputs.js';

const none: HeparinRecords = { infusions: [], purges: [], boluses: [] };

// Reference 7.1 worked example [V]: "25 U/mL × 12 mL/h = 300 U/h from the purge alone".
test('reference 7.1: purge 25 IU/mL × 12 mL/h = 300 IU/h', () => {
  const r = heparinRateAt({ ...none, purges: [{ t_start_min: 0, heparin_IU_mL: 25, flow_mL_h: 12 }] }, 30);
  assert.equal(r.purge_IU_h, 300);
  assert.equal(r.total_IU_h, 300);
});

// Reference 7.1: totalUFH = IV + purge + boluses spread over the hour; also per kg.
test('reference 7.1: total = IV + purge + bolus spread over the hour, and per kg', () => {
  const rec: HeparinRecords = {
    weight_kg: 80,
    infusions: [{ t_start_min: 0, rate: 10, rateUnit: '[IU]/kg/h' }], // 10 × 80 = 800 IU/h
    purges: [{ t_start_min: 0, heparin_IU_mL: 50, flow_mL_h: 10 }], // 500 IU/h
    boluses: [{ t_min: 60, dose_IU: 4000 }], // 4000 IU/h during [60, 120)
  };
  const at90 = heparinRateAt(rec, 90);
  assert.equal(at90.iv_IU_h, 800);
  assert.equal(at90.total_IU_h, 800 + 500 + 4000);
  assert.equal(at90.total_IU_kg_h, 5300 / 80);
  assert.equal(heparinRateAt(rec, 120).total_IU_h, 1300); // bolus spread ends at 60 + 60 min
  // Dose over [0, 180): IV 800 × 3 + purge 500 × 3 + bolus 4000 = 7900 IU
  assert.deepEqual(heparinDoseBetween(rec, 0, 180, 180), { iv_IU: 2400, purge_IU: 1500, bolus_IU: 4000, total_IU: 7900 });
});

test('unit spellings: [IU]/h, [iU]/h, U/h per hour; [IU]/kg/h per kg; others unknown', () => {
  assert.equal(heparinRateKind('[IU]/h'), 'IU_h');
  assert.equal(heparinRateKind('[iU]/h'), 'IU_h');
  assert.equal(heparinRateKind('U/h'), 'IU_h');
  assert.equal(heparinRateKind('IU/kg/h'), 'IU_kg_h');
  assert.equal(heparinRateKind('[IU]/kg/h'), 'IU_kg_h');
  assert.equal(heparinRateKind('mg/kg/h'), undefined);
});

test('unit conversion: 1000 IU/h and 12.5 IU/kg/h × 80 kg give the same exposure', () => {
  const abs = heparinExposure({ ...none, infusions: [{ t_start_min: 0, rate: 1000, rateUnit: '[IU]/h' }] }, 0, 1440);
  const perKg = heparinExposure({ ...none, weight_kg: 80, infusions: [{ t_start_min: 0, rate: 12.5, rateUnit: '[IU]/kg/h' }] }, 0, 1440);
  assert.equal(abs.result.totals.total_IU, 24000);
  assert.equal(perKg.result.totals.total_IU, 24000);
});

test('missing data: a per-kg infusion without weight leaves IV and total unknown and names weight_kg', () => {
  const r = heparinExposure({ ...none, infusions: [{ t_start_min: 0, rate: 12, rateUnit: '[IU]/kg/h' }], purges: [{ t_start_min: 0, heparin_IU_mL: 25, flow_mL_h: 12 }] }, 0, 60);
  assert.equal(r.result.totals.iv_IU, undefined);
  assert.equal(r.result.totals.total_IU, undefined);
  assert.equal(r.result.totals.purge_IU, 300);
  assert.deepEqual(r.missing, ['weight_kg']);
});

test('an open-ended record runs until the next record of its stream; other streams run in parallel', () => {
  const rec: HeparinRecords = {
    ...none,
    infusions: [
      { t_start_min: 0, rate: 1000, rateUnit: '[IU]/h', stream: 'iv' },
      { t_start_min: 60, rate: 500, rateUnit: '[IU]/h', stream: 'iv' },
      { t_start_min: 0, t_end_min: 120, rate: 100, rateUnit: '[IU]/h', stream: 'ecmo_circuit' },
    ],
    purges: [
      { t_start_min: 0, heparin_IU_mL: 25, flow_mL_h: 12, stream: 'impella-cp' },
      { t_start_min: 0, heparin_IU_mL: 25, flow_mL_h: 10, stream: 'impella-rp' },
    ],
  };
  assert.equal(heparinRateAt(rec, 30).iv_IU_h, 1100);
  assert.equal(heparinRateAt(rec, 90).iv_IU_h, 600);
  assert.equal(heparinRateAt(rec, 150).iv_IU_h, 500);
  assert.equal(heparinRateAt(rec, 150).purge_IU_h, 550);
});

test('per-day totals split at anchor days and the purge share is reported', () => {
  const rec: HeparinRecords = { ...none, infusions: [{ t_start_min: 720, rate: 700, rateUnit: '[IU]/h' }], purges: [{ t_start_min: 720, heparin_IU_mL: 25, flow_mL_h: 12 }] };
  const r = heparinExposure(rec, 0, 2160).result;
  // Day 1: 12 h × 1000 IU/h = 12,000; day 2 (to 36 h): 12 h × 1000 = 12,000; purge 300/1000 = 30 %
  assert.deepEqual(r.days.map((d) => [d.day, d.total_IU]), [[1, 12000], [2, 12000]]);
  assert.equal(r.purgeShare_pct, 30);
});

test('property: the exposure total equals the integral of the rate timeline plus boluses', () => {
  const rec = fc.record({
    infusions: fc.array(fc.record({ t_start_min: fc.integer({ min: 0, max: 2000 }), rate: fc.integer({ min: 0, max: 3000 }), rateUnit: fc.constant('[IU]/h') }), { maxLength: 5 }),
    purges: fc.array(fc.record({ t_start_min: fc.integer({ min: 0, max: 2000 }), heparin_IU_mL: fc.constantFrom(0, 12.5, 25, 50), flow_mL_h: fc.integer({ min: 2, max: 30 }) }), { maxLength: 3 }),
    boluses: fc.array(fc.record({ t_min: fc.integer({ min: 0, max: 2000 }), dose_IU: fc.integer({ min: 0, max: 10000 }) }), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(rec, (r) => {
      const e = heparinExposure(r, 0, 3000).result;
      const integral = e.timeline.reduce((s, seg) => s + ((seg.iv_IU_h ?? 0) + seg.purge_IU_h) * (seg.to_min - seg.from_min) / 60, 0);
      const bolus = r.boluses.reduce((s, b) => s + b.dose_IU, 0);
      assert.ok(Math.abs((e.totals.total_IU ?? NaN) - (integral + bolus)) < 1e-6);
    }),
  );
});
