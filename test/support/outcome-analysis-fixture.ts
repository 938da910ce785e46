// The simulated matched / weighted sample that outcome-analysis.test.ts and stratum-analysis.test.ts check against
// R 4.2 + survival 3.5-3: test/fixtures/r/outcome_analysis.R wrote test/fixtures/data/outcome_analysis.csv and the
// numbers in test/fixtures/expected/outcome_analysis.json. One place for the table, R's numbers and the spec.
import { readFileSync } from 'node:fs';
import { readCsvFile } from '../../src/data/csv.js';
import { getColumn, type Table } from '../../src/data/table.js';
import { studySpecSchema, type BinaryOutcome, type StudySpec, type TimeToEventOutcome } from '../../src/study/study-spec.js';
import { fixturePath } from './paths.js';

export type Json = Record<string, unknown>;
const R = JSON.parse(readFileSync(fixturePath('expected', 'outcome_analysis.json'), 'utf8')) as Json;
/** R's number object at a dotted path of outcome_analysis.json. */
export const ref = (path: string): Json => path.split('.').reduce((o: Json, k) => o[k] as Json, R);
export const num = (o: Json, k: string): number => o[k] as number;

export const outcomeTable: Table = readCsvFile(fixturePath('data', 'outcome_analysis.csv'));

/** A numeric column of `t` (default the fixture table). */
export function numericColumn(name: string, t: Table = outcomeTable): Float64Array {
  const c = getColumn(t, name);
  if (c.kind === 'categorical') throw new Error(`${name} is not numeric`);
  return c.values;
}

export const outcomeSpec: StudySpec = studySpecSchema.parse({
  title: 'outcome analysis test',
  source: { csv: 'outcome_analysis.csv' },
  timeZero: { definition: 'device start' },
  treatment: { column: 'treat', target: 1, comparator: 0, targetLabel: 'pump', comparatorLabel: 'IABP' },
  outcomes: [{ name: 'bleed', label: 'Major bleeding', type: 'time_to_event', event: 'bleed', eventTime: 'bleed_d', horizon_d: 100, primary: true }],
  covariates: { published: ['scai'], critique: ['scai'] },
  adjustment: { method: 'match' },
});
export const bleedOutcome = outcomeSpec.outcomes[0] as TimeToEventOutcome;
export const binaryOutcome: BinaryOutcome = { name: 'y', label: 'Death by day 30', type: 'binary', column: 'y', primary: false, negativeControl: false };
