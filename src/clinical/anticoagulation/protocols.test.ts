import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { anticoagProtocolSchema, BUNDLED_PROTOCOL_IDS } from './protocol.js';
import { BUNDLED_PROTOCOLS, findProtocol } from './protocols.js';
import { findTitrationRow } from './band.js';

test('every bundled id has a protocol that passes the protocol schema', () => {
  for (const id of BUNDLED_PROTOCOL_IDS) {
    const p = BUNDLED_PROTOCOLS[id];
    assert.equal(p.id, id);
    assert.doesNotThrow(() => anticoagProtocolSchema.parse(p));
    assert.ok(p.targets.some((b) => b.test === p.titrationTest), `${id} has a band for its titrated test`);
  }
});

test('site protocols win over bundled ones with the same id; unknown ids are undefined', () => {
  const site = { ...BUNDLED_PROTOCOLS['raschke-1993-aptt'], name: 'site variant' };
  assert.equal(findProtocol('raschke-1993-aptt', [site])?.name, 'site variant');
  assert.equal(findProtocol('no-such-protocol'), undefined);
});

test('protocol schema rejects a band with low >= high', () => {
  const bad = { ...BUNDLED_PROTOCOLS['michigan-antixa-vte'], targets: [{ test: 'anti_xa_IU_mL', low: 0.7, high: 0.3 }] };
  assert.equal(anticoagProtocolSchema.safeParse(bad).success, false);
});

// Reference 7.3/7.2: Vandenbriele 2022 bands as applied by Van Edom 2025 [V].
test('reference 7.2: Vandenbriele low band 0.20–0.30 IU/mL ↔ aPTT 40–55 s, standard 0.31–0.50 ↔ 56–80 s', () => {
  const low = BUNDLED_PROTOCOLS['vandenbriele-2022-low'];
  const std = BUNDLED_PROTOCOLS['vandenbriele-2022-standard'];
  assert.deepEqual(low.targets, [{ test: 'anti_xa_IU_mL', low: 0.2, high: 0.3 }, { test: 'aptt_s', low: 40, high: 55 }]);
  assert.deepEqual(std.targets, [{ test: 'anti_xa_IU_mL', low: 0.31, high: 0.5 }, { test: 'aptt_s', low: 56, high: 80 }]);
  assert.equal(low.titrationTest, 'anti_xa_IU_mL');
  assert.deepEqual(low.parallelTests, ['aptt_s']);
});

// Reference 7.5, Raschke 1993 table: boundaries as printed (<35, 35–45, 46–70, 71–90, >90); gaps go to the row
// farther from the target.
test('reference 7.5 Raschke nomogram rows at each boundary', () => {
  const t = BUNDLED_PROTOCOLS['raschke-1993-aptt'].titration;
  const row = (v: number) => findTitrationRow(t, v);
  assert.equal(row(34.9)?.bolus_IU_kg, 80); // < 35: bolus 80, +4
  assert.equal(row(34.9)?.rateChange_IU_kg_h, 4);
  assert.equal(row(35)?.bolus_IU_kg, 40); // 35–45: bolus 40, +2
  assert.equal(row(35)?.rateChange_IU_kg_h, 2);
  assert.equal(row(45)?.rateChange_IU_kg_h, 2);
  assert.equal(row(45.5)?.rateChange_IU_kg_h, 2); // gap 45–46 → farther from target
  assert.equal(row(46)?.status, 'in');
  assert.equal(row(70)?.status, 'in');
  assert.equal(row(70.5)?.rateChange_IU_kg_h, -2); // gap 70–71 → farther from target
  assert.equal(row(90)?.rateChange_IU_kg_h, -2); // 71–90: −2
  assert.equal(row(90)?.hold_min, 0);
  assert.equal(row(90.1)?.hold_min, 60); // > 90: hold 1 h, −3
  assert.equal(row(90.1)?.rateChange_IU_kg_h, -3);
});

// Reference 7.5, Michigan anti-Xa nomogram (VTE).
test('reference 7.5 Michigan anti-Xa nomogram rows at each boundary', () => {
  const t = BUNDLED_PROTOCOLS['michigan-antixa-vte'].titration;
  const row = (v: number) => findTitrationRow(t, v);
  assert.deepEqual([row(0.19)?.bolus_IU_kg, row(0.19)?.rateChange_IU_kg_h], [80, 1.5]);
  assert.deepEqual([row(0.2)?.bolus_IU_kg, row(0.2)?.rateChange_IU_kg_h], [40, 1]);
  assert.deepEqual([row(0.29)?.bolus_IU_kg, row(0.29)?.rateChange_IU_kg_h], [40, 1]);
  assert.equal(row(0.3)?.status, 'in');
  assert.equal(row(0.7)?.status, 'in');
  assert.deepEqual([row(0.71)?.hold_min, row(0.71)?.rateChange_IU_kg_h], [0, -1]);
  assert.deepEqual([row(0.8)?.hold_min, row(0.8)?.rateChange_IU_kg_h], [0, -1]);
  assert.deepEqual([row(0.81)?.hold_min, row(0.81)?.rateChange_IU_kg_h], [30, -1.5]);
  assert.deepEqual([row(0.99)?.hold_min, row(0.99)?.rateChange_IU_kg_h], [30, -1.5]);
  assert.deepEqual([row(1.0)?.hold_min, row(1.0)?.rateChange_IU_kg_h], [60, -3]);
  const init = BUNDLED_PROTOCOLS['michigan-antixa-vte'].initial;
  assert.deepEqual(init, { bolus_IU_kg: 80, bolusMax_IU: 10000, rate_IU_kg_h: 18, rateMax_IU_h: 1800 });
});

test('property: every titration table covers each value with exactly one row, and its in-range rows equal the band', () => {
  for (const id of BUNDLED_PROTOCOL_IDS) {
    const p = BUNDLED_PROTOCOLS[id];
    if (p.titration.length === 0) continue;
    const band = p.targets.find((b) => b.test === p.titrationTest)!;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 300, noNaN: true }), (v) => {
        const matches = p.titration.filter((r) => findTitrationRow([r], v) !== undefined);
        assert.equal(matches.length, 1, `${id}: value ${v} matched ${matches.length} rows`);
        const inBand = v >= band.low && v <= band.high;
        assert.equal(matches[0].status === 'in', inBand, `${id}: value ${v}`);
      }),
    );
  }
});
