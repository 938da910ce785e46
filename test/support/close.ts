// Tolerance assertions that print input, result, expected and difference on failure.
import assert from 'node:assert/strict';

/** Asserts |actual - expected| <= rel * max(|expected|, floor). `floor` keeps values near zero comparable. */
export function assertClose(actual: number | null | undefined, expected: number | null, rel: number, label: string, floor = 1e-12): void {
  if (expected === null) {
    assert.equal(actual ?? null, null, `${label}: expected null, got ${actual}`);
    return;
  }
  if (actual === null || actual === undefined || Number.isNaN(actual)) {
    assert.fail(`${label}: expected ${expected}, got ${actual}`);
  }
  const diff = Math.abs(actual - expected);
  const scale = Math.max(Math.abs(expected), floor);
  if (diff > rel * scale) {
    assert.fail(`${label}: actual ${actual}, expected ${expected}, difference ${diff} (relative ${diff / scale}) exceeds tolerance ${rel}`);
  }
}

/** Element-wise assertClose over two arrays of equal length. */
export function assertAllClose(actual: ArrayLike<number | null>, expected: ArrayLike<number | null>, rel: number, label: string, floor = 1e-12): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], rel, `${label}[${i}]`, floor);
}
