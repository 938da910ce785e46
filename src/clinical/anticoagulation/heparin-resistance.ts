// Heparin resistance flag (reference 7.3 step 4 and 7.4): anti-Xa stays low despite a high total heparin dose
// including the purge; "a commonly cited heparin-resistance definition is > 35,000 U/24 h" [R]. Check antithrombin.
import { classifyAgainstBand } from './band.js';
import type { LabSample } from './inputs.js';
import { DEFAULT_ANTICOAG_RULESET, type AnticoagRuleSet } from './parameters.js';
import type { TargetBand } from './protocol.js';
import type { Reason, RuleResult, Tri } from '../rule-result.js';
import { formatValue } from '../format-value.js';

export interface ResistanceSample {
  readonly sample: LabSample;
  /** Band of anti-Xa in force at the sample, if any. */
  readonly band: TargetBand | undefined;
  /** Total UFH (IV + purge + boluses) over the window before the sample; undefined if not computable. */
  readonly dose_IU: number | undefined;
}

export interface HeparinResistance {
  /** true: at least one low anti-Xa after > threshold IU in the preceding window; false: anti-Xa samples with known
   * doses and none qualifies; 'unknown': no anti-Xa, or a low anti-Xa whose preceding dose is unknown. */
  readonly flag: Tri;
  readonly threshold_IU: number;
  readonly window_min: number;
  /** The samples that fired. */
  readonly firing: readonly ResistanceSample[];
  /** Latest antithrombin drawn up to the last firing sample (+ pairing window), if any (reference 7.3 step 4). */
  readonly antithrombin?: LabSample;
}

/**
 * Flag heparin resistance: an anti-Xa below its band (censored '< x' counts when x ≤ band low) while the total heparin
 * over the preceding window (default 24 h) was > heparinResistance_IU_24h (default 35,000 IU, [R]).
 */
export function flagHeparinResistance(
  samples: readonly ResistanceSample[],
  antithrombin: readonly LabSample[],
  ruleSet: AnticoagRuleSet = DEFAULT_ANTICOAG_RULESET,
): RuleResult<HeparinResistance> {
  const threshold = ruleSet.heparinResistance_IU_24h;
  const firing: ResistanceSample[] = [];
  let unknown = false;
  const missing: string[] = [];
  for (const s of samples) {
    if (!s.band) continue;
    const status = classifyAgainstBand(s.sample.value, s.band, s.sample.censored);
    if (status !== 'low') continue;
    if (s.dose_IU === undefined) {
      unknown = true;
      continue;
    }
    if (s.dose_IU > threshold) firing.push(s);
  }
  if (samples.length === 0) missing.push('anti_xa_IU_mL');
  if (unknown) missing.push('total heparin dose before a low anti-Xa (weight_kg or infusion records)');
  const flag: Tri = firing.length > 0 ? true : samples.length === 0 || unknown ? 'unknown' : false;
  const first = firing[0];
  const last = firing[firing.length - 1];
  const at = last
    ? antithrombin.filter((a) => a.t_min <= last.sample.t_min + ruleSet.pairingWindow_min).sort((a, b) => b.t_min - a.t_min)[0]
    : undefined;
  const reasons: Reason[] = firing.map((f) => ({
    criterion: 'heparin_resistance',
    text: `anti-Xa ${formatValue(f.sample.value)} [IU]/mL below ${f.band?.low}–${f.band?.high} after ${Math.round(f.dose_IU ?? 0)} IU UFH (IV + purge + boluses) in the preceding ${ruleSet.heparinResistanceWindow_min / 60} h > ${threshold} IU`,
    value: f.dose_IU,
    unit: '[IU]',
    time: f.sample.time,
  }));
  if (first) {
    if (at) {
      reasons.push({
        criterion: at.value < ruleSet.antithrombinLow_pct ? 'antithrombin_low' : 'antithrombin_not_low',
        text: `antithrombin ${at.value} % at ${at.time} (${at.value < ruleSet.antithrombinLow_pct ? '<' : '≥'} ${ruleSet.antithrombinLow_pct} %)`,
        value: at.value,
        unit: '%',
        time: at.time,
      });
    } else {
      missing.push('antithrombin_pct');
    }
  }
  return { result: { flag, threshold_IU: threshold, window_min: ruleSet.heparinResistanceWindow_min, firing, antithrombin: at }, reasons, missing };
}
