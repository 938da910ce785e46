// Classification of an anti-Xa/aPTT pair as concordant or one of the discordant patterns, with its likely causes.
// Reference 7.4 (Adatya et al., JACC Heart Fail 2015; ESC Heart Fail 2024 discordance study; Van Edom et al.,
// J Thromb Haemost 2025) and 7.3 step 4 (Vandenbriele et al., J Am Coll Cardiol 2022).
import { classifyAgainstBand, formatBand, type BandStatus } from './band.js';
import type { ContextLabCode, ContextLabs } from './context-labs.js';
import type { LabSample } from './inputs.js';
import { DEFAULT_ANTICOAG_RULESET, type AnticoagRuleSet } from './parameters.js';
import type { TargetBand } from './protocol.js';
import type { SamplePair } from './pairing.js';
import { triOr, type Reason, type RuleResult, type Tri } from '../rule-result.js';
import { formatValue } from '../format-value.js';

/**
 * Patterns, from the two band statuses (anti-Xa × aPTT). Mapping to the rows of reference table 7.4:
 * - `aptt_high_antixa_not_high` (aPTT high; anti-Xa in range or low)          → row "aPTT high, anti-Xa in range/low"
 * - `aptt_not_high_antixa_not_low` (aPTT low with anti-Xa in/high, or aPTT in with anti-Xa high)
 *                                                                              → row "aPTT low/normal, anti-Xa in range/high"
 * - `antixa_low_aptt_in_range`                                                 → row "anti-Xa falsely low"
 * - `concordant_low` (both low; heparin resistance when the dose is high)      → row "both low despite high dose"
 * - `concordant_high` (both high)                                              → row "both high"
 * - `concordant_in_range`; `unclassifiable` when a censored value leaves a status open.
 */
export const PAIR_PATTERNS = [
  'concordant_in_range',
  'concordant_low',
  'concordant_high',
  'aptt_high_antixa_not_high',
  'aptt_not_high_antixa_not_low',
  'antixa_low_aptt_in_range',
  'unclassifiable',
] as const;
export type PairPattern = (typeof PAIR_PATTERNS)[number];

/** The three discordant patterns. */
export const DISCORDANT_PATTERNS: readonly PairPattern[] = [
  'aptt_high_antixa_not_high',
  'aptt_not_high_antixa_not_low',
  'antixa_low_aptt_in_range',
];

/** Interpretation of each pattern (reference 7.4, column "Interpretation"). */
export const PATTERN_INTERPRETATION: Readonly<Record<PairPattern, string>> = {
  concordant_in_range: 'both tests in their target bands',
  concordant_low: 'both tests below their bands: under-anticoagulation, or heparin resistance if the dose is high',
  concordant_high: 'both tests above their bands: true over-anticoagulation',
  aptt_high_antixa_not_high: 'clotting time prolonged by something other than heparin',
  aptt_not_high_antixa_not_low: 'heparin present but clotting time short',
  antixa_low_aptt_in_range: 'anti-Xa possibly falsely low (assay under-reads), or aPTT prolonged by a coagulopathy',
  unclassifiable: 'a censored result leaves the band status open',
};

export type CauseStatus = 'supported' | 'possible';

/** A likely cause: `supported` when a measured lab points to it (its reasons say which), `possible` otherwise. */
export interface LikelyCause {
  readonly code: string;
  readonly text: string;
  readonly status: CauseStatus;
  readonly supportedBy: readonly Reason[];
}

export interface PairClassification {
  readonly t_min: number;
  readonly time: string;
  readonly antiXa: { readonly value: number; readonly censored?: 'gt' | 'lt'; readonly status: BandStatus | 'unknown'; readonly band: TargetBand };
  readonly aptt: { readonly value: number; readonly censored?: 'gt' | 'lt'; readonly status: BandStatus | 'unknown'; readonly band: TargetBand };
  readonly pattern: PairPattern;
  /** true for the concordant patterns, false for the discordant ones, 'unknown' when unclassifiable. */
  readonly concordant: Tri;
  readonly interpretation: string;
  readonly causes: readonly LikelyCause[];
  /** Intrinsic coagulopathy behind a prolonged aPTT: INR ≥ 1.5 or fibrinogen < 150 mg/dL (Van Edom 2025) [V].
   * Evaluated for every pair; 'unknown' when neither lab is available and none fired. */
  readonly coagulopathy: Tri;
  /** Warnings that change how the next dose step should be read (reference 7.3 step 4). */
  readonly cautions: readonly string[];
}

export interface ClassifyPairOptions {
  readonly antiXaBand: TargetBand;
  readonly apttBand: TargetBand;
  readonly contextLabs: ContextLabs;
  /** Total UFH over the resistance window before the pair (IV + purge + boluses), if known. */
  readonly heparinDoseWindow_IU?: number;
  readonly ruleSet?: AnticoagRuleSet;
}

type Cmp = '<' | '>' | '>=';

/** Three-valued comparison of a possibly censored lab against a threshold. */
function compare(s: LabSample, cmp: Cmp, threshold: number): Tri {
  const v = s.value;
  if (s.censored === 'lt') {
    // true value < v
    if (cmp === '<') return v <= threshold ? true : 'unknown';
    return v <= threshold ? false : 'unknown';
  }
  if (s.censored === 'gt') {
    // true value > v
    if (cmp === '<') return v >= threshold ? false : 'unknown';
    return v >= threshold ? true : 'unknown';
  }
  if (cmp === '<') return v < threshold;
  if (cmp === '>') return v > threshold;
  return v >= threshold;
}

const LAB_TEXT: Record<ContextLabCode, { name: string; unit: string }> = {
  inr: { name: 'INR', unit: '{INR}' },
  fibrinogen_mg_dL: { name: 'fibrinogen', unit: 'mg/dL' },
  platelets_10e9_L: { name: 'platelets', unit: '10*9/L' },
  bilirubin_mg_dL: { name: 'bilirubin', unit: 'mg/dL' },
  plasma_free_hb_mg_dL: { name: 'plasma free Hb', unit: 'mg/dL' },
  antithrombin_pct: { name: 'antithrombin', unit: '%' },
};

/** Evaluate one lab criterion; returns the tri value and the reason when it fired. */
function labCriterion(
  labs: ContextLabs,
  code: ContextLabCode,
  cmp: Cmp,
  threshold: number,
  criterion: string,
): { fired: Tri; reason?: Reason } {
  const s = labs[code];
  if (!s) return { fired: 'unknown' };
  const fired = compare(s, cmp, threshold);
  if (fired !== true) return { fired };
  const { name, unit } = LAB_TEXT[code];
  const shown = `${s.censored === 'gt' ? '>' : s.censored === 'lt' ? '<' : ''}${formatValue(s.value)}`;
  return {
    fired,
    reason: {
      criterion,
      text: `${name} ${shown} ${unit} ${cmp === '>=' ? '≥' : cmp} ${threshold} at ${s.time}`,
      value: s.value,
      unit,
      time: s.time,
    },
  };
}

function patternOf(xa: BandStatus | 'unknown', pt: BandStatus | 'unknown'): PairPattern {
  if (xa === 'unknown' || pt === 'unknown') return 'unclassifiable';
  if (xa === 'in' && pt === 'in') return 'concordant_in_range';
  if (xa === 'low' && pt === 'low') return 'concordant_low';
  if (xa === 'high' && pt === 'high') return 'concordant_high';
  if (pt === 'high') return 'aptt_high_antixa_not_high';
  if (xa === 'low') return 'antixa_low_aptt_in_range';
  return 'aptt_not_high_antixa_not_low';
}

/**
 * Classify one anti-Xa/aPTT pair against the bands in force and name its likely causes (reference 7.4), using INR,
 * fibrinogen, platelets, bilirubin, plasma free Hb and antithrombin where present. Causes with a lab that fired are
 * `supported`; the other causes of the pattern's row are listed as `possible`. Labs the pattern needed but lacked are
 * in `missing`.
 */
export function classifyPair(pair: SamplePair, options: ClassifyPairOptions): RuleResult<PairClassification> {
  const rs = options.ruleSet ?? DEFAULT_ANTICOAG_RULESET;
  const labs = options.contextLabs;
  const xaStatus = classifyAgainstBand(pair.antiXa.value, options.antiXaBand, pair.antiXa.censored);
  const ptStatus = classifyAgainstBand(pair.aptt.value, options.apttBand, pair.aptt.censored);
  const pattern = patternOf(xaStatus, ptStatus);
  const reasons: Reason[] = [
    {
      criterion: `anti_xa_${xaStatus}`,
      text: `anti-Xa ${formatValue(pair.antiXa.value)} [IU]/mL ${xaStatus} against ${formatBand(options.antiXaBand)} at ${pair.antiXa.time}`,
      value: pair.antiXa.value,
      unit: '[IU]/mL',
      time: pair.antiXa.time,
    },
    {
      criterion: `aptt_${ptStatus}`,
      text: `aPTT ${formatValue(pair.aptt.value)} s ${ptStatus} against ${formatBand(options.apttBand)} at ${pair.aptt.time}`,
      value: pair.aptt.value,
      unit: 's',
      time: pair.aptt.time,
    },
    { criterion: `pattern_${pattern}`, text: `${pattern}: ${PATTERN_INTERPRETATION[pattern]}` },
  ];
  const missing = new Set<string>();
  const causes: LikelyCause[] = [];
  const cautions: string[] = [];
  const need = (...codes: ContextLabCode[]) => codes.forEach((c) => labs[c] === undefined && missing.add(c));

  const inrHigh = labCriterion(labs, 'inr', '>=', rs.inrCoagulopathy, 'inr_ge_coagulopathy');
  const fibLow = labCriterion(labs, 'fibrinogen_mg_dL', '<', rs.fibrinogenLow_mg_dL, 'fibrinogen_lt_low');
  const fibHigh = labCriterion(labs, 'fibrinogen_mg_dL', '>', rs.fibrinogenHigh_mg_dL, 'fibrinogen_gt_high');
  const pltLow = labCriterion(labs, 'platelets_10e9_L', '<', rs.plateletsLow_10e9_L, 'platelets_lt_low');
  const biliHigh = labCriterion(labs, 'bilirubin_mg_dL', '>', rs.bilirubinHigh_mg_dL, 'bilirubin_gt_high');
  const pfhbHigh = labCriterion(labs, 'plasma_free_hb_mg_dL', '>', rs.plasmaFreeHbHigh_mg_dL, 'plasma_free_hb_gt_high');
  const atLow = labCriterion(labs, 'antithrombin_pct', '<', rs.antithrombinLow_pct, 'antithrombin_lt_low');
  const coagulopathy = triOr(inrHigh.fired, fibLow.fired);

  const add = (code: string, text: string, ...fired: { reason?: Reason }[]) => {
    const supportedBy = fired.map((f) => f.reason).filter((r): r is Reason => r !== undefined);
    causes.push({ code, text, status: supportedBy.length > 0 ? 'supported' : 'possible', supportedBy });
  };

  switch (pattern) {
    case 'aptt_high_antixa_not_high': {
      need('inr', 'fibrinogen_mg_dL', 'platelets_10e9_L', 'bilirubin_mg_dL', 'plasma_free_hb_mg_dL');
      add('coagulopathy_low_factors', 'consumptive coagulopathy/DIC or liver failure (low factors, high INR)', inrHigh);
      add('low_fibrinogen', 'low fibrinogen (consumption, DIC, hemodilution)', fibLow);
      add('thrombocytopenia', 'low platelets (associated with aPTT > anti-Xa in MCS cohorts)', pltLow);
      add('liver_dysfunction', 'high bilirubin / liver dysfunction (associated with aPTT > anti-Xa)', biliHigh);
      add('hemolysis', 'hemolysis or device obstruction (free Hb)', pfhbHigh);
      if (xaStatus === 'low') {
        add('antixa_underread_bilirubin', 'anti-Xa under-read by hyperbilirubinemia', biliHigh);
        add('antixa_underread_hemolysis', 'anti-Xa under-read by free hemoglobin', pfhbHigh);
      }
      add('other_not_measured', 'vitamin K antagonist, factor XII/XI/V deficiency, lupus anticoagulant, hemodilution (not assessable from the record)');
      if (coagulopathy === true) {
        cautions.push(
          'Intrinsic coagulopathy – bleeding risk: the prolonged aPTT is not heparin excess; do not reduce heparin on the aPTT; consider the lower anti-Xa band.',
        );
      } else {
        cautions.push('aPTT prolonged beyond the heparin level: check INR, fibrinogen and platelets; do not reduce heparin on the aPTT alone.');
      }
      break;
    }
    case 'aptt_not_high_antixa_not_low': {
      need('fibrinogen_mg_dL');
      add('acute_phase', 'acute-phase reaction: high factor VIII and fibrinogen shorten the aPTT', fibHigh);
      if (xaStatus === 'high') {
        const veryHigh = pair.antiXa.value >= rs.antiXaVeryHigh_IU_mL;
        const lineReason: Reason | undefined = veryHigh
          ? {
              criterion: 'anti_xa_very_high',
              text: `anti-Xa ${formatValue(pair.antiXa.value)} [IU]/mL ≥ ${rs.antiXaVeryHigh_IU_mL} with aPTT not high`,
              value: pair.antiXa.value,
              unit: '[IU]/mL',
              time: pair.antiXa.time,
            }
          : undefined;
        add('heparinized_line_sample', 'sample drawn from a heparinized line', { reason: lineReason });
        add('antixa_assay_interference', 'anti-Xa assay interference');
        cautions.push('anti-Xa high with aPTT not high: consider assay interference or high factor VIII; confirm (repeat sample, not from a heparinized line) before large dose changes.');
      }
      break;
    }
    case 'antixa_low_aptt_in_range': {
      need('bilirubin_mg_dL', 'plasma_free_hb_mg_dL', 'antithrombin_pct', 'inr', 'fibrinogen_mg_dL');
      add('antixa_underread_bilirubin', 'anti-Xa under-read by hyperbilirubinemia (chromogenic assay)', biliHigh);
      add('antixa_underread_hemolysis', 'anti-Xa under-read by free hemoglobin (chromogenic assay)', pfhbHigh);
      add('antixa_underread_lipemia', 'anti-Xa under-read by lipemia/turbidity (not assessable from the record)');
      add('low_antithrombin', 'low antithrombin (assays without added antithrombin read low)', atLow);
      add('aptt_prolonged_by_coagulopathy', 'aPTT lifted into range by a coagulopathy (INR/fibrinogen)', inrHigh, fibLow);
      if (biliHigh.fired === true || pfhbHigh.fired === true || atLow.fired === true) {
        cautions.push('anti-Xa may under-read (bilirubin, free Hb or antithrombin): confirm before increasing the dose.');
      }
      break;
    }
    case 'concordant_low': {
      need('antithrombin_pct');
      const dose = options.heparinDoseWindow_IU;
      const highDose = dose !== undefined && dose > rs.heparinResistance_IU_24h;
      const doseReason: Reason | undefined = highDose
        ? {
            criterion: 'heparin_dose_gt_resistance',
            text: `total UFH ${Math.round(dose)} IU over the preceding ${rs.heparinResistanceWindow_min / 60} h > ${rs.heparinResistance_IU_24h} IU`,
            value: dose,
            unit: '[IU]',
          }
        : undefined;
      if (dose === undefined) missing.add('heparin_dose_24h');
      add('under_dosing', 'heparin dose too low for the target');
      if (highDose) {
        add('heparin_resistance', 'heparin resistance: both low despite a high total dose', { reason: doseReason });
        add('antithrombin_deficiency', 'antithrombin deficiency (consumption on ECMO/MCS, liver failure)', atLow);
        add('heparin_binding_proteins', 'high heparin-binding proteins (not assessable from the record)');
        cautions.push('Both tests low despite a high total heparin dose (purge counted): check antithrombin before further increases.');
      }
      break;
    }
    case 'concordant_high': {
      add('dose_error_purge', 'dose error, e.g. purge heparin not counted in the total rate');
      add('clearance_change', 'changed renal/hepatic heparin clearance');
      break;
    }
    default:
      break;
  }
  // Coagulopathy is reported for every pair; missing INR/fibrinogen is named only where the pattern needs them.
  for (const c of causes) {
    for (const r of c.supportedBy) if (!reasons.some((x) => x.criterion === r.criterion)) reasons.push(r);
  }
  if (coagulopathy === true) {
    reasons.push({ criterion: 'coagulopathy', text: 'intrinsic coagulopathy: INR ≥ ' + rs.inrCoagulopathy + ' or fibrinogen < ' + rs.fibrinogenLow_mg_dL + ' mg/dL' });
  }
  const concordant: Tri =
    pattern === 'unclassifiable' ? 'unknown' : DISCORDANT_PATTERNS.includes(pattern) ? false : true;
  return {
    result: {
      t_min: pair.t_min,
      time: pair.time,
      antiXa: { value: pair.antiXa.value, censored: pair.antiXa.censored, status: xaStatus, band: options.antiXaBand },
      aptt: { value: pair.aptt.value, censored: pair.aptt.censored, status: ptStatus, band: options.apttBand },
      pattern,
      concordant,
      interpretation: PATTERN_INTERPRETATION[pattern],
      causes,
      coagulopathy,
      cautions,
    },
    reasons,
    missing: [...missing],
  };
}
