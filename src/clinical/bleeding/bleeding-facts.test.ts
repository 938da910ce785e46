import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bleedingFactsSchema, bleedingFactsWarnings, HB_UNIT_TO_G_DL } from './bleeding-facts.js';

describe('bleeding facts schema (reference 5.1; units reference 8; ranges reference 9)', () => {
  it('8: Hb in g/L is divided by 10 and mmol/L by 0.6206; the original is kept', () => {
    const a = bleedingFactsSchema.parse({ site: 'gastrointestinal', hbBaseline: { value: 95, unit: 'g/L' } });
    assert.deepEqual(a.hbBaseline, { value_g_dL: 9.5, time: undefined, originalValue: 95, originalUnit: 'g/L' });
    const b = bleedingFactsSchema.parse({ site: 'gastrointestinal', hbBaseline: { value: 6.206, unit: 'mmol/L' } });
    assert.equal(b.hbBaseline?.value_g_dL, 10);
  });
  it('g/dL is the default unit', () => {
    assert.equal(bleedingFactsSchema.parse({ site: 'other', hbNadir: { value: 8 } }).hbNadir?.value_g_dL, 8);
  });
  it('9: Hb outside 1–25 g/dL is rejected with the field, value and range (boundary 1 and 25 accepted)', () => {
    assert.ok(bleedingFactsSchema.safeParse({ site: 'other', hbNadir: { value: 1 } }).success);
    assert.ok(bleedingFactsSchema.safeParse({ site: 'other', hbNadir: { value: 25 } }).success);
    const r = bleedingFactsSchema.safeParse({ site: 'other', hbNadir: { value: 95 } }); // g/L entered as g/dL
    assert.equal(r.success, false);
    const issue = r.error?.issues[0];
    assert.deepEqual(issue?.path, ['hbNadir', 'value']);
    assert.match(issue?.message ?? '', /95 g\/dL.*1–25 g\/dL/);
    assert.equal(bleedingFactsSchema.safeParse({ site: 'other', hbNadir: { value: 0.9 } }).success, false);
  });
  it('9: Hb outside 5–20 g/dL passes with a warning', () => {
    const f = bleedingFactsSchema.parse({ site: 'other', hbNadir: { value: 4.5 } });
    const w = bleedingFactsWarnings(f);
    assert.equal(w.length, 1);
    assert.equal(w[0]?.path, 'hbNadir.value');
  });
  it('rejects unknown sites and non-integer transfusion units', () => {
    assert.equal(bleedingFactsSchema.safeParse({ site: 'brain' }).success, false);
    assert.equal(bleedingFactsSchema.safeParse({ site: 'other', rbcUnitsWithin48h: 1.5 }).success, false);
  });
  it('property: converting g/dL to g/L or mmol/L and parsing back changes nothing (to 1e-6 g/dL)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 25, noNaN: true }), fc.constantFrom('g/L' as const, 'mmol/L' as const), (gdl, unit) => {
        const entered = gdl / HB_UNIT_TO_G_DL[unit];
        const parsed = bleedingFactsSchema.parse({ site: 'other', hbBaseline: { value: entered, unit } });
        return Math.abs((parsed.hbBaseline?.value_g_dL ?? NaN) - gdl) < 1e-5;
      }),
    );
  });
});
