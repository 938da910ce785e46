// The recommended next step under the active protocol: rate change, bolus, hold and recheck time, from the titration
// table on the titrated test (reference 7.3 step 3: "heparin dose direction follows anti-Xa"; 7.5 nomograms), with
// purge heparin counted in the total rate (7.1). Labelled decision support for a clinician: it never orders a dose.
import { classifyAgainstBand, findTitrationRow, formatBand, TEST_NAMES, TEST_UNITS, type BandStatus } from './band.js';
import type { PairClassification } from './discordance.js';
import type { HeparinRate } from './heparin-exposure.js';
import type { LabSample } from './inputs.js';
import { DECISION_SUPPORT_LABEL } from './parameters.js';
import type { AnticoagProtocol, MonitoringTest, TargetBand } from './protocol.js';
import { isoAt } from './time.js';
import type { Reason, RuleResult } from '../rule-result.js';
import { formatValue } from '../format-value.js';

export type NextStepAction =
  | 'increase'
  | 'bolus_and_increase'
  | 'no_change'
  | 'decrease'
  | 'hold_then_decrease'
  | 'report_only'
  | 'not_determined';

export interface NextStep {
  /** Always DECISION_SUPPORT_LABEL. */
  readonly label: string;
  readonly protocolId: string;
  readonly test: MonitoringTest;
  readonly value: number;
  readonly censored?: 'gt' | 'lt';
  readonly t_min: number;
  readonly time: string;
  readonly band: TargetBand | undefined;
  readonly status: BandStatus | 'unknown';
  /** Label of the titration-table row applied. */
  readonly row?: string;
  readonly action: NextStepAction;
  readonly bolus_IU_kg: number;
  readonly bolus_IU?: number;
  /** IV infusion held for this long before the change (the purge keeps running). */
  readonly hold_min: number;
  readonly rateChange_IU_kg_h: number;
  readonly rateChange_IU_h?: number;
  /** Rates at the sample: IV, purge, and the total the protocol titrates (IV + purge when purge is counted). */
  readonly current: { readonly iv_IU_h?: number; readonly purge_IU_h: number; readonly titratedTotal_IU_h?: number };
  /** Suggested total (IV + purge when counted) and IV rate after the change. */
  readonly suggested?: { readonly total_IU_h: number; readonly iv_IU_h: number };
  /** Minutes from the sample to the next sample (hold included). */
  readonly recheckAfter_min: number;
  readonly recheckAt_min: number;
  readonly recheckAt?: string;
  readonly cautions: readonly string[];
  /** One-line summary, prefixed with the decision-support label in displays. */
  readonly text: string;
}

export interface NextStepInput {
  readonly protocol: AnticoagProtocol;
  /** Bands in force (protocol bands with any patient override applied). */
  readonly bands: readonly TargetBand[];
  /** The sample of the protocol's titrated test. */
  readonly sample: LabSample;
  /** Heparin rates in force at the sample (from heparinRateAt). */
  readonly rate?: HeparinRate;
  readonly weight_kg?: number;
  /** Consecutive in-range values of the titrated test under this protocol, this sample included. */
  readonly consecutiveInRange: number;
  /** The pair's classification when the sample is part of an anti-Xa/aPTT pair. */
  readonly pair?: PairClassification;
}

const fmt = (x: number, digits = 0): string => x.toFixed(digits).replace(/\.0+$/, '');

/**
 * Suggest the next step for one sample of the titrated test under the active protocol: find the titration row, apply
 * its bolus, hold and rate change (IU/kg/h × weight) to the total heparin rate (IV + purge when the protocol counts the
 * purge, so the suggested IV rate = suggested total − purge), and set the recheck time. Cautions from discordance and
 * from the purge are attached. Every result is decision support for a clinician.
 */
export function recommendNextStep(input: NextStepInput): RuleResult<NextStep> {
  const { protocol, sample } = input;
  const test = protocol.titrationTest;
  const band = input.bands.find((b) => b.test === test);
  const status = band ? classifyAgainstBand(sample.value, band, sample.censored) : 'unknown';
  const reasons: Reason[] = [];
  const missing: string[] = [];
  const cautions: string[] = [...(input.pair?.cautions ?? [])];
  const shown = `${sample.censored === 'gt' ? '>' : sample.censored === 'lt' ? '<' : ''}${formatValue(sample.value)}`;
  reasons.push({
    criterion: `${test}_${status}`,
    text: `${TEST_NAMES[test]} ${shown} ${TEST_UNITS[test]} ${status}${band ? ` against ${formatBand(band)}` : ' (no band for this test)'} under ${protocol.id} at ${sample.time}`,
    value: sample.value,
    unit: TEST_UNITS[test],
    time: sample.time,
  });
  if (sample.code !== test) missing.push(`${test} (sample is ${sample.code})`);

  const purge = input.rate?.purge_IU_h ?? 0;
  const iv = input.rate?.iv_IU_h;
  const titratedTotal = iv === undefined ? undefined : protocol.countPurgeHeparin ? iv + purge : iv;
  const current = { iv_IU_h: iv, purge_IU_h: purge, titratedTotal_IU_h: titratedTotal };
  if (!input.rate) missing.push('heparin infusion records');
  else if (iv === undefined) missing.push('weight_kg');

  const base = {
    label: DECISION_SUPPORT_LABEL,
    protocolId: protocol.id,
    test,
    value: sample.value,
    censored: sample.censored,
    t_min: sample.t_min,
    time: sample.time,
    band,
    status,
    current,
  };
  const recheck = (after: number) => ({
    recheckAfter_min: after,
    recheckAt_min: sample.t_min + after,
    recheckAt: isoAt(sample, sample.t_min + after),
  });

  if (protocol.titration.length === 0) {
    const after = status === 'in'
      ? input.consecutiveInRange >= protocol.recheck.consecutiveInRangeForStable ? protocol.recheck.stable_min : protocol.recheck.inRange_min
      : protocol.recheck.afterChange_min;
    const text = `${TEST_NAMES[test]} ${shown} ${TEST_UNITS[test]} ${status}; ${protocol.id} has no titration table (dose decision by the clinician); recheck in ${fmt(after / 60, 1)} h`;
    return {
      result: { ...base, action: 'report_only', bolus_IU_kg: 0, hold_min: 0, rateChange_IU_kg_h: 0, ...recheck(after), cautions, text },
      reasons,
      missing,
    };
  }

  const row = findTitrationRow(protocol.titration, sample.value, sample.censored);
  if (!row) {
    const after = protocol.recheck.afterChange_min;
    const text = `${TEST_NAMES[test]} ${shown} ${TEST_UNITS[test]}: no titration row applies (censored result or gap in the table); clinician to decide`;
    return {
      result: { ...base, action: 'not_determined', bolus_IU_kg: 0, hold_min: 0, rateChange_IU_kg_h: 0, ...recheck(after), cautions, text },
      reasons,
      missing,
    };
  }
  reasons.push({ criterion: 'titration_row', text: `row ${row.label ?? JSON.stringify(row)} of ${protocol.id}` });

  const w = input.weight_kg !== undefined && input.weight_kg > 0 ? input.weight_kg : undefined;
  if (w === undefined && !missing.includes('weight_kg')) missing.push('weight_kg');
  const change = row.rateChange_IU_kg_h;
  const rateChange_IU_h = w === undefined ? undefined : change * w;
  const bolus_IU = w === undefined || row.bolus_IU_kg === 0 ? undefined : row.bolus_IU_kg * w;

  let action: NextStepAction;
  if (row.status === 'in' || (change === 0 && row.bolus_IU_kg === 0 && row.hold_min === 0)) action = 'no_change';
  else if (change > 0 || row.bolus_IU_kg > 0) action = row.bolus_IU_kg > 0 ? 'bolus_and_increase' : 'increase';
  else action = row.hold_min > 0 ? 'hold_then_decrease' : 'decrease';

  let suggested: NextStep['suggested'];
  if (titratedTotal !== undefined && rateChange_IU_h !== undefined) {
    const total = Math.max(0, titratedTotal + rateChange_IU_h);
    let newIv = protocol.countPurgeHeparin ? total - purge : total;
    if (newIv < 0) {
      cautions.push(
        `The purge alone (${fmt(purge)} IU/h) exceeds the suggested total (${fmt(total)} IU/h): the IV infusion would be stopped; any purge change is a device decision for the clinician.`,
      );
      newIv = 0;
    }
    suggested = { total_IU_h: total, iv_IU_h: newIv };
  }
  if (row.hold_min > 0 && purge > 0) {
    cautions.push(`During the ${fmt(row.hold_min)}-min hold the purge keeps delivering ${fmt(purge)} IU/h.`);
  }

  let after: number;
  if (action === 'no_change') {
    after = input.consecutiveInRange >= protocol.recheck.consecutiveInRangeForStable ? protocol.recheck.stable_min : protocol.recheck.inRange_min;
  } else {
    after = row.hold_min + (row.recheck_min ?? protocol.recheck.afterChange_min);
  }

  const parts: string[] = [`${TEST_NAMES[test]} ${shown} ${TEST_UNITS[test]} ${status}${band ? ` (${formatBand(band)})` : ''}`];
  if (row.bolus_IU_kg > 0) parts.push(`bolus ${fmt(row.bolus_IU_kg)} IU/kg${bolus_IU !== undefined ? ` (${fmt(bolus_IU)} IU)` : ''}`);
  if (row.hold_min > 0) parts.push(`hold IV heparin ${fmt(row.hold_min)} min`);
  if (change !== 0) {
    parts.push(
      `${change > 0 ? 'increase' : 'decrease'} total heparin by ${fmt(Math.abs(change), 1)} IU/kg/h${rateChange_IU_h !== undefined ? ` (${fmt(Math.abs(rateChange_IU_h))} IU/h)` : ''}`,
    );
  }
  if (action === 'no_change') parts.push('no change');
  if (suggested) {
    parts.push(
      protocol.countPurgeHeparin && purge > 0
        ? `IV ${fmt(suggested.iv_IU_h)} IU/h + purge ${fmt(purge)} IU/h = ${fmt(suggested.total_IU_h)} IU/h`
        : `IV ${fmt(suggested.iv_IU_h)} IU/h`,
    );
  }
  parts.push(`recheck in ${fmt(after / 60, 1)} h`);
  return {
    result: {
      ...base,
      row: row.label,
      action,
      bolus_IU_kg: row.bolus_IU_kg,
      bolus_IU,
      hold_min: row.hold_min,
      rateChange_IU_kg_h: change,
      rateChange_IU_h,
      suggested,
      ...recheck(after),
      cautions,
      text: parts.join('; '),
    },
    reasons,
    missing,
  };
}
