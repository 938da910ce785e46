// Stage assignment from the four building blocks (Jentzer et al., J Am Coll Cardiol 2019; reference 1.4 [S]):
// A = none; B = hypotension/tachycardia without hypoperfusion; C = hypoperfusion without deterioration or
// refractory shock; D = hypoperfusion + deterioration, not refractory; E = hypoperfusion + refractory shock.
// With three-valued blocks (reference 1.6 [D]) the stage is assigned from true predicates only (the lower bound)
// and the upper bound is the highest stage still possible if every unknown were true.

import { triAnd, type Tri } from '../rule-result.js';
import type { BlockName } from './building-blocks.js';
import type { ScaiStage } from './stage.js';

export interface StageBounds {
  /** Highest stage proven by true predicates. */
  readonly lower: ScaiStage;
  /** Highest stage still possible if unknown predicates were true. */
  readonly upper: ScaiStage;
}

/** The condition of each stage above A as a three-valued formula of the blocks. */
export function stageConditions(blocks: Readonly<Record<BlockName, Tri>>, requireHypoperfusionForDE: boolean): Readonly<Record<Exclude<ScaiStage, 'A'>, Tri>> {
  const h = blocks.hypoperfusion;
  return {
    B: blocks.hypotensionOrTachycardia,
    C: h,
    D: requireHypoperfusionForDE ? triAnd(h, blocks.deterioration) : blocks.deterioration,
    E: requireHypoperfusionForDE ? triAnd(h, blocks.refractoryShock) : blocks.refractoryShock,
  };
}

/** Assign the stage bounds: the highest stage whose condition is true / not false. */
export function assignScaiStage(blocks: Readonly<Record<BlockName, Tri>>, requireHypoperfusionForDE = true): StageBounds {
  const c = stageConditions(blocks, requireHypoperfusionForDE);
  const order = ['E', 'D', 'C', 'B'] as const;
  const lower = order.find((s) => c[s] === true) ?? 'A';
  const upper = order.find((s) => c[s] !== false) ?? 'A';
  return { lower, upper };
}
