// An outcome of the study specification read off the analysis table for the rows of a sample: time and status
// for a time-to-event outcome, 0/1 for a binary one. Rows whose needed values are missing are not guessed; they
// are returned as excluded, with a count per reason, so the report can say how many patients each analysis lost.
import { DataError } from '../data/data-error.js';
import { getColumn, type Column, type Table } from '../data/table.js';
import type { BinaryOutcome, StudySpec, TimeToEventOutcome } from './study-spec.js';

/** Rows left out of an outcome analysis, with a count per reason (reasons name the column). */
export interface OutcomeExclusions {
  count: number;
  reasons: Record<string, number>;
}

export interface TimeToEventData {
  /** Days from time zero, capped at the horizon; aligned with the rows passed in (0 where keep = 0). */
  time: Float64Array;
  /** 0 = censored, 1 = the event, 2 = the competing event (only when the outcome names one). */
  status: Uint8Array;
  /** 1 = usable, 0 = excluded (see `excluded`). */
  keep: Uint8Array;
  excluded: OutcomeExclusions;
}

export interface BinaryOutcomeData {
  /** 1 = outcome, 0 = no outcome; aligned with the rows passed in (0 where keep = 0). */
  y: Uint8Array;
  keep: Uint8Array;
  excluded: OutcomeExclusions;
}

/** A 0/1 flag column's value at a table row: 0, 1, or NaN when empty. Text or other numbers are a DataError. */
function flagReader(column: Column, role: string): (row: number) => number {
  if (column.kind === 'categorical') {
    throw new DataError(`${role} column '${column.name}' holds text (e.g. '${column.levels[0]}'); expected a 0/1 flag`, {
      field: column.name,
      value: column.levels[0],
      expected: 'a 0/1 flag',
    });
  }
  const values = column.values;
  return (row) => {
    const v = values[row];
    if (v === 0 || v === 1 || Number.isNaN(v)) return v;
    throw new DataError(`${role} column '${column.name}' has ${v} at row ${row + 1}; expected a 0/1 flag (or empty)`, {
      field: column.name,
      value: v,
      expected: 'a 0/1 flag',
    });
  };
}

/** A numeric (time) column's values; a text column is a DataError. */
function timeValues(column: Column, role: string): Float64Array {
  if (column.kind !== 'numeric') {
    throw new DataError(`${role} column '${column.name}' is not numeric; expected days from time zero`, {
      field: column.name,
      expected: 'days from time zero',
    });
  }
  return column.values;
}

function count(reasons: Record<string, number>, reason: string): void {
  reasons[reason] = (reasons[reason] ?? 0) + 1;
}

/**
 * Time (days, capped at the horizon) and status per sample row for a time-to-event outcome:
 *  1. the event, at `eventTime`, when `event` = 1 and eventTime <= horizon (an event exactly at the horizon counts;
 *     an event at time 0 is allowed);
 *  2. else the competing event, at its time, when the outcome names one, it happened (flag 1) and its time is
 *     <= horizon. When both happened by the horizon the earlier wins; at the same time the event wins (it was
 *     observed, so it happened no later than the competing event);
 *  3. else censored at min(horizon, follow-up end), follow-up end = `followUp.deathTime` when `followUp.death` = 1,
 *     else `followUp.lastKnownAlive`. An event (or competing event) seen after the horizon means the patient was
 *     followed past it: censored at the horizon without needing the follow-up columns.
 * Without a competing event in the outcome, a death before the event is censoring (status 0) at the death time:
 * the analysis then estimates the cause-specific hazard, and 1 - KM overstates the risk when death is common
 * (name the death as `competing` to get the cumulative incidence instead).
 *
 * Excluded (keep = 0, counted by reason, never dropped silently): an empty event flag (undetermined, e.g. a bleed
 * whose class is unknown), event = 1 without an event time, likewise for the competing event, and a censored row
 * without its follow-up end (empty death flag, or empty death / last-known-alive time). Negative times are excluded
 * as well (the analysis table measures every outcome from time zero on).
 */
export function timeToEventData(table: Table, rows: Int32Array, outcome: TimeToEventOutcome, followUp: StudySpec['followUp']): TimeToEventData {
  const horizon = outcome.horizon_d;
  if (!(horizon > 0) || !Number.isFinite(horizon)) {
    throw new DataError(`outcome '${outcome.name}' has horizon_d ${horizon}; expected a positive number of days`, { field: 'horizon_d', value: horizon, expected: 'days > 0' });
  }
  const eventFlag = flagReader(getColumn(table, outcome.event), 'event');
  const eventTime = timeValues(getColumn(table, outcome.eventTime), 'event time');
  const competing = outcome.competing
    ? { flag: flagReader(getColumn(table, outcome.competing.event), 'competing event'), time: timeValues(getColumn(table, outcome.competing.eventTime), 'competing event time'), names: outcome.competing }
    : null;
  const deathFlag = flagReader(getColumn(table, followUp.death), 'death');
  const deathTime = timeValues(getColumn(table, followUp.deathTime), 'death time');
  const aliveTime = timeValues(getColumn(table, followUp.lastKnownAlive), 'last-known-alive time');

  const n = rows.length;
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const keep = new Uint8Array(n);
  const reasons: Record<string, number> = {};
  let excluded = 0;
  const reasonEventMissing = `${outcome.event} missing (undetermined)`;
  const reasonEventTimeMissing = `${outcome.eventTime} missing where ${outcome.event} = 1`;
  const reasonNegative = 'negative time';
  const reasonDeathMissing = `${followUp.death} missing (follow-up end unknown)`;
  const reasonNoFollowUp = `no follow-up time (${followUp.deathTime} or ${followUp.lastKnownAlive} missing)`;

  for (let k = 0; k < n; k++) {
    const row = rows[k];
    let reason: string | null = null;
    const e = eventFlag(row);
    const te = eventTime[row];
    let c = 0;
    let tc = NaN;
    if (Number.isNaN(e)) reason = reasonEventMissing;
    else if (e === 1 && Number.isNaN(te)) reason = reasonEventTimeMissing;
    else if (e === 1 && te < 0) reason = reasonNegative;
    else if (competing) {
      c = competing.flag(row);
      tc = competing.time[row];
      if (Number.isNaN(c)) reason = `${competing.names.event} missing (undetermined)`;
      else if (c === 1 && Number.isNaN(tc)) reason = `${competing.names.eventTime} missing where ${competing.names.event} = 1`;
      else if (c === 1 && tc < 0) reason = reasonNegative;
    }
    if (reason === null) {
      const eventByHorizon = e === 1 && te <= horizon;
      const competingByHorizon = c === 1 && tc <= horizon;
      if (eventByHorizon && !(competingByHorizon && tc < te)) {
        time[k] = te;
        status[k] = 1;
      } else if (competingByHorizon) {
        time[k] = tc;
        status[k] = 2;
      } else if (e === 1 || c === 1) {
        time[k] = horizon; // seen after the horizon, so followed past it
      } else {
        const d = deathFlag(row);
        const end = d === 1 ? deathTime[row] : aliveTime[row];
        if (Number.isNaN(d)) reason = reasonDeathMissing;
        else if (Number.isNaN(end)) reason = reasonNoFollowUp;
        else if (end < 0) reason = reasonNegative;
        else time[k] = Math.min(horizon, end);
      }
    }
    if (reason === null) keep[k] = 1;
    else {
      excluded++;
      count(reasons, reason);
    }
  }
  return { time, status, keep, excluded: { count: excluded, reasons } };
}

/**
 * 0/1 per sample row for a binary outcome: a 0/1 flag column (value 1 = outcome), or, with `positive`, any column
 * whose value is one of those (text compared as text, numbers as numbers). Empty cells are excluded (counted by
 * reason), never read as "no outcome".
 */
export function binaryOutcomeData(table: Table, rows: Int32Array, outcome: BinaryOutcome): BinaryOutcomeData {
  const column = getColumn(table, outcome.column);
  const n = rows.length;
  const y = new Uint8Array(n);
  const keep = new Uint8Array(n);
  let excluded = 0;
  const positive = outcome.positive;
  let read: (row: number) => number; // 0, 1 or NaN (missing)
  if (column.kind === 'categorical') {
    if (!positive) {
      throw new DataError(`binary outcome column '${column.name}' holds text (e.g. '${column.levels[0]}'); give the levels that count as the outcome in 'positive'`, {
        field: column.name,
        value: column.levels[0],
        expected: 'a 0/1 flag, or positive levels',
      });
    }
    const wanted = new Set(positive.map((v) => String(v)));
    const isPositive = column.levels.map((level) => (wanted.has(level) ? 1 : 0));
    read = (row) => {
      const code = column.codes[row];
      return code < 0 ? NaN : isPositive[code];
    };
  } else if (positive) {
    const wanted = new Set(positive.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : Number(v))));
    read = (row) => {
      const v = column.values[row];
      return Number.isNaN(v) ? NaN : wanted.has(v) ? 1 : 0;
    };
  } else {
    read = flagReader(column, 'binary outcome');
  }
  for (let k = 0; k < n; k++) {
    const v = read(rows[k]);
    if (Number.isNaN(v)) excluded++;
    else {
      y[k] = v;
      keep[k] = 1;
    }
  }
  const reasons: Record<string, number> = excluded > 0 ? { [`${outcome.column} missing`]: excluded } : {};
  return { y, keep, excluded: { count: excluded, reasons } };
}
