import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tri } from '../rule-result.js';
import type { BlockName } from './building-blocks.js';
import { assignScaiStage } from './stage-assignment.js';
import { stageScore } from './stage.js';

const blocks = (ht: Tri, hp: Tri, det: Tri, ref: Tri): Record<BlockName, Tri> => ({
  hypotensionOrTachycardia: ht, hypoperfusion: hp, deterioration: det, refractoryShock: ref,
});

test('Jentzer assignment table (reference 1.4): A none, B HT only, C HP, D HP+det, E HP+refractory', () => {
  assert.deepEqual(assignScaiStage(blocks(false, false, false, false)), { lower: 'A', upper: 'A' });
  assert.deepEqual(assignScaiStage(blocks(true, false, false, false)), { lower: 'B', upper: 'B' });
  assert.deepEqual(assignScaiStage(blocks(true, true, false, false)), { lower: 'C', upper: 'C' });
  assert.deepEqual(assignScaiStage(blocks(false, true, false, false)), { lower: 'C', upper: 'C' }, 'normotensive hypoperfusion is C');
  assert.deepEqual(assignScaiStage(blocks(true, true, true, false)), { lower: 'D', upper: 'D' });
  assert.deepEqual(assignScaiStage(blocks(true, true, true, true)), { lower: 'E', upper: 'E' });
  assert.deepEqual(assignScaiStage(blocks(true, true, false, true)), { lower: 'E', upper: 'E' }, 'E needs no deterioration');
});

test('D and E need hypoperfusion unless the flag is off (reference 1.4, kept as a flag)', () => {
  assert.deepEqual(assignScaiStage(blocks(true, false, true, true)), { lower: 'B', upper: 'B' });
  assert.deepEqual(assignScaiStage(blocks(true, false, true, true), false), { lower: 'E', upper: 'E' });
  assert.deepEqual(assignScaiStage(blocks(false, false, true, false), false), { lower: 'D', upper: 'D' });
});

test('missing data gives bounds (reference 1.6 rule 2)', () => {
  assert.deepEqual(assignScaiStage(blocks(true, 'unknown', false, false)), { lower: 'B', upper: 'C' });
  assert.deepEqual(assignScaiStage(blocks('unknown', 'unknown', 'unknown', 'unknown')), { lower: 'A', upper: 'E' });
  assert.deepEqual(assignScaiStage(blocks(false, true, 'unknown', false)), { lower: 'C', upper: 'D' });
  assert.deepEqual(assignScaiStage(blocks(false, 'unknown', true, true)), { lower: 'A', upper: 'E' });
});

const tri = fc.constantFrom<Tri>(true, false, 'unknown');
const rank = (t: Tri): number => (t === false ? 0 : t === 'unknown' ? 1 : 2);

test('property: lower ≤ upper, and making any block worse never lowers either bound', () => {
  fc.assert(
    fc.property(fc.tuple(tri, tri, tri, tri), fc.integer({ min: 0, max: 3 }), tri, fc.boolean(), (b, i, v, flag) => {
      const before = assignScaiStage(blocks(...b), flag);
      assert.ok(stageScore(before.lower) <= stageScore(before.upper));
      if (rank(v) < rank(b[i])) return; // only worse (false → unknown → true)
      const worse = [...b] as [Tri, Tri, Tri, Tri];
      worse[i] = v;
      const after = assignScaiStage(blocks(...worse), flag);
      assert.ok(stageScore(after.lower) >= stageScore(before.lower));
      assert.ok(stageScore(after.upper) >= stageScore(before.upper));
    }),
  );
});

test('property: resolving unknowns lands inside the bounds', () => {
  fc.assert(
    fc.property(fc.tuple(tri, tri, tri, tri), fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()), fc.boolean(), (b, fill, flag) => {
      const bounds = assignScaiStage(blocks(...b), flag);
      const resolved = b.map((x, k) => (x === 'unknown' ? fill[k] : x)) as [Tri, Tri, Tri, Tri];
      const s = assignScaiStage(blocks(...resolved), flag);
      assert.equal(s.lower, s.upper);
      assert.ok(stageScore(bounds.lower) <= stageScore(s.lower) && stageScore(s.lower) <= stageScore(bounds.upper));
    }),
  );
});
