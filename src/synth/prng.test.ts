import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PATIENT_SUBSTREAM, patientRng, patientSubRng, Rng } from './prng.js';

test('same seed and stream give the same stream; another seed or stream gives another', () => {
  const a = new Rng(42, 7);
  const b = new Rng(42, 7);
  const xs = Array.from({ length: 100 }, () => a.nextUint32());
  assert.deepEqual(Array.from({ length: 100 }, () => b.nextUint32()), xs);
  const c = new Rng(43, 7);
  const d = new Rng(42, 8);
  assert.notDeepEqual(Array.from({ length: 100 }, () => c.nextUint32()), xs);
  assert.notDeepEqual(Array.from({ length: 100 }, () => d.nextUint32()), xs);
});

test('patient streams do not depend on each other', () => {
  const first = patientRng(1, 5).next();
  const r = patientRng(1, 4);
  for (let i = 0; i < 1000; i++) r.next();
  assert.equal(patientRng(1, 5).next(), first);
});

test('seeds above 2^32 are distinguished from their low 32 bits', () => {
  assert.notEqual(new Rng(2 ** 32 + 5).nextUint32(), new Rng(5).nextUint32());
});

test('uniform, normal, exponential and Poisson draws have the moments of their distributions', () => {
  // Expected moments from the distributions' definitions; tolerance ~5 standard errors at n = 200,000.
  const rng = new Rng(2024);
  const n = 200_000;
  let su = 0, sn = 0, sn2 = 0, se = 0, sp = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = rng.normal();
    sn += z;
    sn2 += z * z;
    se += rng.exponential(2);
    sp += rng.poisson(3);
  }
  assert.ok(Math.abs(su / n - 0.5) < 5 * Math.sqrt(1 / 12 / n), `uniform mean ${su / n}`);
  assert.ok(Math.abs(sn / n) < 5 / Math.sqrt(n), `normal mean ${sn / n}`);
  assert.ok(Math.abs(sn2 / n - 1) < 5 * Math.sqrt(2 / n), `normal variance ${sn2 / n}`);
  assert.ok(Math.abs(se / n - 0.5) < 5 * 0.5 / Math.sqrt(n), `exponential mean ${se / n}`);
  assert.ok(Math.abs(sp / n - 3) < 5 * Math.sqrt(3 / n), `Poisson mean ${sp / n}`);
});

test('weighted draws follow the weights; zero weight is never drawn; bad weights are an error', () => {
  const rng = new Rng(9);
  const counts = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 30_000; i++) counts[rng.weighted({ a: 1, b: 2, c: 0 })]++;
  assert.equal(counts.c, 0);
  assert.ok(Math.abs(counts.b / 30_000 - 2 / 3) < 0.015, JSON.stringify(counts));
  assert.throws(() => rng.weighted({ a: 0 }), /positive/);
  assert.throws(() => new Rng(-1), /non-negative integer/);
});

test('sub-stream 0 is the stream itself; other sub-streams are independent of it and of each other', () => {
  const draws = (r: Rng): number[] => Array.from({ length: 50 }, () => r.nextUint32());
  assert.deepEqual(draws(new Rng(1, 5, 0)), draws(patientRng(1, 5)));
  const main = draws(patientRng(1, 5));
  const organ = draws(patientSubRng(1, 5, PATIENT_SUBSTREAM.organChart));
  const comp = draws(patientSubRng(1, 5, PATIENT_SUBSTREAM.complications));
  assert.notDeepEqual(organ, main);
  assert.notDeepEqual(comp, main);
  assert.notDeepEqual(comp, organ);
  assert.notDeepEqual(draws(patientSubRng(1, 6, PATIENT_SUBSTREAM.organChart)), organ);
  // The first draw of a sub-stream across patients is uniform: 10 bins of 50,000 draws, chi-square (9 df) < 27.9 (p 0.001).
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < 50_000; i++) bins[Math.floor(patientSubRng(3, i, PATIENT_SUBSTREAM.complications).next() * 10)]++;
  const chi2 = bins.reduce((s, b) => s + (b - 5000) ** 2 / 5000, 0);
  assert.ok(chi2 < 27.9, `chi-square ${chi2} for bins ${bins.join(' ')}`);
});
