// The SCAI staging rule sets: every threshold, window and switch of the retrospective algorithm as a named,
// documented parameter (clinical reference 1.3, 1.4, 1.6). Three presets ship: Jentzer 2019 as published,
// and the SCAI 2019 and 2022 descriptors laid on Jentzer's building blocks. A site copies a preset and changes
// fields (`scaiRuleSet('scai2022', { labLookbackMin: 240 })`); the rule-set id is stored with every result.
// Evidence tags: [V] checked against the source, [S] secondary source only, [R] not re-checked, [D] design.

import { thr, type Threshold } from './threshold.js';

export type ScaiVersion = '2019' | '2022';
export type ScaiRuleSetId = 'jentzer2019' | 'scai2019' | 'scai2022';

/** Which vasoactive-inotropic score variant to use (reference 2.1). */
export type VisVersion = 'gaies2010' | 'gaies2010+phenylephrine';

export interface PacCriteria {
  /** Cardiac index, SCAI C: < 2.2 L/min/m² [S]. */
  readonly cardiacIndex: Threshold;
  /** PCWP, SCAI C: > 15 mmHg [S]. */
  readonly pcwp: Threshold;
  /** RAP/PCWP, SCAI C: ≥ 0.8 [S]. */
  readonly rapPcwpRatio: Threshold;
  /** PAPi, SCAI C: < 1.85 [S]. */
  readonly papi: Threshold;
  /** Cardiac power output, SCAI C: ≤ 0.6 W (one reprint prints ≥; ≤ is the physiological direction) [S]. */
  readonly cpo: Threshold;
}

export interface ScaiRuleSet {
  readonly id: string;
  /** SCAI version whose cardiac-arrest modifier applies (reference 1.2). */
  readonly version: ScaiVersion;
  readonly description: string;

  // ---- windows (minutes) ----
  /** Jentzer's "first hour": hemodynamic status window ending at the assessment time. [S] */
  readonly statusWindowMin: number;
  /** Jentzer's "first 24 h": trend window for deterioration, creatinine rise and IABP. [S] */
  readonly trendWindowMin: number;
  /** The "first hour" of the trend window that deterioration compares against. [S] */
  readonly baselineWindowMin: number;
  /** How far back a lab value (lactate, pH, ALT) still describes the patient. [D] */
  readonly labLookbackMin: number;
  /** How far back a PA-catheter value still describes the patient. [D] */
  readonly pacLookbackMin: number;
  /** Urine output averaging window: Jentzer < 720 mL in 24 h = mean < 30 mL/h over 24 h. [S] */
  readonly urineWindowMin: number;
  /** Baseline creatinine look-back (reference 1.6 rule 5: lowest value in the prior 7 days). [D] */
  readonly baselineCreatinineLookbackMin: number;

  // ---- hypotension or tachycardia ----
  /** SBP < 90 mmHg [V: Jentzer 2021]. */
  readonly sbpHypotension: Threshold;
  /** MAP < 60 mmHg [V: Jentzer 2021]. */
  readonly mapHypotension: Threshold;
  /** Jentzer: HR > 100 /min [S]; SCAI tables: HR ≥ 100 (some reprints > 100) [S]. */
  readonly tachycardia: Threshold;
  /** SCAI B "fall > 30 mmHg from baseline" SBP [S]; null = off (needs `baselineSbp_mmHg`). */
  readonly sbpFallFromBaseline: Threshold | null;

  // ---- hypoperfusion ----
  /** Jentzer: lactate > 2 mmol/L [V]; SCAI C: lactate ≥ 2 [S]. */
  readonly lactateHypoperfusion: Threshold;
  /** Mean urine output < 30 mL/h [S]. */
  readonly urineOutputLow: Threshold;
  /** Creatinine rise ≥ 0.3 mg/dL within the trend window [S]. */
  readonly creatinineRise: Threshold;
  /** SCAI C "creatinine doubled": ratio to baseline ≥ 2 [S]; null = off. */
  readonly creatinineRatioToBaseline: Threshold | null;
  /** SCAI C "raised liver tests", operationalized as ALT > 200 U/L as CCCTN did [V]; null = off. */
  readonly altHypoperfusion: Threshold | null;
  /** SCAI C hemodynamics from a PA catheter [S]; null = off (Jentzer did not use them). */
  readonly pacCriteria: PacCriteria | null;
  /** SCAI C "hypotension and drugs/device needed to hold BP": any vasoactive running or MCS in place counts as a
   * C finding. [D] operationalization of [S] text. */
  readonly supportForBloodPressureIsC: boolean;

  // ---- deterioration ----
  /** Max lactate in the trend window > the first lactate of the window [S]. */
  readonly lactateRise: boolean;
  /** 2022: lactate rising **and persistently ≥ 2**: every lactate from the first on meets this. null = 2019/Jentzer. [S] */
  readonly lactateRisePersistent: Threshold | null;
  /** Number of vasoactives in the trend window > number in its first hour [S]. */
  readonly vasoactiveCountRise: boolean;
  /** Max VIS in the trend window > max VIS in its first hour [S]. */
  readonly visRise: boolean;
  /** Max NEE in the trend window > max NEE in its first hour [S]. */
  readonly neeRise: boolean;
  /** SCAI D "MCS added" after initial therapy (vasoactive or earlier device) has run this long. */
  readonly mcsAddedIsDeterioration: boolean;
  /** Minimum time on initial therapy before "MCS added" counts as deterioration, 30 min [R] → parameter [D]. */
  readonly minTimeOnInitialTherapyMin: number;

  // ---- refractory shock ----
  /** Mean SBP in the status window < 80 mmHg while on vasoactives [S]. */
  readonly refractoryMeanSbp: Threshold;
  /** Mean MAP in the status window < 50 mmHg while on vasoactives [S]. */
  readonly refractoryMeanMap: Threshold;
  /** More than 2 vasoactives in the status window [S]. */
  readonly refractoryVasoactiveCount: Threshold;
  /** More than 1 vasoactive in the status window plus a device of these kinds within the trend window [S]. */
  readonly refractoryVasoactiveCountWithDevice: Threshold;
  /** Jentzer: IABP (the only device of the Mayo 2007–2015 cohort) [S]; a site may add 'microaxial', 'va_ecmo'. */
  readonly refractoryDeviceKinds: readonly string[];
  /** Jentzer: lactate > 10 mmol/L [S]. */
  readonly lactateRefractory: Threshold;
  /** SCAI E lactate: ≥ 5 (2019) / typically ≥ 8 (2022) [S]; null = off. */
  readonly lactateExtremis: Threshold | null;
  /** SCAI E pH ≤ 7.2 [S]; null = off. */
  readonly phExtremis: Threshold | null;
  /** SCAI E "ongoing CPR and/or ECMO": VA-ECMO in place counts as refractory. [S] */
  readonly ecmoIsExtremis: boolean;
  /** SCAI E "ongoing CPR": an arrest inside the status window (or CPR until t_rosc_min) counts as refractory. [D] */
  readonly arrestIsExtremis: boolean;

  // ---- assignment and missing data ----
  /** Jentzer: D and E require hypoperfusion [S — keep as a flag, reference 1.4]. */
  readonly requireHypoperfusionForDE: boolean;
  /** Reference 1.6 rule 3: unknown predicates count as not met only when a study sets this explicitly. */
  readonly missingAsNormal: boolean;
  readonly visVersion: VisVersion;
  /** Cardiac-arrest modifier 2022: coma after arrest = GCS < 9 [V]. */
  readonly comaGcs: Threshold;
}

/** Jentzer et al., J Am Coll Cardiol 2019 (Mayo CICU), as transcribed in reference 1.4. */
export const JENTZER_2019: ScaiRuleSet = {
  id: 'jentzer2019',
  version: '2019',
  description: 'Jentzer et al., J Am Coll Cardiol 2019;74:2117 — four building blocks from EHR data (reference 1.4)',
  statusWindowMin: 60,
  trendWindowMin: 24 * 60,
  baselineWindowMin: 60,
  labLookbackMin: 6 * 60,
  pacLookbackMin: 6 * 60,
  urineWindowMin: 24 * 60,
  baselineCreatinineLookbackMin: 7 * 24 * 60,
  sbpHypotension: thr('<', 90, 'mm[Hg]'),
  mapHypotension: thr('<', 60, 'mm[Hg]'),
  tachycardia: thr('>', 100, '/min'),
  sbpFallFromBaseline: null,
  lactateHypoperfusion: thr('>', 2, 'mmol/L'),
  urineOutputLow: thr('<', 30, 'mL/h'),
  creatinineRise: thr('>=', 0.3, 'mg/dL'),
  creatinineRatioToBaseline: null,
  altHypoperfusion: null,
  pacCriteria: null,
  supportForBloodPressureIsC: false,
  lactateRise: true,
  lactateRisePersistent: null,
  vasoactiveCountRise: true,
  visRise: true,
  neeRise: true,
  mcsAddedIsDeterioration: false,
  minTimeOnInitialTherapyMin: 30,
  refractoryMeanSbp: thr('<', 80, 'mm[Hg]'),
  refractoryMeanMap: thr('<', 50, 'mm[Hg]'),
  refractoryVasoactiveCount: thr('>', 2, '1'),
  refractoryVasoactiveCountWithDevice: thr('>', 1, '1'),
  refractoryDeviceKinds: ['iabp'],
  lactateRefractory: thr('>', 10, 'mmol/L'),
  lactateExtremis: null,
  phExtremis: null,
  ecmoIsExtremis: false,
  arrestIsExtremis: false,
  requireHypoperfusionForDE: true,
  missingAsNormal: false,
  visVersion: 'gaies2010+phenylephrine',
  comaGcs: thr('<', 9, '{score}'),
};

/** SCAI PAC criteria for stage C (reference 1.3, hemodynamics column) [S]. */
export const SCAI_PAC_CRITERIA: PacCriteria = {
  cardiacIndex: thr('<', 2.2, 'L/min/m2'),
  pcwp: thr('>', 15, 'mm[Hg]'),
  rapPcwpRatio: thr('>=', 0.8, '1'),
  papi: thr('<', 1.85, '1'),
  cpo: thr('<=', 0.6, 'W'),
};

/** SCAI 2019 (Baran et al., Catheter Cardiovasc Interv 2019) descriptors on Jentzer's building blocks. */
export const SCAI_2019: ScaiRuleSet = {
  ...JENTZER_2019,
  id: 'scai2019',
  version: '2019',
  description:
    'SCAI 2019 (Baran et al., Catheter Cardiovasc Interv 2019;94:29) descriptors on Jentzer 2019 building blocks (reference 1.3–1.4)',
  tachycardia: thr('>=', 100, '/min'),
  lactateHypoperfusion: thr('>=', 2, 'mmol/L'),
  creatinineRatioToBaseline: thr('>=', 2, '1'),
  altHypoperfusion: thr('>', 200, 'U/L'),
  pacCriteria: SCAI_PAC_CRITERIA,
  supportForBloodPressureIsC: true,
  mcsAddedIsDeterioration: true,
  lactateExtremis: thr('>=', 5, 'mmol/L'),
  phExtremis: thr('<=', 7.2, '[pH]'),
  ecmoIsExtremis: true,
  arrestIsExtremis: true,
};

/** SCAI 2022 (Naidu et al., J Am Coll Cardiol 2022) descriptors on Jentzer's building blocks. */
export const SCAI_2022: ScaiRuleSet = {
  ...SCAI_2019,
  id: 'scai2022',
  version: '2022',
  description:
    'SCAI 2022 (Naidu et al., J Am Coll Cardiol 2022;79:933) descriptors on Jentzer 2019 building blocks (reference 1.3–1.4)',
  lactateRisePersistent: thr('>=', 2, 'mmol/L'),
  lactateExtremis: thr('>=', 8, 'mmol/L'),
};

export const SCAI_RULE_SETS: Readonly<Record<ScaiRuleSetId, ScaiRuleSet>> = {
  jentzer2019: JENTZER_2019,
  scai2019: SCAI_2019,
  scai2022: SCAI_2022,
};

/** A preset with site overrides; the id gets a '+site' suffix when anything is overridden. */
export function scaiRuleSet(id: ScaiRuleSetId, overrides: Partial<ScaiRuleSet> = {}): ScaiRuleSet {
  const base = SCAI_RULE_SETS[id];
  const changed = Object.keys(overrides).some((k) => k !== 'id');
  return { ...base, ...overrides, id: overrides.id ?? (changed ? `${base.id}+site` : base.id) };
}
