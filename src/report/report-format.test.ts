import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EffectEstimate } from '../study/study-results.js';
import { formatCount, formatEffect, formatP, formatPercent, formatPoints, formatRatio, formatSmd, pPhrase, ratioInWords } from './report-format.js';

function estimate(measure: EffectEstimate['measure'], estimate: number, lower: number, upper: number): EffectEstimate {
  return { measure, estimate, lower, upper, p: 0.5, se: 0.1, seType: 'model', n: { target: 1, comparator: 1 }, events: { target: 1, comparator: 1 }, eValue: null };
}

test('ratios with 2 decimals, percentages and percentage points with 1', () => {
  assert.equal(formatRatio(1.234), '1.23');
  assert.equal(formatRatio(0.995), '0.99'); // 0.995 is 0.99499999... in binary, as toFixed rounds it
  assert.equal(formatRatio(Number.NaN), 'NA');
  assert.equal(formatPercent(0.4123), '41.2%');
  assert.equal(formatPercent(1), '100.0%');
  assert.equal(formatPercent(null), 'NA');
  assert.equal(formatPoints(-0.0196), '-2.0');
});

test('p below 0.001 prints as "< 0.001", else 3 decimals', () => {
  assert.equal(formatP(0.0004), '< 0.001');
  assert.equal(formatP(0.001), '0.001');
  assert.equal(formatP(0.04567), '0.046');
  assert.equal(formatP(null), 'NA');
  assert.equal(pPhrase(0.00001), 'p < 0.001');
  assert.equal(pPhrase(0.2), 'p = 0.200');
});

test('counts with thousands separators; effective sample sizes with 1 decimal', () => {
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(530.44), '530.4');
  assert.equal(formatCount(12345.67), '12,345.7');
  assert.equal(formatSmd(0.0984), '0.098');
  assert.equal(formatSmd(null), '');
});

test('effects: a ratio with its CI, a risk difference in percentage points', () => {
  assert.equal(formatEffect(estimate('HR', 1.124, 0.931, 1.352)), '1.12 (0.93 to 1.35)');
  assert.equal(formatEffect(estimate('RD', 0.046, -0.02, 0.112)), '4.6 (-2.0 to 11.2)');
});

test('ratios in words', () => {
  assert.equal(ratioInWords(1.12), '12% higher');
  assert.equal(ratioInWords(0.8), '20% lower');
  assert.equal(ratioInWords(1.001), 'no different');
  assert.equal(ratioInWords(Number.POSITIVE_INFINITY), 'not estimable');
});
