import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue } from './format-value.js';

test('formatValue shows 4 significant digits without float noise, trailing zeros or exponents', () => {
  assert.equal(formatValue(9.3567251462), '9.357');
  assert.equal(formatValue(1.90045248869), '1.9');
  assert.equal(formatValue(78.01788764), '78.02');
  assert.equal(formatValue(0.35), '0.35');
  assert.equal(formatValue(120), '120');
  assert.equal(formatValue(1234.5), '1235');
  assert.equal(formatValue(123456.7), '123457');
  assert.equal(formatValue(0.000123456), '0.0001235');
  assert.equal(formatValue(-2.345678), '-2.346');
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(1.2000000000000002), '1.2');
  assert.equal(formatValue(9.3567251462, 3), '9.36');
});
