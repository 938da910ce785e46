// The shape every clinical rule returns: its result, the reasons that produced it, and the inputs it lacked.
// A rule never guesses a missing value silently (DESIGN.md conventions; clinical reference 1.6).

/** One criterion that fired or was evaluated, with the value and time that fired it. */
export interface Reason {
  /** Machine-readable criterion id, e.g. 'lactate_gt_2'. */
  readonly criterion: string;
  /** Human-readable sentence, e.g. 'lactate 3.1 mmol/L > 2 at 2026-01-01T04:00Z'. */
  readonly text: string;
  readonly value?: number | string | boolean;
  readonly unit?: string;
  /** ISO 8601 time of the observation that fired the criterion. */
  readonly time?: string;
}

/** Result of a clinical rule with its explanation. */
export interface RuleResult<T> {
  readonly result: T;
  readonly reasons: readonly Reason[];
  /** Names of inputs the rule needed but did not have (canonical field names). */
  readonly missing: readonly string[];
}

/** A three-valued predicate (clinical reference 1.6): 'unknown' means no measurement in the window. */
export type Tri = true | false | 'unknown';

/** Three-valued OR: true if any is true; unknown if none true and any unknown. */
export function triOr(...values: Tri[]): Tri {
  if (values.some((v) => v === true)) return true;
  if (values.some((v) => v === 'unknown')) return 'unknown';
  return false;
}

/** Three-valued AND: false if any is false; unknown if none false and any unknown. */
export function triAnd(...values: Tri[]): Tri {
  if (values.some((v) => v === false)) return false;
  if (values.some((v) => v === 'unknown')) return 'unknown';
  return true;
}
