// Classify a heparin-test value against a target band and find the titration-table row it falls in (reference 7.3
// step 2: "classify each test against the active band: low | in | high").
import type { MonitoringTest, TargetBand, TitrationRow } from './protocol.js';

export type BandStatus = 'low' | 'in' | 'high';

/** Canonical unit of each monitoring test (UCUM, reference 8). */
export const TEST_UNITS: Readonly<Record<MonitoringTest, string>> = {
  anti_xa_IU_mL: '[IU]/mL',
  aptt_s: 's',
  act_s: 's',
};

/** Human-readable test names. */
export const TEST_NAMES: Readonly<Record<MonitoringTest, string>> = {
  anti_xa_IU_mL: 'anti-Xa',
  aptt_s: 'aPTT',
  act_s: 'ACT',
};

/**
 * Status of a value against a closed band [low, high]: low when v < low, high when v > high, otherwise in.
 * A censored value ('gt': the true value is above the reported cap, 'lt': below it) is classified by its bound:
 * '> cap' is high if cap >= high (the true value exceeds the band), '< floor' is low if floor <= low.
 * Returns 'unknown' when the censored bound does not decide the status (e.g. '> 40 s' against 46–70 s).
 */
export function classifyAgainstBand(
  value: number,
  band: Pick<TargetBand, 'low' | 'high'>,
  censored?: 'gt' | 'lt',
): BandStatus | 'unknown' {
  if (censored === 'gt') {
    if (value >= band.high) return 'high';
    return 'unknown';
  }
  if (censored === 'lt') {
    if (value <= band.low) return 'low';
    return 'unknown';
  }
  if (value < band.low) return 'low';
  if (value > band.high) return 'high';
  return 'in';
}

/** True when the value satisfies every bound the row states. */
export function rowMatches(row: Pick<TitrationRow, 'gt' | 'gte' | 'lt' | 'lte'>, value: number): boolean {
  if (row.gt !== undefined && !(value > row.gt)) return false;
  if (row.gte !== undefined && !(value >= row.gte)) return false;
  if (row.lt !== undefined && !(value < row.lt)) return false;
  if (row.lte !== undefined && !(value <= row.lte)) return false;
  return true;
}

/**
 * The first titration row the value falls in, or undefined (empty table, a gap in a site-defined table, or a
 * censored value whose true value could lie in more than one row: '< 0.1' falls in the lowest row only if that row has
 * no lower bound; '> 150 s' in the highest row only if that row has no upper bound).
 */
export function findTitrationRow(
  table: readonly TitrationRow[],
  value: number,
  censored?: 'gt' | 'lt',
): TitrationRow | undefined {
  const EPS = 1e-9;
  if (censored === 'lt') {
    const row = table.find((r) => rowMatches(r, value - EPS));
    return row && row.gt === undefined && row.gte === undefined ? row : undefined;
  }
  if (censored === 'gt') {
    const row = table.find((r) => rowMatches(r, value + EPS));
    return row && row.lt === undefined && row.lte === undefined ? row : undefined;
  }
  return table.find((row) => rowMatches(row, value));
}

/** Printable band, e.g. '0.31–0.50 [IU]/mL' (anti-Xa with two decimals, as bands are printed). */
export function formatBand(band: TargetBand): string {
  const f = (x: number) => (band.test === 'anti_xa_IU_mL' ? x.toFixed(2) : String(x));
  return `${f(band.low)}–${f(band.high)} ${TEST_UNITS[band.test]}`;
}
