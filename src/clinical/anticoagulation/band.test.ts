import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAgainstBand, findTitrationRow } from './band.js';
import { BUNDLED_PROTOCOLS } from './protocols.js';

const STD = { low: 0.31, high: 0.5 };

// Reference 7.2: bands are closed ranges; 7.3 step 2: low | in | high.
test('reference 7.3: band status just below, at and just above each end of 0.31–0.50 IU/mL', () => {
  assert.equal(classifyAgainstBand(0.3, STD), 'low');
  assert.equal(classifyAgainstBand(0.31, STD), 'in');
  assert.equal(classifyAgainstBand(0.5, STD), 'in');
  assert.equal(classifyAgainstBand(0.51, STD), 'high');
});

test('censored results: "> cap" is high only when the cap reaches the band top; "< floor" low only at or below the band bottom', () => {
  assert.equal(classifyAgainstBand(150, { low: 56, high: 80 }, 'gt'), 'high');
  assert.equal(classifyAgainstBand(80, { low: 56, high: 80 }, 'gt'), 'high');
  assert.equal(classifyAgainstBand(60, { low: 56, high: 80 }, 'gt'), 'unknown');
  assert.equal(classifyAgainstBand(0.1, STD, 'lt'), 'low');
  assert.equal(classifyAgainstBand(0.4, STD, 'lt'), 'unknown');
});

test('censored results find a titration row only when every possible true value lies in that row', () => {
  const raschke = BUNDLED_PROTOCOLS['raschke-1993-aptt'].titration;
  assert.equal(findTitrationRow(raschke, 150, 'gt')?.hold_min, 60); // "> 150 s": top row (no upper bound)
  assert.equal(findTitrationRow(raschke, 60, 'gt'), undefined); // "> 60 s": could be in range or above
  const michigan = BUNDLED_PROTOCOLS['michigan-antixa-vte'].titration;
  assert.equal(findTitrationRow(michigan, 0.1, 'lt')?.bolus_IU_kg, 80); // "< 0.1": bottom row
  assert.equal(findTitrationRow(michigan, 0.25, 'lt'), undefined); // "< 0.25": two rows possible
});
