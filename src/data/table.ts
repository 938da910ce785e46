// Tables in memory: typed columns, one array per column, missing values marked in-band.
import { DataError } from './data-error.js';

/** Numbers; NaN marks a missing value. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/** true/false values stored as 1/0; NaN marks a missing value. */
export interface BooleanColumn {
  readonly kind: 'boolean';
  readonly name: string;
  readonly values: Float64Array;
}

/** Text values as codes into `levels` (sorted as R sorts a character column's levels); -1 marks a missing value. */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

export type Column = NumericColumn | BooleanColumn | CategoricalColumn;

export interface Table {
  readonly nRows: number;
  readonly columns: readonly Column[];
}

/** The column named `name`, or a DataError that lists the columns there are. */
export function getColumn(table: Table, name: string): Column {
  const found = table.columns.find((c) => c.name === name);
  if (!found) {
    throw new DataError(`column '${name}' not found; the columns are: ${table.columns.map((c) => c.name).join(', ')}`, {
      field: name,
      expected: 'a column of the input',
    });
  }
  return found;
}

/** Whether row i of a column is missing. */
export function isMissing(column: Column, i: number): boolean {
  return column.kind === 'categorical' ? column.codes[i] < 0 : Number.isNaN(column.values[i]);
}

/** A column's value at row i as text (for messages and reports); missing is 'NA'. */
export function valueText(column: Column, i: number): string {
  if (isMissing(column, i)) return 'NA';
  if (column.kind === 'categorical') return column.levels[column.codes[i]];
  if (column.kind === 'boolean') return column.values[i] === 1 ? 'true' : 'false';
  return String(column.values[i]);
}
