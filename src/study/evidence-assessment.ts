// Strength of evidence of the study's comparison, GRADE-like (Guyatt et al., BMJ 2008;336:924): an adjusted
// observational comparison starts at 'moderate' here (GRADE starts observational evidence at 'low'; this
// pipeline gives one step of credit for a documented design with diagnostics, then takes steps away for each
// problem the diagnostics show), and it lists the conclusions the data cannot carry at all, in the words of the
// critique of the device-vs-device claims studies (Vandenbriele et al., JAMA Intern Med 2023;183:277).
import type { BalanceDiagnostics, CompletenessItem, EvidenceAssessment, OutcomeResult, PropensityDiagnostics } from './study-results.js';

/** |SMD| at or above which a covariate is imbalanced (Austin 2009; the pipeline's balance verdict uses the same 0.1). */
export const SMD_IMBALANCE = 0.1;
/** Share of patients in empirical equipoise (preference score 0.3-0.7) below which the groups barely overlap (Walker et al. 2013). */
export const EQUIPOISE_MIN_SHARE = 0.5;
/** Effective sample size, as a share of a group's cohort size, below which weights concentrate on few patients. */
export const ESS_MIN_SHARE = 0.5;

const LEVELS = ['moderate', 'low', 'very low'] as const;

export interface EvidenceInput {
  readonly completeness: readonly CompletenessItem[];
  /** Balance of the primary (critique) adjustment; null when no adjusted sample was built. */
  readonly balance: BalanceDiagnostics | null;
  readonly propensity: PropensityDiagnostics | null;
  readonly cohortSize: { readonly target: number; readonly comparator: number };
  readonly outcomes: readonly OutcomeResult[];
}

const percent = (share: number): string => `${Math.round(100 * share)}%`;
const round2 = (x: number): string => x.toFixed(2);

/** Share of patients without the element: 1 - completeness (an absent column counts as 0 recorded). */
function unknownShare(item: CompletenessItem): number {
  return 1 - (item.completeness ?? 0);
}

const weak = (item: CompletenessItem | undefined): item is CompletenessItem => item !== undefined && (item.status === 'sparse' || item.status === 'missing');

function worstBalanceRow(balance: BalanceDiagnostics): { covariate: string; smd: number } | null {
  let worst: { covariate: string; smd: number } | null = null;
  for (const row of balance.rows) {
    if (!Number.isFinite(row.smdAfter)) continue;
    if (worst === null || Math.abs(row.smdAfter) > Math.abs(worst.smd)) worst = { covariate: row.covariate, smd: row.smdAfter };
  }
  return worst;
}

/** Elements that confound or define every device comparison (severity, indication, organ function, site). */
const ELEMENTS_FOR_ANY_OUTCOME = ['scai-stage-t0', 'arrest-coma', 'phenotype', 'organ-function', 'selection-reasons', 'site'];
/** Elements without which a bleeding comparison cannot be read (the critique's point 3). */
const ELEMENTS_FOR_BLEEDING = ['anticoagulant', 'monitoring-test', 'target-band', 'bleeding-definition'];

/**
 * The critique elements whose absence lowers the strength of evidence for the primary outcome. Like GRADE, the
 * strength is judged per outcome: missing hemolysis surveillance does not weaken a mortality comparison, it makes a
 * hemolysis comparison uninterpretable (which `unsupported` says).
 */
function relevantElements(primary: OutcomeResult | null): Set<string> {
  const ids = new Set(ELEMENTS_FOR_ANY_OUTCOME);
  if (primary === null || primary.bleedingDefinition !== null) for (const id of ELEMENTS_FOR_BLEEDING) ids.add(id);
  if (primary === null || /hemoly/i.test(`${primary.name} ${primary.label}`)) ids.add('hemolysis');
  return ids;
}

/**
 * GRADE-like (for the primary outcome): start 'moderate'; each of these lowers one step (floor 'very low'), with a reason naming the number:
 * primary balance failed (max |SMD| >= 0.1, the worst covariate named); equipoise share < 0.5; any critique
 * element relevant to the primary outcome 'missing' (one downgrade for all of them together); effective sample size of a group < 50% of its cohort
 * size. An analysis without an adjusted sample (balance null) is downgraded once for that instead of the balance
 * and ESS checks. `unsupported` lists the conclusions the data cannot support.
 */
export function assessEvidence(input: EvidenceInput): EvidenceAssessment {
  const downgrades: string[] = [];
  const { balance, propensity, completeness, cohortSize } = input;

  if (balance === null) {
    downgrades.push('no adjusted comparison: covariate balance could not be assessed');
  } else {
    const worst = worstBalanceRow(balance);
    const maxSmd = Math.max(balance.maxAbsSmdAfter, worst ? Math.abs(worst.smd) : 0);
    if (maxSmd >= SMD_IMBALANCE || !balance.pass) {
      downgrades.push(`balance failed: |SMD| ${round2(maxSmd)}${worst ? ` for ${worst.covariate}` : ''} after adjustment (threshold ${SMD_IMBALANCE})`);
    }
  }

  if (propensity !== null && propensity.equipoiseShare < EQUIPOISE_MIN_SHARE) {
    downgrades.push(`limited overlap: ${percent(propensity.equipoiseShare)} of patients in empirical equipoise (preference score 0.3-0.7; threshold ${percent(EQUIPOISE_MIN_SHARE)})`);
  }

  const relevant = relevantElements(input.outcomes.find((o) => o.primary) ?? null);
  const missing = completeness.filter((i) => i.source === 'critique' && i.status === 'missing' && relevant.has(i.id));
  if (missing.length > 0) {
    downgrades.push(`critique elements missing: ${missing.map((i) => `${i.element} (${percent(i.completeness ?? 0)} recorded)`).join('; ')}`);
  }

  if (balance !== null) {
    const low: string[] = [];
    const groups = [['target', balance.effectiveSampleSize.target, cohortSize.target], ['comparator', balance.effectiveSampleSize.comparator, cohortSize.comparator]] as const;
    for (const [group, ess, size] of groups) {
      if (size > 0 && ess < ESS_MIN_SHARE * size) low.push(`${group} ${ess.toFixed(1)} of ${size} (${((100 * ess) / size).toFixed(1)}%)`);
    }
    if (low.length > 0) downgrades.push(`effective sample size below ${percent(ESS_MIN_SHARE)} of the cohort: ${low.join(', ')}`);
  }

  const strength = LEVELS[Math.min(downgrades.length, LEVELS.length - 1)];
  return { strength, downgrades, unsupported: unsupportedConclusions(input) };
}

function ratioText(o: OutcomeResult): string {
  const r = o.ratio;
  return `${r.measure} ${round2(r.estimate)}, 95% CI ${round2(r.lower)}-${round2(r.upper)}`;
}

/** Conclusions the data cannot support, each with the number that rules it out. */
function unsupportedConclusions(input: EvidenceInput): string[] {
  const byId = new Map(input.completeness.map((i) => [i.id, i]));
  const out: string[] = [];

  const hasBleeding = input.outcomes.some((o) => o.bleedingDefinition !== null);
  if (hasBleeding) {
    // The critique: bleeding on a device cannot be judged without the anticoagulation it ran under.
    const target = byId.get('target-band');
    const test = byId.get('monitoring-test');
    const anticoagulation = [target, test].filter(weak).sort((a, b) => unknownShare(b) - unknownShare(a))[0];
    if (anticoagulation) {
      const what = anticoagulation.id === 'target-band' ? 'anticoagulation target' : 'anticoagulation monitoring test';
      out.push(`device-level bleeding difference not interpretable: ${what} unknown for ${percent(unknownShare(anticoagulation))} of patients`);
    }
    const definition = byId.get('bleeding-definition');
    if (weak(definition)) {
      out.push(`major-bleeding difference not interpretable: major bleeding not defined or not classifiable for ${percent(unknownShare(definition))} of patients`);
    }
  }

  const scai = byId.get('scai-stage-t0');
  if (weak(scai)) out.push(`device effect by shock severity not assessable: SCAI stage at time zero undetermined for ${percent(unknownShare(scai))} of patients`);

  const phenotype = byId.get('phenotype');
  if (weak(phenotype)) out.push(`device effect by shock phenotype not assessable: phenotype undetermined for ${percent(unknownShare(phenotype))} of patients`);

  const hemolysis = byId.get('hemolysis');
  if (weak(hemolysis)) out.push(`hemolysis comparison not interpretable: no hemolysis surveillance for ${percent(unknownShare(hemolysis))} of patients`);

  const reasons = byId.get('selection-reasons');
  if (weak(reasons)) out.push(`confounding by indication not assessable: device-selection reasons missing for ${percent(unknownShare(reasons))} of patients`);

  const organ = byId.get('organ-function');
  if (weak(organ)) out.push(`adjustment for organ function incomplete: SOFA or creatinine at time zero missing for ${percent(unknownShare(organ))} of patients`);

  for (const o of input.outcomes) {
    if (!o.negativeControl) continue;
    const r = o.ratio;
    // An effect = the 95% CI of the ratio excludes 1 (the null of a ratio).
    if (Number.isFinite(r.lower) && Number.isFinite(r.upper) && (r.lower > 1 || r.upper < 1)) {
      out.push(`negative-control outcome ${o.name} shows an effect (${ratioText(o)}): residual confounding likely`);
    }
  }
  return out;
}
