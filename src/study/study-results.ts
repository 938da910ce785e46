// Everything a study run produces, as plain numbers and strings: results.json is this object, and the
// HTML report (src/report) is drawn from it alone. No timestamps or machine facts, so the same spec and data
// give the same bytes.
import type { StudySpec } from './study-spec.js';

/** Which covariate set an analysis adjusted for: none (crude), the claims studies' set, or the critique's. */
export type AdjustmentSet = 'crude' | 'published' | 'critique';

export interface AttritionStep {
  /** e.g. "Registry episodes", "Inclusion: SCAI stage C-E at time zero", "Exclusion: ...", "Not microaxial pump or IABP". */
  readonly label: string;
  readonly kind: 'start' | 'inclusion' | 'exclusion' | 'treatment' | 'missing-data';
  /** Rows removed by this step (0 for the start row). */
  readonly excluded: number;
  /** Rows remaining after it. */
  readonly remaining: number;
}

export interface TableOneCell {
  /** Text as printed, e.g. "412 (38.2%)", "67.1 (11.9)", "2.4 [1.6, 3.9]". */
  readonly text: string;
  /** Missing values in this group (unweighted count). */
  readonly missing: number;
}

export interface TableOneRow {
  /** The covariate (column) and, for a category, the level; `level` null for numeric rows and the count row. */
  readonly variable: string;
  readonly level: string | null;
  readonly kind: 'count' | 'numeric' | 'level';
  /** 'mean-sd' or 'median-iqr' for numeric rows. */
  readonly summary: 'n' | 'mean-sd' | 'median-iqr' | 'n-pct';
  readonly target: TableOneCell;
  readonly comparator: TableOneCell;
  /** Standardized mean difference (target - comparator); null for the count row. */
  readonly smd: number | null;
}

export interface TableOne {
  /** 'before' = the cohort; 'after' = weighted or matched sample of the primary (critique) adjustment. */
  readonly before: readonly TableOneRow[];
  readonly after: readonly TableOneRow[];
  /** Patients (before) and effective sample sizes (after) per group. */
  readonly nBefore: { readonly target: number; readonly comparator: number };
  readonly nAfter: { readonly target: number; readonly comparator: number };
}

export interface PropensityDiagnostics {
  readonly set: AdjustmentSet;
  /** Model terms after coding (factor levels, missing indicators) with coefficients and model SE. */
  readonly terms: ReadonlyArray<{ readonly term: string; readonly coef: number; readonly se: number }>;
  /** Area under the ROC curve of the score for the treatment. */
  readonly cStatistic: number;
  /** Share of patients with a preference score in [0.3, 0.7] (Walker et al. 2013). */
  readonly equipoiseShare: number;
  /** Histogram of the score per group, 20 bins of width 0.05 on [0, 1]: counts before adjustment, weighted counts after. */
  readonly overlap: ReadonlyArray<{ readonly binStart: number; readonly binEnd: number; readonly target: number; readonly comparator: number; readonly targetAfter: number; readonly comparatorAfter: number }>;
  /** Patients removed by trimming. */
  readonly trimmed: number;
}

export interface BalanceDiagnostics {
  readonly set: AdjustmentSet;
  readonly rows: ReadonlyArray<{ readonly covariate: string; readonly smdBefore: number; readonly smdAfter: number }>;
  readonly maxAbsSmdAfter: number;
  /** Pass = every |SMD| after adjustment < 0.1. */
  readonly pass: boolean;
  readonly effectiveSampleSize: { readonly target: number; readonly comparator: number };
  /** Matching only: matched counts; null for weighting. */
  readonly matched: { readonly target: number; readonly comparator: number; readonly unmatchedTarget: number; readonly caliper: number | null } | null;
}

/** One comparative estimate with its 95% CI. */
export interface EffectEstimate {
  /** HR = Cox hazard ratio; SHR = Fine-Gray subdistribution HR; RD = risk difference (target - comparator, proportion); RR = risk ratio. */
  readonly measure: 'HR' | 'SHR' | 'RD' | 'RR';
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly p: number;
  /** Standard error on the model scale (log for ratios). */
  readonly se: number;
  /** 'robust' (sandwich, clustered on matched set where matched), 'model', 'greenwood', 'delta'. */
  readonly seType: string;
  /** Patients and events (unweighted) per group in the sample the estimate used. */
  readonly n: { readonly target: number; readonly comparator: number };
  readonly events: { readonly target: number; readonly comparator: number };
  /** E-value for the point estimate and the CI limit nearer the null; null for RD or when not computed. */
  readonly eValue: { readonly point: number; readonly ci: number } | null;
}

/** A step curve (KM survival or cumulative incidence) thinned to at most ~400 steps for plotting. */
export interface CurvePoints {
  readonly time: readonly number[];
  readonly estimate: readonly number[];
  readonly lower: ReadonlyArray<number | null>;
  readonly upper: ReadonlyArray<number | null>;
}

export interface OutcomeResult {
  readonly name: string;
  readonly label: string;
  readonly type: 'time_to_event' | 'binary';
  readonly primary: boolean;
  readonly negativeControl: boolean;
  readonly bleedingDefinition: string | null;
  readonly horizon_d: number | null;
  /** Adjusted (critique set, spec method) analysis. */
  readonly set: AdjustmentSet;
  /** Per group: risk by the horizon (1 - KM, or cumulative incidence with a competing event, or proportion) with 95% CI. */
  readonly risk: {
    readonly target: { readonly estimate: number; readonly lower: number; readonly upper: number };
    readonly comparator: { readonly estimate: number; readonly lower: number; readonly upper: number };
  };
  readonly riskDifference: EffectEstimate;
  /** Cox HR (time-to-event) or RR (binary). */
  readonly ratio: EffectEstimate;
  /** Time-to-event only: Kaplan-Meier survival per group (weighted where the adjustment weights). */
  readonly km: { readonly target: CurvePoints; readonly comparator: CurvePoints } | null;
  /** Numbers at risk at fixed times (unweighted counts in the adjusted sample). */
  readonly riskTable: { readonly time: readonly number[]; readonly target: readonly number[]; readonly comparator: readonly number[] } | null;
  /** With a competing event: Aalen-Johansen cumulative incidence per group and the Fine-Gray SHR. */
  readonly competing: {
    readonly label: string;
    readonly cif: { readonly target: CurvePoints; readonly comparator: CurvePoints };
    readonly subdistributionHr: EffectEstimate;
  } | null;
}

export interface StratumEffect {
  readonly level: string;
  readonly n: { readonly target: number; readonly comparator: number };
  readonly events: { readonly target: number; readonly comparator: number };
  /** null when the stratum has too few events in a group to estimate (reason says why). */
  readonly effect: EffectEstimate | null;
  readonly reason: string | null;
}

export interface StratumAnalysis {
  readonly outcome: string;
  readonly column: string;
  readonly label: string;
  readonly levels: readonly StratumEffect[];
  /** Wald test of the treatment-by-stratum interaction in the adjusted sample. */
  readonly interaction: { readonly chiSquare: number; readonly df: number; readonly p: number } | null;
}

export interface ComparisonRow {
  readonly outcome: string;
  readonly set: AdjustmentSet;
  /** Covariates adjusted for (empty for crude). */
  readonly covariates: readonly string[];
  readonly ratio: EffectEstimate;
  readonly riskDifference: EffectEstimate;
  readonly balancePass: boolean | null;
}

export interface SensitivityRow {
  /** e.g. 'bleeding-definition', 'caliper', 'trim', 'method', 'negative-control'. */
  readonly kind: 'bleeding-definition' | 'caliper' | 'trim' | 'method' | 'negative-control';
  /** e.g. "TIMI major", "caliper 0.1 SD", "trim 0.05", "overlap weights". */
  readonly variant: string;
  readonly outcome: string;
  readonly ratio: EffectEstimate | null;
  readonly riskDifference: EffectEstimate | null;
  readonly note: string | null;
}

export type CompletenessStatus = 'complete' | 'sparse' | 'missing' | 'not-applicable';

export interface CompletenessItem {
  /** Stable id, e.g. 'scai-stage-t0', 'selection-reasons', 'anticoagulant', 'monitoring-test', 'target-band', 'bleeding-definition', 'hemolysis', 'organ-function', 'site', 'strobe-...'. */
  readonly id: string;
  /** 'critique' = an element the critique names; 'strobe' / 'record' = a reporting-guideline item the pipeline can check. */
  readonly source: 'critique' | 'strobe' | 'record';
  readonly element: string;
  /** Share of cohort patients with the element recorded (0-1); null for items that are about the study, not patients. */
  readonly completeness: number | null;
  readonly status: CompletenessStatus;
  readonly detail: string;
  /** Whether a claims (administrative) dataset would usually hold it (for the demo's "what a claims study lacked"). */
  readonly inClaimsData: boolean;
}

export interface EvidenceAssessment {
  /** GRADE-like, starting at 'moderate' for an adjusted observational comparison and lowered per problem. */
  readonly strength: 'moderate' | 'low' | 'very low';
  /** Each reason that lowered it, e.g. "balance failed: |SMD| 0.14 for sofa_t0". */
  readonly downgrades: readonly string[];
  /** Conclusions the data cannot support, e.g. "device-level bleeding difference not interpretable: anticoagulation target unknown for 63% of patients". */
  readonly unsupported: readonly string[];
}

export interface StudyResults {
  readonly format: 'stratum-study-results/1';
  readonly stratumVersion: string;
  readonly spec: StudySpec;
  /** sha256 of the canonical spec JSON and of the analysis table as read. */
  readonly specSha256: string;
  readonly dataSha256: string;
  readonly labels: { readonly target: string; readonly comparator: string };
  readonly attrition: readonly AttritionStep[];
  readonly tableOne: TableOne;
  /** Primary (critique) first, then published. */
  readonly propensity: readonly PropensityDiagnostics[];
  readonly balance: readonly BalanceDiagnostics[];
  readonly outcomes: readonly OutcomeResult[];
  readonly strata: readonly StratumAnalysis[];
  /** Per outcome: crude, published, critique. */
  readonly comparison: readonly ComparisonRow[];
  readonly sensitivity: readonly SensitivityRow[];
  readonly completeness: readonly CompletenessItem[];
  readonly evidence: EvidenceAssessment;
  readonly warnings: readonly string[];
}
