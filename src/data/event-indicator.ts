// Event (status) columns: 0/1, 1/2 (as R's Surv reads them: 1 = censored, 2 = event), or true/false.
import { DataError } from './data-error.js';
import { valueText, type Column } from './table.js';

/**
 * Converts a status column to 1 = event, 0 = censored for the given rows.
 * Mirrors survival::Surv: if every value is 0 or 1 the column is 0/1; else if every value is 1 or 2 it is 1/2.
 */
export function eventIndicator(column: Column, rows: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(rows.length);
  if (column.kind === 'boolean') {
    for (let k = 0; k < rows.length; k++) out[k] = column.values[rows[k]] === 1 ? 1 : 0;
    return out;
  }
  if (column.kind === 'categorical') {
    throw new DataError(`event column '${column.name}' holds text ('${column.levels[0]}'); expected 0/1, 1/2 or true/false`, {
      field: column.name,
      value: column.levels[0],
      expected: '0/1, 1/2 or true/false',
    });
  }
  let zeroOne = true;
  let oneTwo = true;
  for (let k = 0; k < rows.length; k++) {
    const v = column.values[rows[k]];
    if (v !== 0 && v !== 1) zeroOne = false;
    if (v !== 1 && v !== 2) oneTwo = false;
    if (!zeroOne && !oneTwo) {
      throw new DataError(`event column '${column.name}' has value ${valueText(column, rows[k])} at row ${rows[k] + 1}; expected 0/1, 1/2 or true/false`, {
        field: column.name,
        value: column.values[rows[k]],
        expected: '0/1, 1/2 or true/false',
      });
    }
  }
  const eventValue = zeroOne ? 1 : 2;
  for (let k = 0; k < rows.length; k++) out[k] = column.values[rows[k]] === eventValue ? 1 : 0;
  return out;
}
