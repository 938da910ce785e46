import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pairAntiXaAptt } from './pairing.js';
import type { LabSample } from './inputs.js';

const s = (code: string, t_min: number, value: number): LabSample => ({ code, t_min, value, time: `t${t_min}` });

// Reference 7.3 step 1: "a pair {anti-Xa, aPTT} with the same timestamp (±15 min)".
test('reference 7.3: samples 15 min apart pair (inclusive), 16 min apart do not', () => {
  const at15 = pairAntiXaAptt([s('anti_xa_IU_mL', 0, 0.3), s('aptt_s', 15, 60)]);
  assert.equal(at15.result.pairs.length, 1);
  assert.equal(at15.result.pairs[0].delta_min, 15);
  const at16 = pairAntiXaAptt([s('anti_xa_IU_mL', 0, 0.3), s('aptt_s', 16, 60)]);
  assert.equal(at16.result.pairs.length, 0);
  assert.equal(at16.result.unpairedAntiXa.length, 1);
  assert.equal(at16.result.unpairedAptt.length, 1);
  const before = pairAntiXaAptt([s('anti_xa_IU_mL', 100, 0.3), s('aptt_s', 85, 60)]);
  assert.equal(before.result.pairs[0].delta_min, -15);
});

test('the pairing window is a parameter', () => {
  const r = pairAntiXaAptt([s('anti_xa_IU_mL', 0, 0.3), s('aptt_s', 30, 60)], 30);
  assert.equal(r.result.pairs.length, 1);
  assert.equal(r.result.pairingWindow_min, 30);
});

test('each sample pairs once, closest first', () => {
  // aPTT at 10 is 10 min from anti-Xa at 0 and 2 min from anti-Xa at 12: it pairs with the anti-Xa at 12.
  const r = pairAntiXaAptt([s('anti_xa_IU_mL', 0, 0.3), s('anti_xa_IU_mL', 12, 0.4), s('aptt_s', 10, 60)]);
  assert.equal(r.result.pairs.length, 1);
  assert.equal(r.result.pairs[0].antiXa.t_min, 12);
  assert.equal(r.result.unpairedAntiXa[0].t_min, 0);
});

test('missing data: no aPTT → no pairs, aptt_s named missing', () => {
  const r = pairAntiXaAptt([s('anti_xa_IU_mL', 0, 0.3)]);
  assert.deepEqual(r.missing, ['aptt_s']);
  assert.equal(r.result.pairs.length, 0);
});

test('property: every pair is within the window and no sample is used twice', () => {
  const arb = fc.array(fc.record({ xa: fc.boolean(), t: fc.integer({ min: 0, max: 600 }) }), { maxLength: 30 });
  fc.assert(
    fc.property(arb, (list) => {
      const samples = list.map((x, i) => s(x.xa ? 'anti_xa_IU_mL' : 'aptt_s', x.t, i));
      const r = pairAntiXaAptt(samples).result;
      const used = new Set<LabSample>();
      for (const p of r.pairs) {
        assert.ok(Math.abs(p.delta_min) <= 15);
        assert.ok(!used.has(p.antiXa) && !used.has(p.aptt));
        used.add(p.antiXa);
        used.add(p.aptt);
      }
      assert.equal(r.pairs.length * 2 + r.unpairedAntiXa.length + r.unpairedAptt.length, samples.length);
    }),
  );
});
