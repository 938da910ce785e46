// Hemolysis grade on mechanical circulatory support (clinical reference section 6; grading [D] with configurable,
// per-device thresholds, each with its source):
// - none:        PFHb < 20 mg/dL (or PFHb not measured and LDH < 2.5 × ULN);
// - biochemical: PFHb 20–40 mg/dL, or LDH ≥ 2.5 × ULN without clinical signs (INTERMACS "minor" concept [R]);
// - significant: PFHb > 40 mg/dL on ≥ 2 samples ≥ 8 h apart (Abiomed/AMCS convention [V]);
// - severe:      PFHb > 50 mg/dL (ECMO: Omar et al., PLoS One 2015 [V]; Appelt et al., PLoS One 2020 [V]) or
//                significant hemolysis with a clinical consequence (AKI, transfusion, hemoglobinuria, device
//                exchange/repositioning or speed reduction for hemolysis).
// LDH is not specific in AMI-CS (it rises with the infarct itself, reference 6 [V]); by default it is not used alone there.
import type { Reason, RuleResult } from '../rule-result.js';
import type { DeviceKind, Episode, HemolysisEvent, Observation, TMin } from '../episode/episode.js';
import { devicesActiveAt, lastRecordedMin, maxInWindow, minInWindow, observationsInWindow } from '../episode/series.js';
import { formatValue } from '../format-value.js';

export const HEMOLYSIS_GRADES = ['none', 'biochemical', 'significant', 'severe'] as const;
export type HemolysisGrade = (typeof HEMOLYSIS_GRADES)[number];
const rank = (g: HemolysisGrade): number => HEMOLYSIS_GRADES.indexOf(g);

/** Thresholds of one device kind (PFHb in mg/dL; European labs report mg/L: 500 mg/L = 50 mg/dL). */
export interface HemolysisThresholds {
  /** PFHb ≥ this → biochemical (reference 6 [D]; normal < 5 mg/dL, Saylor et al., ASAIO J 2019 [V]). */
  readonly biochemicalPfhbAtLeast_mg_dL: number;
  /** PFHb > this on `significantSamples` samples → significant (AMCS/Impella: > 40 mg/dL [V]). */
  readonly significantPfhbAbove_mg_dL: number;
  readonly significantSamples: number;
  /** The qualifying samples must be at least this far apart (AMCS: ≥ 8 h [V]). */
  readonly significantMinApartMin: number;
  /** ... and at most this far apart (manufacturer training video: within 24 h [V]); null = no limit. */
  readonly significantMaxApartMin: number | null;
  /** One PFHb > this → severe (ECMO literature: > 50 mg/dL [V]); null = not used for this device. */
  readonly severePfhbAbove_mg_dL: number | null;
  /** LDH ≥ this × ULN → biochemical (INTERMACS/Cowger: ≥ 2.5 × ULN [V]). */
  readonly ldhFoldUln: number;
}

const BASE: HemolysisThresholds = {
  biochemicalPfhbAtLeast_mg_dL: 20,
  significantPfhbAbove_mg_dL: 40,
  significantSamples: 2,
  significantMinApartMin: 8 * 60,
  significantMaxApartMin: null,
  severePfhbAbove_mg_dL: 50,
  ldhFoldUln: 2.5,
};

/** Per device kind ('none' = no MCS in place at the sample). All default to the reference 6 grading [D]. */
export type HemolysisDeviceKey = DeviceKind | 'none';

export interface HemolysisParameters {
  readonly thresholds: Readonly<Record<HemolysisDeviceKey, HemolysisThresholds>>;
  /** LDH upper limit of normal when the episode does not record one (600 U/L ÷ 2.5 = 240, reference 6 example) [D]. */
  readonly defaultLdhUln_U_L: number;
  /** Use LDH alone (no PFHb) to grade in AMI-CS. Default false: LDH rises with the infarct (reference 6 [V]). */
  readonly useLdhAloneInAmi: boolean;
  /** Haptoglobin below this suggests consumption (supportive only, reference 6 [D]). */
  readonly haptoglobinLow_mg_dL: number;
  /** Bilirubin above this makes the TMB-peroxidase PFHb assay read falsely high (reference 6 [V]). */
  readonly pfhbAssayBilirubinInterference_mg_dL: number;
}

export const DEFAULT_HEMOLYSIS_PARAMETERS: HemolysisParameters = {
  thresholds: { microaxial: BASE, va_ecmo: BASE, iabp: BASE, other: BASE, none: BASE },
  defaultLdhUln_U_L: 240,
  useLdhAloneInAmi: false,
  haptoglobinLow_mg_dL: 30,
  pfhbAssayBilirubinInterference_mg_dL: 20,
};

export interface HemolysisAssessment {
  readonly grade: HemolysisGrade | null;
  /** Device kinds in place at the sample that set the grade (or during the window). */
  readonly devices: readonly HemolysisDeviceKey[];
  readonly worstPfhb_mg_dL: number | null;
  readonly ldhFoldUln: number | null;
  readonly haptoglobinLow: boolean | 'unknown';
  /** Clinical consequences recorded in hemolysis events of the window. */
  readonly consequences: readonly string[];
  /** One PFHb above the significant limit that still needs a qualifying second sample. */
  readonly awaitingConfirmation: boolean;
}

/** Thresholds for a sample time: of the device(s) in place; with several, the lowest limits (strictest) apply. */
function thresholdsAt(episode: Episode, t: TMin, p: HemolysisParameters): { th: HemolysisThresholds; keys: HemolysisDeviceKey[] } {
  const kinds = [...new Set(devicesActiveAt(episode, t).map((d) => d.kind))];
  const keys: HemolysisDeviceKey[] = kinds.length > 0 ? kinds : ['none'];
  const list = keys.map((k) => p.thresholds[k]);
  const minOf = (f: (x: HemolysisThresholds) => number | null): number | null => {
    const v = list.map(f).filter((x): x is number => x !== null);
    return v.length > 0 ? Math.min(...v) : null;
  };
  const first = list[0] as HemolysisThresholds;
  return {
    keys,
    th: {
      biochemicalPfhbAtLeast_mg_dL: minOf((x) => x.biochemicalPfhbAtLeast_mg_dL) ?? first.biochemicalPfhbAtLeast_mg_dL,
      significantPfhbAbove_mg_dL: minOf((x) => x.significantPfhbAbove_mg_dL) ?? first.significantPfhbAbove_mg_dL,
      significantSamples: Math.min(...list.map((x) => x.significantSamples)),
      significantMinApartMin: Math.min(...list.map((x) => x.significantMinApartMin)),
      significantMaxApartMin: list.some((x) => x.significantMaxApartMin === null) ? null : Math.max(...list.map((x) => x.significantMaxApartMin ?? 0)),
      severePfhbAbove_mg_dL: minOf((x) => x.severePfhbAbove_mg_dL),
      ldhFoldUln: minOf((x) => x.ldhFoldUln) ?? first.ldhFoldUln,
    },
  };
}

function consequencesOf(e: HemolysisEvent): string[] {
  const out: string[] = [];
  if (e.hemoglobinuria) out.push('hemoglobinuria');
  if (e.transfusionForHemolysis) out.push('transfusion for hemolysis');
  if (e.akiAttributed) out.push('AKI attributed to hemolysis');
  for (const a of e.actions) if (a === 'device_exchange' || a === 'repositioning' || a === 'speed_reduction') out.push(a.replace('_', ' '));
  return out;
}

/**
 * Hemolysis grade over [fromMin, toMin] (default: the whole episode up to the last record).
 * Result null when neither PFHb nor a usable LDH was measured.
 */
export function gradeHemolysis(
  episode: Episode,
  options: { fromMin?: TMin; toMin?: TMin; parameters?: Partial<HemolysisParameters> } = {},
): RuleResult<HemolysisAssessment> {
  const p: HemolysisParameters = { ...DEFAULT_HEMOLYSIS_PARAMETERS, ...options.parameters };
  const to = options.toMin ?? lastRecordedMin(episode);
  const from = options.fromMin ?? -Infinity;
  const reasons: Reason[] = [];
  const missing: string[] = [];
  const pfhb = observationsInWindow(episode, 'plasma_free_hb_mg_dL', from, to);
  let grade: HemolysisGrade | null = null;
  let gradeKeys: HemolysisDeviceKey[] = [];
  let awaiting = false;
  const raise = (g: HemolysisGrade, keys: HemolysisDeviceKey[], r: Reason) => {
    reasons.push(r);
    if (grade === null || rank(g) > rank(grade)) {
      grade = g;
      gradeKeys = keys;
    }
  };
  const pr = (o: Observation, criterion: string, text: string): Reason => ({ criterion, text, value: o.value, unit: 'mg/dL', time: o.time });

  for (const s of pfhb) {
    const { th, keys } = thresholdsAt(episode, s.t_min, p);
    const dev = keys.join('+');
    if (th.severePfhbAbove_mg_dL !== null && s.value > th.severePfhbAbove_mg_dL) {
      raise('severe', keys, pr(s, 'pfhb_gt_severe', `PFHb ${formatValue(s.value)} > ${th.severePfhbAbove_mg_dL} mg/dL on ${dev} → severe`));
      continue;
    }
    if (s.value > th.significantPfhbAbove_mg_dL) {
      const partners = pfhb.filter(
        (o) =>
          o !== s &&
          o.value > th.significantPfhbAbove_mg_dL &&
          Math.abs(o.t_min - s.t_min) >= th.significantMinApartMin &&
          (th.significantMaxApartMin === null || Math.abs(o.t_min - s.t_min) <= th.significantMaxApartMin),
      );
      if (partners.length + 1 >= th.significantSamples) {
        const other = partners[0];
        raise('significant', keys, pr(s, 'pfhb_gt_40_repeated', `PFHb ${formatValue(s.value)} > ${th.significantPfhbAbove_mg_dL} mg/dL${other ? ` and ${formatValue(other.value)} at ${other.time}` : ''}, ≥ ${th.significantMinApartMin / 60} h apart, on ${dev} → significant`));
        continue;
      }
      awaiting = true;
      raise('biochemical', keys, pr(s, 'pfhb_gt_40_single', `PFHb ${formatValue(s.value)} > ${th.significantPfhbAbove_mg_dL} mg/dL once; a second sample ≥ ${th.significantMinApartMin / 60} h apart is needed to call it significant`));
      continue;
    }
    if (s.value >= th.biochemicalPfhbAtLeast_mg_dL) {
      raise('biochemical', keys, pr(s, 'pfhb_20_40', `PFHb ${formatValue(s.value)} mg/dL in ${th.biochemicalPfhbAtLeast_mg_dL}–${th.significantPfhbAbove_mg_dL} → biochemical`));
      continue;
    }
    raise('none', keys, pr(s, 'pfhb_lt_20', `PFHb ${formatValue(s.value)} < ${th.biochemicalPfhbAtLeast_mg_dL} mg/dL`));
  }
  if (pfhb.length === 0) missing.push('plasma_free_hb_mg_dL');

  // LDH
  const ldh = maxInWindow(episode, 'ldh_U_L', from, to);
  const uln = episode.clinical.ldhUpperLimitOfNormal_U_L ?? p.defaultLdhUln_U_L;
  let ldhFold: number | null = null;
  if (ldh) {
    if (episode.clinical.ldhUpperLimitOfNormal_U_L === undefined) reasons.push({ criterion: 'ldh_default_uln', text: `no LDH upper limit of normal recorded: default ${formatValue(uln)} U/L used` });
    ldhFold = Math.round((ldh.value / uln) * 100) / 100;
    const { th, keys } = thresholdsAt(episode, ldh.t_min, p);
    const ami = episode.clinical.etiology === 'AMI';
    const high = ldh.value / uln >= th.ldhFoldUln;
    const ldhText = `LDH ${formatValue(ldh.value)} U/L = ${ldhFold} × ULN ${formatValue(uln)}`;
    if (ami && pfhb.length === 0 && !p.useLdhAloneInAmi) {
      reasons.push({ criterion: 'ldh_not_used_in_ami', text: `${ldhText}: LDH alone is not used in AMI-CS (rises with the infarct); PFHb needed`, value: ldh.value, unit: 'U/L', time: ldh.time });
    } else if (high) {
      raise('biochemical', keys, { criterion: 'ldh_ge_2_5_uln', text: `${ldhText} ≥ ${th.ldhFoldUln} × ULN → biochemical`, value: ldh.value, unit: 'U/L', time: ldh.time });
    } else if (pfhb.length === 0) {
      raise('none', keys, { criterion: 'ldh_lt_2_5_uln', text: `${ldhText} < ${th.ldhFoldUln} × ULN and PFHb not measured → none`, value: ldh.value, unit: 'U/L', time: ldh.time });
    }
  } else missing.push('ldh_U_L');

  // Clinical consequence turns significant into severe.
  const events = episode.events.filter((e): e is HemolysisEvent => e.kind === 'hemolysis' && e.t_min >= from && e.t_min <= to);
  const consequences = [...new Set(events.flatMap(consequencesOf))];
  if (grade === 'significant' && consequences.length > 0) {
    raise('severe', gradeKeys, { criterion: 'significant_with_consequence', text: `significant hemolysis with ${consequences.join(', ')} → severe` });
  } else if (consequences.length > 0) {
    reasons.push({ criterion: 'hemolysis_event', text: `hemolysis event recorded (${consequences.join(', ')}); grade from markers only` });
  }

  // Supportive markers and assay caveats.
  const hapto = minInWindow(episode, 'haptoglobin_mg_dL', from, to);
  const haptoglobinLow: boolean | 'unknown' = hapto ? hapto.value < p.haptoglobinLow_mg_dL : 'unknown';
  if (hapto && haptoglobinLow === true) reasons.push({ criterion: 'haptoglobin_low', text: `haptoglobin ${hapto.censored === 'lt' ? '< ' : ''}${formatValue(hapto.value)} < ${p.haptoglobinLow_mg_dL} mg/dL (consumption; supportive only)`, value: hapto.value, unit: 'mg/dL', time: hapto.time });
  const bili = maxInWindow(episode, 'bilirubin_mg_dL', from, to);
  if (bili && bili.value > p.pfhbAssayBilirubinInterference_mg_dL && pfhb.length > 0) {
    reasons.push({ criterion: 'pfhb_assay_interference', text: `bilirubin ${formatValue(bili.value)} > ${p.pfhbAssayBilirubinInterference_mg_dL} mg/dL can make the PFHb assay read falsely high`, value: bili.value, unit: 'mg/dL', time: bili.time });
  }

  const worst = pfhb.reduce<number | null>((a, o) => (a === null || o.value > a ? o.value : a), null);
  const devicesInWindow = [...new Set(episode.devices.filter((d) => d.t_insertion_min <= to && (d.t_removal_min ?? Infinity) >= from).map((d) => d.kind))];
  return {
    result: {
      grade,
      devices: gradeKeys.length > 0 ? gradeKeys : devicesInWindow.length > 0 ? devicesInWindow : ['none'],
      worstPfhb_mg_dL: worst,
      ldhFoldUln: ldhFold,
      haptoglobinLow,
      consequences,
      awaitingConfirmation: awaiting && grade === 'biochemical',
    },
    reasons,
    missing,
  };
}
