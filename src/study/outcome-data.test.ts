import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '../data/data-error.js';
import type { Column, Table } from '../data/table.js';
import { binaryOutcomeData, timeToEventData } from './outcome-data.js';
import type { BinaryOutcome, TimeToEventOutcome } from './study-spec.js';

const NA = NaN;
const num = (name: string, values: number[]): Column => ({ kind: 'numeric', name, values: Float64Array.from(values) });
const text = (name: string, levels: string[], codes: number[]): Column => ({ kind: 'categorical', name, levels, codes: Int32Array.from(codes) });
const tableOf = (...columns: Column[]): Table => ({ nRows: columns[0].kind === 'categorical' ? columns[0].codes.length : columns[0].values.length, columns });
const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const followUp = { death: 'death', deathTime: 'death_d', lastKnownAlive: 'last_known_alive_d' };

function bleedOutcome(extra: Partial<TimeToEventOutcome> = {}): TimeToEventOutcome {
  return { name: 'bleed', label: 'Major bleeding', type: 'time_to_event', primary: false, negativeControl: false, event: 'bleed', eventTime: 'bleed_d', horizon_d: 30, ...extra };
}

// Worked cases, horizon 30 days; each row: bleed flag, bleed day, death flag, death day, last known alive day.
const CASES: Array<{ what: string; row: [number, number, number, number, number]; plain: [number, number] | 'excluded'; competing: [number, number] | 'excluded' }> = [
  { what: 'event on day 10', row: [1, 10, 0, NA, 200], plain: [10, 1], competing: [10, 1] },
  { what: 'event exactly at the horizon counts', row: [1, 30, 0, NA, 200], plain: [30, 1], competing: [30, 1] },
  { what: 'event after the horizon: censored at the horizon', row: [1, 45, 0, NA, 200], plain: [30, 0], competing: [30, 0] },
  { what: 'event at time 0', row: [1, 0, 0, NA, 5], plain: [0, 1], competing: [0, 1] },
  { what: 'alive, last seen day 20', row: [0, NA, 0, NA, 20], plain: [20, 0], competing: [20, 0] },
  { what: 'alive, last seen day 400', row: [0, NA, 0, NA, 400], plain: [30, 0], competing: [30, 0] },
  { what: 'died day 12 without the event', row: [0, NA, 1, 12, NA], plain: [12, 0], competing: [12, 2] },
  { what: 'died exactly at the horizon', row: [0, NA, 1, 30, NA], plain: [30, 0], competing: [30, 2] },
  { what: 'died after the horizon', row: [0, NA, 1, 31, NA], plain: [30, 0], competing: [30, 0] },
  { what: 'event and death on the same day: the event', row: [1, 10, 1, 10, NA], plain: [10, 1], competing: [10, 1] },
  { what: 'death before the event time: the competing event', row: [1, 10, 1, 5, NA], plain: [10, 1], competing: [5, 2] },
  { what: 'event flag empty (undetermined)', row: [NA, NA, 0, NA, 100], plain: 'excluded', competing: 'excluded' },
  { what: 'event without its time', row: [1, NA, 0, NA, 100], plain: 'excluded', competing: 'excluded' },
  { what: 'alive without a last-known-alive time', row: [0, NA, 0, NA, NA], plain: 'excluded', competing: 'excluded' },
  { what: 'death flag empty', row: [0, NA, NA, NA, 100], plain: 'excluded', competing: 'excluded' },
  { what: 'died without a death time', row: [0, NA, 1, NA, NA], plain: 'excluded', competing: 'excluded' },
];

function caseTable(): Table {
  const col = (k: number) => CASES.map((c) => c.row[k]);
  return tableOf(num('bleed', col(0)), num('bleed_d', col(1)), num('death', col(2)), num('death_d', col(3)), num('last_known_alive_d', col(4)));
}

test('timeToEventData: worked cases at the horizon boundary, without a competing event', () => {
  const d = timeToEventData(caseTable(), allRows(CASES.length), bleedOutcome(), followUp);
  CASES.forEach((c, k) => {
    if (c.plain === 'excluded') assert.equal(d.keep[k], 0, c.what);
    else assert.deepEqual([d.keep[k], d.time[k], d.status[k]], [1, ...c.plain], c.what);
  });
  assert.equal(d.excluded.count, 5);
  assert.deepEqual(d.excluded.reasons, {
    'bleed missing (undetermined)': 1,
    'bleed_d missing where bleed = 1': 1,
    'no follow-up time (death_d or last_known_alive_d missing)': 2,
    'death missing (follow-up end unknown)': 1,
  });
});

test('timeToEventData: death as the competing event', () => {
  const outcome = bleedOutcome({ competing: { label: 'Death', event: 'death', eventTime: 'death_d' } });
  const d = timeToEventData(caseTable(), allRows(CASES.length), outcome, followUp);
  CASES.forEach((c, k) => {
    if (c.competing === 'excluded') assert.equal(d.keep[k], 0, c.what);
    else assert.deepEqual([d.keep[k], d.time[k], d.status[k]], [1, ...c.competing], c.what);
  });
  // The empty death flag is now the competing event's flag.
  assert.equal(d.excluded.reasons['death missing (undetermined)'], 1);
  assert.equal(d.excluded.count, 5);
});

test('timeToEventData: only the given rows, in their order', () => {
  const d = timeToEventData(caseTable(), Int32Array.from([2, 0]), bleedOutcome(), followUp);
  assert.deepEqual(Array.from(d.time), [30, 10]);
  assert.deepEqual(Array.from(d.status), [0, 1]);
});

test('timeToEventData: bad columns are DataErrors naming the column', () => {
  const t = tableOf(text('bleed', ['no', 'yes'], [0]), num('bleed_d', [1]), num('death', [0]), num('death_d', [NA]), num('last_known_alive_d', [3]));
  assert.throws(() => timeToEventData(t, allRows(1), bleedOutcome(), followUp), (e: unknown) => e instanceof DataError && e.field === 'bleed');
  const t2 = tableOf(num('bleed', [2]), num('bleed_d', [1]), num('death', [0]), num('death_d', [NA]), num('last_known_alive_d', [3]));
  assert.throws(() => timeToEventData(t2, allRows(1), bleedOutcome(), followUp), /has 2 at row 1; expected a 0\/1 flag/);
  assert.throws(() => timeToEventData(t2, allRows(1), bleedOutcome({ eventTime: 'nope' }), followUp), /column 'nope' not found/);
});

test('binaryOutcomeData: a 0/1 flag, empty cells excluded', () => {
  const outcome: BinaryOutcome = { name: 'd30', label: 'Death by day 30', type: 'binary', primary: true, negativeControl: false, column: 'd30' };
  const d = binaryOutcomeData(tableOf(num('d30', [1, 0, NA, 1])), allRows(4), outcome);
  assert.deepEqual(Array.from(d.y), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(d.keep), [1, 1, 0, 1]);
  assert.deepEqual(d.excluded, { count: 1, reasons: { 'd30 missing': 1 } });
  assert.throws(() => binaryOutcomeData(tableOf(num('d30', [3])), allRows(1), outcome), DataError);
});

test('binaryOutcomeData: positive levels of a category or values of a number', () => {
  const base = { name: 'h', label: 'Hemolysis', type: 'binary' as const, primary: false, negativeControl: false, column: 'grade' };
  const cat = tableOf(text('grade', ['biochemical', 'none', 'severe', 'significant'], [1, 2, -1, 3, 0]));
  const d = binaryOutcomeData(cat, allRows(5), { ...base, positive: ['significant', 'severe'] });
  assert.deepEqual(Array.from(d.y), [0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(d.keep), [1, 1, 0, 1, 1]);
  assert.throws(() => binaryOutcomeData(cat, allRows(5), base), /give the levels that count as the outcome/);
  const stage = binaryOutcomeData(tableOf(num('grade', [0, 1, 2, 3, NA])), allRows(5), { ...base, positive: [2, '3'] });
  assert.deepEqual(Array.from(stage.y), [0, 0, 1, 1, 0]);
  assert.equal(stage.excluded.count, 1);
});
