// Kaplan-Meier curves and the log-rank test on a table (the `stratum stats km` and `logrank` commands).
import { groupCodes } from '../data/group-codes.js';
import { getColumn, type Table } from '../data/table.js';
import { atEventTimes, kaplanMeier, kaplanMeierByGroup, type KaplanMeierCurve } from '../stats/kaplan-meier.js';
import { logRankTest } from '../stats/log-rank.js';
import { survivalData, type SurvivalColumns } from './survival-data.js';

export interface KmResult {
  readonly n: number;
  readonly droppedRows: number;
  readonly strata: Array<{ readonly name: string; readonly n: number; readonly events: number } & KaplanMeierCurve>;
}

/** KM overall, or by group, tabulated at event times as summary(survfit) prints it. */
export function kaplanMeierAnalysis(table: Table, spec: SurvivalColumns & { readonly group?: string }): KmResult {
  const data = survivalData(table, spec, spec.group ? [spec.group] : []);
  const { time, event, cases } = data;
  const count = (idx: (k: number) => boolean) => {
    let n = 0;
    let d = 0;
    for (let k = 0; k < time.length; k++) if (idx(k)) { n++; d += event[k]; }
    return { n, events: d };
  };
  if (!spec.group) {
    return { n: time.length, droppedRows: cases.droppedRows, strata: [{ name: 'all', ...count(() => true), ...atEventTimes(kaplanMeier({ time, event })) }] };
  }
  const groups = groupCodes(getColumn(table, spec.group), cases.rows);
  const curves = kaplanMeierByGroup({ time, event }, groups.codes, groups.names.length);
  return {
    n: time.length,
    droppedRows: cases.droppedRows,
    strata: curves.map((curve, g) => ({ name: groups.names[g], ...count((k) => groups.codes[k] === g), ...atEventTimes(curve) })),
  };
}

export interface LogRankAnalysis {
  readonly n: number;
  readonly droppedRows: number;
  readonly chisq: number;
  readonly df: number;
  readonly p: number;
  readonly groups: string[];
  readonly observed: number[];
  readonly expected: number[];
}

export function logRankAnalysis(table: Table, spec: SurvivalColumns & { readonly group: string }): LogRankAnalysis {
  const { time, event, cases } = survivalData(table, spec, [spec.group]);
  const groups = groupCodes(getColumn(table, spec.group), cases.rows);
  const result = logRankTest({ time, event, group: groups.codes, nGroups: groups.names.length });
  return {
    n: time.length,
    droppedRows: cases.droppedRows,
    chisq: result.chisq,
    df: result.df,
    p: result.p,
    groups: groups.names,
    observed: result.observed,
    expected: result.expected,
  };
}
