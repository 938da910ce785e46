// A threshold with its comparison operator, so that `>` versus `≥` is data a site can see and change,
// exactly as the source states it (clinical reference, conventions).
import { formatValue } from '../format-value.js';

export type ThresholdOp = '<' | '<=' | '>' | '>=';

export interface Threshold {
  readonly op: ThresholdOp;
  readonly value: number;
  /** UCUM unit of the value, for reasons and docs. */
  readonly unit: string;
}

/** Does `x` meet the threshold? */
export function meets(x: number, t: Threshold): boolean {
  switch (t.op) {
    case '<':
      return x < t.value;
    case '<=':
      return x <= t.value;
    case '>':
      return x > t.value;
    case '>=':
      return x >= t.value;
  }
}

const SYMBOL: Record<ThresholdOp, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** "3.1 mmol/L > 2" style text. */
export function describe(x: number, t: Threshold): string {
  const unit = t.unit === '1' || t.unit === '' ? '' : ` ${t.unit}`;
  return `${formatValue(x)}${unit} ${meets(x, t) ? SYMBOL[t.op] : 'not ' + SYMBOL[t.op]} ${t.value}`;
}

export function thr(op: ThresholdOp, value: number, unit: string): Threshold {
  return { op, value, unit };
}
