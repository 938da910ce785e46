// lung.csv (survival::lung, 228 rows) for the survival tests; the R calls are in test/fixtures/r/lung_*.R.
import { readCsvFile } from '../../src/data/csv.js';
import { completeCases } from '../../src/data/complete-cases.js';
import { eventIndicator } from '../../src/data/event-indicator.js';
import { getColumn, type Table } from '../../src/data/table.js';
import { fixturePath } from './paths.js';

let cached: Table | undefined;

/** The file as read, shared between calls: read from it, copy what you change (lungColumn copies). */
export function lungTable(): Table {
  cached ??= readCsvFile(fixturePath('data', 'lung.csv'));
  return cached;
}

/** A numeric column of lung at the given rows, as a new array. */
export function lungColumn(name: string, rows: ArrayLike<number>): Float64Array {
  const column = getColumn(lungTable(), name);
  if (column.kind === 'categorical') throw new Error(`lung column ${name} is not numeric`);
  return Float64Array.from(rows, (i) => column.values[i]);
}

/**
 * What survfit(Surv(time, status) ~ sex) and survdiff use: the complete cases of time and status, the
 * event from status (2 = dead, as Surv reads 1/2), and sex as a group code (sex 1 -> group 0, 2 -> group 1).
 */
export function lungBySex(): { time: Float64Array; event: Uint8Array; sex: Int32Array } {
  const rows = completeCases(lungTable(), ['time', 'status']).rows;
  const time = lungColumn('time', rows);
  const event = eventIndicator(getColumn(lungTable(), 'status'), rows);
  const sex = Int32Array.from(lungColumn('sex', rows), (s) => s - 1);
  return { time, event, sex };
}
