// Time-to-event columns of a table, checked once at the door: numeric, non-negative times and a valid
// event coding, over the complete cases of every column the analysis uses.
import { completeCases, type CompleteCases } from '../data/complete-cases.js';
import { DataError } from '../data/data-error.js';
import { eventIndicator } from '../data/event-indicator.js';
import { numericValues } from '../data/group-codes.js';
import { getColumn, type Table } from '../data/table.js';

export interface SurvivalColumns {
  readonly time: string;
  readonly event: string;
}

export interface SurvivalData {
  readonly cases: CompleteCases;
  readonly time: Float64Array;
  readonly event: Uint8Array;
}

/** Reads time and event over the complete cases of `columns` (which should include time and event). */
export function survivalData(table: Table, spec: SurvivalColumns, columns: readonly string[]): SurvivalData {
  const cases = completeCases(table, [spec.time, spec.event, ...columns]);
  if (cases.rows.length === 0) {
    throw new DataError(`no complete rows: every row misses one of ${[spec.time, spec.event, ...columns].join(', ')}`, { expected: 'at least one complete row' });
  }
  const time = numericValues(getColumn(table, spec.time), cases.rows, 'time');
  for (let k = 0; k < time.length; k++) {
    if (time[k] < 0) {
      throw new DataError(`time column '${spec.time}' has a negative value (${time[k]}) at row ${cases.rows[k] + 1}; expected times >= 0`, {
        field: spec.time,
        value: time[k],
        expected: 'a time >= 0',
      });
    }
  }
  const event = eventIndicator(getColumn(table, spec.event), cases.rows);
  let events = 0;
  for (let k = 0; k < event.length; k++) events += event[k];
  if (events === 0) {
    throw new DataError(`event column '${spec.event}' has no events in the ${event.length} rows used; every row is censored`, {
      field: spec.event,
      expected: 'at least one event',
    });
  }
  return { cases, time, event };
}
