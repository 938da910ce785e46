import { test } from 'node:test';
import { assertClose } from '../../test/support/close.js';
import { chiSquareUpperTail, normalUpperTail, twoSidedNormalP, Z_975 } from './distributions.js';

// Expected values from R 4.2: pnorm(), pchisq(lower.tail = FALSE), qnorm(0.975).
test('normal tails agree with R pnorm', () => {
  assertClose(normalUpperTail(1.959963984540054), 0.025, 1e-12, 'pnorm(-1.96)');
  assertClose(twoSidedNormalP(-3), 0.002699796063260207, 1e-12, '2*pnorm(-3)');
  assertClose(twoSidedNormalP(10), 1.523970604832105e-23, 1e-10, '2*pnorm(-10)');
  assertClose(Z_975, 1.959963984540054, 1e-15, 'qnorm(0.975)');
});

test('chi-square upper tail agrees with R pchisq', () => {
  assertClose(chiSquareUpperTail(3.841458820694124, 1), 0.05, 1e-10, 'pchisq(3.84,1)');
  assertClose(chiSquareUpperTail(5.991464547107979, 2), 0.05, 1e-10, 'pchisq(5.99,2)');
  // df = 3 has a closed form: 2*pnorm(-sqrt(x)) + sqrt(2x/pi) exp(-x/2) = 1.5541594313896051e-21 at x = 100.
  assertClose(chiSquareUpperTail(100, 3), 1.5541594313896051e-21, 1e-8, 'pchisq(100,3)');
  assertClose(chiSquareUpperTail(0, 2), 1, 0, 'pchisq(0,2)');
});
