// Grouping columns (KM groups, strata, clusters, treatment) as integer codes with readable names.
import { DataError } from './data-error.js';
import type { Column } from './table.js';

export interface GroupCodes {
  /** Code 0..names.length-1 per selected row. */
  readonly codes: Int32Array;
  /** Group names in code order, `column=value` (e.g. 'sex=1'), as R labels strata. */
  readonly names: string[];
  /** Raw values in code order. */
  readonly values: string[];
}

/** Codes the distinct values of a column over the given rows, in sorted order (numbers numerically). */
export function groupCodes(column: Column, rows: ArrayLike<number>): GroupCodes {
  const codes = new Int32Array(rows.length);
  if (column.kind === 'categorical') {
    const used = new Int32Array(column.levels.length).fill(-1);
    for (let k = 0; k < rows.length; k++) used[column.codes[rows[k]]] = 1;
    const values: string[] = [];
    column.levels.forEach((level, code) => {
      if (used[code] === 1) {
        used[code] = values.length;
        values.push(level);
      }
    });
    for (let k = 0; k < rows.length; k++) codes[k] = used[column.codes[rows[k]]];
    return { codes, values, names: values.map((v) => `${column.name}=${v}`) };
  }
  const distinct = [...new Set(Array.from(rows, (i) => column.values[i]))].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, k) => [v, k]));
  for (let k = 0; k < rows.length; k++) codes[k] = index.get(column.values[rows[k]]) as number;
  const values = distinct.map((v) => (column.kind === 'boolean' ? (v === 1 ? 'true' : 'false') : String(v)));
  return { codes, values, names: values.map((v) => `${column.name}=${v}`) };
}

/** A 0/1 treatment indicator: 0/1 numbers, true/false, or a two-level column (the second level is treated). */
export function treatmentIndicator(column: Column, rows: ArrayLike<number>): { treated: Uint8Array; treatedLabel: string; controlLabel: string } {
  const treated = new Uint8Array(rows.length);
  if (column.kind === 'categorical') {
    const g = groupCodes(column, rows);
    if (g.values.length !== 2) {
      throw new DataError(`treatment column '${column.name}' has ${g.values.length} values (${g.values.join(', ')}); expected exactly two`, {
        field: column.name,
        expected: 'two groups',
      });
    }
    for (let k = 0; k < rows.length; k++) treated[k] = g.codes[k];
    return { treated, treatedLabel: g.values[1], controlLabel: g.values[0] };
  }
  for (let k = 0; k < rows.length; k++) {
    const v = column.values[rows[k]];
    if (v !== 0 && v !== 1) {
      throw new DataError(`treatment column '${column.name}' has value ${v} at row ${rows[k] + 1}; expected 0/1 or true/false`, {
        field: column.name,
        value: v,
        expected: '0/1 or true/false',
      });
    }
    treated[k] = v;
  }
  return { treated, treatedLabel: '1', controlLabel: '0' };
}

/** A numeric column's values over the given rows, or a DataError naming the column and a bad cell. */
export function numericValues(column: Column, rows: ArrayLike<number>, what: string): Float64Array {
  if (column.kind === 'categorical') {
    const example = column.levels[column.codes[rows[0]]] ?? column.levels[0];
    throw new DataError(`${what} column '${column.name}' is not numeric (it holds text such as '${example}')`, {
      field: column.name,
      value: example,
      expected: 'numbers',
    });
  }
  return Float64Array.from(rows, (i) => column.values[i]);
}
