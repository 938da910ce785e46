import { test } from 'node:test';
import assert from 'node:assert/strict';
import { triAnd, triOr } from './rule-result.js';

// Kleene's strong three-valued logic, as clinical reference 1.6 asks for predicates.
test('three-valued OR and AND follow Kleene logic', () => {
  assert.equal(triOr(false, 'unknown'), 'unknown');
  assert.equal(triOr(false, true, 'unknown'), true);
  assert.equal(triOr(false, false), false);
  assert.equal(triAnd(true, 'unknown'), 'unknown');
  assert.equal(triAnd(true, false, 'unknown'), false);
  assert.equal(triAnd(true, true), true);
});
