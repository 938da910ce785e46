// lalonde.csv (MatchIt::lalonde, 614 rows) with the design R's glm builds for
// treat ~ age + educ + race + married + nodegree + re74 + re75 (race against its first level, black);
// the R calls are in test/fixtures/r/lalonde_logistic.R and lalonde_match.R.
import { readCsvFile } from '../../src/data/csv.js';
import { designFromColumns, type DesignMatrix } from '../../src/stats/matrix.js';
import { fitPropensity } from '../../src/stats/propensity.js';
import { fixturePath } from './paths.js';

export interface Lalonde {
  /** treat as 0/1. */
  treated: Uint8Array;
  /** treat as glm's numeric response. */
  y: Float64Array;
  /** Columns (Intercept), age, educ, racehispan, racewhite, married, nodegree, re74, re75. */
  x: DesignMatrix;
  /** A numeric column of the file. */
  column(name: string): Float64Array;
  /** The 0/1 indicator of one level of race: 'black', 'hispan' or 'white'. */
  race(level: string): Float64Array;
}

/** Reads the file afresh on each call, so a test may change what it gets. */
export function lalonde(): Lalonde {
  const table = readCsvFile(fixturePath('data', 'lalonde.csv'));
  const column = (name: string): Float64Array => {
    const c = table.columns.find((col) => col.name === name);
    if (!c || c.kind === 'categorical') throw new Error(`numeric column ${name} missing`);
    return c.values;
  };
  const raceColumn = table.columns.find((col) => col.name === 'race');
  if (!raceColumn || raceColumn.kind !== 'categorical') throw new Error('race must be categorical');
  const race = (level: string): Float64Array => Float64Array.from(raceColumn.codes, (c) => (raceColumn.levels[c] === level ? 1 : 0));
  const names = ['(Intercept)', 'age', 'educ', 'racehispan', 'racewhite', 'married', 'nodegree', 're74', 're75'];
  const cols = [new Float64Array(table.nRows).fill(1), column('age'), column('educ'), race('hispan'), race('white'), column('married'), column('nodegree'), column('re74'), column('re75')];
  const y = column('treat');
  return { treated: Uint8Array.from(y), y, x: designFromColumns(names, cols), column, race };
}

/** lalonde with its propensity model (fitPropensity on the glm design): score and linear logit per row. */
export function lalondePropensity(): Lalonde & { score: Float64Array; linearLogit: Float64Array } {
  const data = lalonde();
  const ps = fitPropensity(data.treated, data.x);
  return { ...data, score: ps.score, linearLogit: ps.linearLogit };
}
