// A hand-built StudyResults for the report tests (src/report). The numbers are plausible, not computed: they exist to
// exercise every section. Two outcomes (death at 1 year, primary; BARC 3-5 bleeding with death competing), one
// stratifier with three levels, every kind of sensitivity row, a completeness audit with every status, and
// hostile strings (script tags, attribute breakouts) in the title, labels, covariate names, levels and warnings, to
// prove the report escapes them.
import type { StudySpec } from '../../src/study/study-spec.js';
import type { CurvePoints, EffectEstimate, StudyResults, TableOneRow } from '../../src/study/study-results.js';

/** Strings a report must print as text, never as markup. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attribute: '"onerror=alert(1)',
  image: '<img src=x onerror=alert(1)>',
} as const;

const TARGET = 'Microaxial pump';
const COMPARATOR = `IABP ${HOSTILE.attribute}`;
const HOSTILE_COVARIATE = `lactate_t0 ${HOSTILE.attribute}`;
const HOSTILE_LEVEL = `E ${HOSTILE.script}`;

/** A step curve on a 5-day grid to `horizon_d`: survival exp(-rate t) (or incidence 1 - that), band +-1.96 SE. */
function curve(rate_per_d: number, horizon_d: number, n: number, kind: 'survival' | 'incidence', plateau = 0): CurvePoints {
  const time: number[] = [];
  const estimate: number[] = [];
  const lower: Array<number | null> = [];
  const upper: Array<number | null> = [];
  for (let t = 0; t <= horizon_d; t += 5) {
    const s = plateau + (1 - plateau) * Math.exp(-rate_per_d * t);
    const y = kind === 'survival' ? s : 1 - s;
    const se = Math.sqrt((y * (1 - y)) / n);
    time.push(t);
    estimate.push(y);
    // The first point has no interval (as survfit prints NA where the variance is 0).
    lower.push(t === 0 ? null : Math.max(0, y - 1.96 * se));
    upper.push(t === 0 ? null : Math.min(1, y + 1.96 * se));
  }
  return { time, estimate, lower, upper };
}

function effect(measure: EffectEstimate['measure'], estimate: number, lower: number, upper: number, p: number, extra: Partial<EffectEstimate> = {}): EffectEstimate {
  const ratio = measure !== 'RD';
  return {
    measure,
    estimate,
    lower,
    upper,
    p,
    se: ratio ? (Math.log(upper) - Math.log(lower)) / (2 * 1.96) : (upper - lower) / (2 * 1.96),
    seType: ratio ? 'robust' : 'delta',
    n: { target: 412, comparator: 412 },
    events: { target: 190, comparator: 171 },
    eValue: ratio ? { point: 1.48, ci: 1 } : null,
    ...extra,
  };
}

function numericRow(variable: string, t: string, c: string, smd: number, missingT = 0, missingC = 0): TableOneRow {
  return { variable, level: null, kind: 'numeric', summary: 'mean-sd', target: { text: t, missing: missingT }, comparator: { text: c, missing: missingC }, smd };
}

function levelRow(variable: string, level: string, t: string, c: string, smd: number): TableOneRow {
  return { variable, level, kind: 'level', summary: 'n-pct', target: { text: t, missing: 0 }, comparator: { text: c, missing: 0 }, smd };
}

const spec: StudySpec = {
  title: `Microaxial pump vs IABP in AMI cardiogenic shock ${HOSTILE.script}`,
  description: `Synthetic registry; fixture for the report tests ${HOSTILE.image}`,
  source: { csv: 'analysis-table.csv' },
  timeZero: { definition: 'Insertion of the first MCS device', column: 'time_zero_source' },
  treatment: { column: 'device_group_t0', target: 'microaxial', comparator: 'iabp', targetLabel: TARGET, comparatorLabel: COMPARATOR },
  inclusion: [
    { label: 'SCAI stage C-E at time zero', column: 'scai_stage_t0', op: 'in', value: ['C', 'D', 'E'] },
    { label: 'Acute MI phenotype', column: 'phenotype', op: 'eq', value: 'ami' },
  ],
  exclusion: [{ label: `Age under 18 ${HOSTILE.script}`, column: 'age_y', op: 'lt', value: 18 }],
  followUp: { death: 'death', deathTime: 'death_d', lastKnownAlive: 'last_known_alive_d' },
  outcomes: [
    { name: 'death_1y', label: 'Death at 1 year', type: 'time_to_event', primary: true, negativeControl: false, event: 'death', eventTime: 'death_d', horizon_d: 365 },
    {
      name: 'bleeding_barc',
      label: `BARC 3-5 bleeding ${HOSTILE.attribute}`,
      type: 'time_to_event',
      primary: false,
      negativeControl: false,
      bleedingDefinition: 'BARC 3-5',
      event: 'barc_major',
      eventTime: 'barc_major_d',
      horizon_d: 30,
      competing: { label: 'Death', event: 'death', eventTime: 'death_d' },
    },
  ],
  covariates: {
    published: ['age_y', 'sex', 'diabetes', 'prior_mi'],
    critique: ['age_y', 'sex', 'scai_stage_t0', 'cardiac_arrest_coma', HOSTILE_COVARIATE, 'sofa_t0', 'anticoag_protocol'],
  },
  missingCovariates: 'indicator',
  adjustment: { method: 'match', estimand: 'att', ratio: 1, caliperSd: 0.2, subclasses: 5, trim: 0 },
  strata: [{ column: 'scai_stage_t0', label: 'SCAI stage at time zero' }],
  sensitivity: { eValues: true, bleedingDefinitions: true, calipers: [0.1], trims: [0.05], methods: ['overlap'] },
  seed: 1,
};

const overlap = Array.from({ length: 20 }, (_, i) => {
  const mid = i * 0.05 + 0.025;
  // Target skewed to high scores, comparator to low ones; matching evens them out.
  const target = Math.round(900 * mid ** 2 * (1 - mid));
  const comparator = Math.round(900 * mid * (1 - mid) ** 2);
  const after = Math.round(Math.min(target, comparator) * 1.4);
  return { binStart: i * 0.05, binEnd: (i + 1) * 0.05, target, comparator, targetAfter: after, comparatorAfter: after };
});

const balanceRows = [
  { covariate: 'age_y', smdBefore: 0.08, smdAfter: 0.02 },
  { covariate: 'sex: female', smdBefore: -0.05, smdAfter: 0.01 },
  { covariate: 'scai_stage_t0: E', smdBefore: 0.41, smdAfter: 0.06 },
  { covariate: 'cardiac_arrest_coma', smdBefore: 0.22, smdAfter: -0.04 },
  { covariate: HOSTILE_COVARIATE, smdBefore: 0.35, smdAfter: 0.09 },
  { covariate: 'sofa_t0', smdBefore: 0.3, smdAfter: 0.05 },
  { covariate: `anticoag_protocol: ${HOSTILE.image}`, smdBefore: -0.12, smdAfter: -0.03 },
];

const death = {
  ratio: effect('HR', 1.12, 0.93, 1.35, 0.23, { eValue: { point: 1.49, ci: 1 } }),
  rd: effect('RD', 0.046, -0.02, 0.112, 0.18),
};
const bleeding = {
  ratio: effect('HR', 1.85, 1.31, 2.61, 0.0004, { events: { target: 88, comparator: 49 }, eValue: { point: 3.1, ci: 1.95 } }),
  rd: effect('RD', 0.095, 0.05, 0.14, 0.00003, { events: { target: 88, comparator: 49 } }),
  shr: effect('SHR', 1.79, 1.27, 2.52, 0.0009, { events: { target: 88, comparator: 49 }, eValue: null }),
};

/** A fresh copy of the fixture (tests may not mutate it, but a copy keeps them independent). */
export function studyResultsFixture(): StudyResults {
  return {
    format: 'stratum-study-results/1',
    stratumVersion: '0.1.0',
    spec,
    specSha256: '3f1c0e5a9b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e',
    dataSha256: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1',
    labels: { target: TARGET, comparator: COMPARATOR },
    attrition: [
      { label: 'Registry episodes', kind: 'start', excluded: 0, remaining: 5000 },
      { label: 'Inclusion: SCAI stage C-E at time zero', kind: 'inclusion', excluded: 1200, remaining: 3800 },
      { label: 'Inclusion: Acute MI phenotype', kind: 'inclusion', excluded: 1400, remaining: 2400 },
      { label: `Exclusion: Age under 18 ${HOSTILE.script}`, kind: 'exclusion', excluded: 3, remaining: 2397 },
      { label: 'Not microaxial pump or IABP', kind: 'treatment', excluded: 1100, remaining: 1297 },
      { label: 'Missing covariates (complete case)', kind: 'missing-data', excluded: 0, remaining: 1297 },
    ],
    tableOne: {
      before: [
        { variable: 'Patients', level: null, kind: 'count', summary: 'n', target: { text: '541', missing: 0 }, comparator: { text: '756', missing: 0 }, smd: null },
        numericRow('age_y', '66.2 (11.8)', '67.1 (11.9)', -0.08),
        levelRow('scai_stage_t0', 'C', '140 (25.9%)', '331 (43.8%)', -0.38),
        levelRow('scai_stage_t0', 'D', '250 (46.2%)', '305 (40.3%)', 0.12),
        levelRow('scai_stage_t0', HOSTILE_LEVEL, '151 (27.9%)', '120 (15.9%)', 0.41),
        numericRow(HOSTILE_COVARIATE, '5.1 (3.2)', '4.0 (2.9)', 0.35, 22, 61),
        numericRow('sofa_t0', '10.2 (3.4)', '9.1 (3.6)', 0.3, 40, 88),
      ],
      after: [
        { variable: 'Patients', level: null, kind: 'count', summary: 'n', target: { text: '412', missing: 0 }, comparator: { text: '412', missing: 0 }, smd: null },
        numericRow('age_y', '66.5 (11.6)', '66.8 (11.7)', -0.02),
        levelRow('scai_stage_t0', 'C', '121 (29.4%)', '126 (30.6%)', -0.03),
        levelRow('scai_stage_t0', 'D', '190 (46.1%)', '183 (44.4%)', 0.03),
        levelRow('scai_stage_t0', HOSTILE_LEVEL, '101 (24.5%)', '103 (25.0%)', -0.01),
        numericRow(HOSTILE_COVARIATE, '4.7 (3.0)', '4.4 (3.0)', 0.09, 15, 30),
        numericRow('sofa_t0', '9.8 (3.4)', '9.6 (3.5)', 0.05, 30, 41),
      ],
      nBefore: { target: 541, comparator: 756 },
      nAfter: { target: 412, comparator: 412 },
    },
    propensity: [
      {
        set: 'critique',
        terms: [
          { term: '(Intercept)', coef: -0.41, se: 0.31 },
          { term: 'scai_stage_t0=E', coef: 0.92, se: 0.17 },
          { term: HOSTILE_COVARIATE, coef: 0.11, se: 0.03 },
        ],
        cStatistic: 0.74,
        equipoiseShare: 0.58,
        overlap,
        trimmed: 0,
      },
      {
        set: 'published',
        terms: [
          { term: '(Intercept)', coef: -0.2, se: 0.28 },
          { term: 'age_y', coef: -0.01, se: 0.004 },
        ],
        cStatistic: 0.58,
        equipoiseShare: 0.81,
        overlap: overlap.map((b) => ({ ...b, targetAfter: b.target, comparatorAfter: Math.round(b.comparator * 0.8) })),
        trimmed: 4,
      },
    ],
    balance: [
      { set: 'critique', rows: balanceRows, maxAbsSmdAfter: 0.09, pass: true, effectiveSampleSize: { target: 412, comparator: 412 }, matched: { target: 412, comparator: 412, unmatchedTarget: 129, caliper: 0.2 } },
      {
        set: 'published',
        rows: balanceRows.slice(0, 2).concat([{ covariate: 'diabetes', smdBefore: 0.05, smdAfter: 0.14 }]),
        maxAbsSmdAfter: 0.14,
        pass: false,
        effectiveSampleSize: { target: 530.4, comparator: 498.7 },
        matched: null,
      },
    ],
    outcomes: [
      {
        name: 'death_1y',
        label: 'Death at 1 year',
        type: 'time_to_event',
        primary: true,
        negativeControl: false,
        bleedingDefinition: null,
        horizon_d: 365,
        set: 'critique',
        risk: { target: { estimate: 0.461, lower: 0.412, upper: 0.51 }, comparator: { estimate: 0.415, lower: 0.367, upper: 0.463 } },
        riskDifference: death.rd,
        ratio: death.ratio,
        km: { target: curve(0.0025, 365, 412, 'survival', 0.4), comparator: curve(0.0022, 365, 412, 'survival', 0.4) },
        riskTable: { time: [0, 30, 90, 180, 365], target: [412, 290, 251, 236, 222], comparator: [412, 305, 268, 252, 241] },
        competing: null,
      },
      {
        name: 'bleeding_barc',
        label: `BARC 3-5 bleeding ${HOSTILE.attribute}`,
        type: 'time_to_event',
        primary: false,
        negativeControl: false,
        bleedingDefinition: 'BARC 3-5',
        horizon_d: 30,
        set: 'critique',
        risk: { target: { estimate: 0.214, lower: 0.175, upper: 0.253 }, comparator: { estimate: 0.119, lower: 0.088, upper: 0.15 } },
        riskDifference: bleeding.rd,
        ratio: bleeding.ratio,
        km: null,
        riskTable: { time: [0, 7, 14, 21, 30], target: [412, 330, 301, 289, 280], comparator: [412, 350, 329, 318, 309] },
        competing: {
          label: `Death ${HOSTILE.script}`,
          cif: { target: curve(0.012, 30, 412, 'incidence', 0.75), comparator: curve(0.006, 30, 412, 'incidence', 0.85) },
          subdistributionHr: bleeding.shr,
        },
      },
    ],
    strata: [
      {
        outcome: 'death_1y',
        column: 'scai_stage_t0',
        label: 'SCAI stage at time zero',
        levels: [
          { level: 'C', n: { target: 121, comparator: 126 }, events: { target: 38, comparator: 41 }, effect: effect('HR', 0.92, 0.59, 1.43, 0.71), reason: null },
          { level: 'D', n: { target: 190, comparator: 183 }, events: { target: 88, comparator: 80 }, effect: effect('HR', 1.1, 0.81, 1.49, 0.54), reason: null },
          { level: HOSTILE_LEVEL, n: { target: 101, comparator: 103 }, events: { target: 64, comparator: 50 }, effect: effect('HR', 1.41, 0.97, 2.05, 0.071), reason: null },
        ],
        interaction: { chiSquare: 2.9, df: 2, p: 0.23 },
      },
      {
        outcome: 'bleeding_barc',
        column: 'scai_stage_t0',
        label: 'SCAI stage at time zero',
        levels: [
          { level: 'C', n: { target: 121, comparator: 126 }, events: { target: 18, comparator: 11 }, effect: effect('HR', 1.7, 0.8, 3.6, 0.17), reason: null },
          { level: 'D', n: { target: 190, comparator: 183 }, events: { target: 45, comparator: 25 }, effect: effect('HR', 1.81, 1.11, 2.95, 0.017), reason: null },
          { level: HOSTILE_LEVEL, n: { target: 101, comparator: 103 }, events: { target: 25, comparator: 3 }, effect: null, reason: `fewer than 5 events in ${COMPARATOR}` },
        ],
        interaction: null,
      },
    ],
    comparison: [
      { outcome: 'death_1y', set: 'crude', covariates: [], ratio: effect('HR', 1.52, 1.3, 1.78, 0.00001), riskDifference: effect('RD', 0.12, 0.07, 0.17, 0.00001), balancePass: null },
      { outcome: 'death_1y', set: 'published', covariates: spec.covariates.published, ratio: effect('HR', 1.44, 1.21, 1.71, 0.00004), riskDifference: effect('RD', 0.1, 0.05, 0.15, 0.0001), balancePass: false },
      { outcome: 'death_1y', set: 'critique', covariates: spec.covariates.critique, ratio: death.ratio, riskDifference: death.rd, balancePass: true },
      { outcome: 'bleeding_barc', set: 'crude', covariates: [], ratio: effect('HR', 2.4, 1.8, 3.2, 0.000001), riskDifference: effect('RD', 0.13, 0.09, 0.17, 0.000001), balancePass: null },
      { outcome: 'bleeding_barc', set: 'published', covariates: spec.covariates.published, ratio: effect('HR', 2.2, 1.6, 3.0, 0.000002), riskDifference: effect('RD', 0.12, 0.08, 0.16, 0.00001), balancePass: false },
      { outcome: 'bleeding_barc', set: 'critique', covariates: spec.covariates.critique, ratio: bleeding.ratio, riskDifference: bleeding.rd, balancePass: true },
    ],
    sensitivity: [
      { kind: 'bleeding-definition', variant: 'BARC 3-5', outcome: 'bleeding_barc', ratio: bleeding.ratio, riskDifference: bleeding.rd, note: null },
      { kind: 'bleeding-definition', variant: 'TIMI major', outcome: 'bleeding_barc', ratio: effect('HR', 1.62, 0.98, 2.68, 0.06), riskDifference: effect('RD', 0.04, 0.0, 0.08, 0.05), note: null },
      { kind: 'bleeding-definition', variant: 'GUSTO moderate/severe', outcome: 'bleeding_barc', ratio: effect('HR', 1.9, 1.35, 2.67, 0.0002), riskDifference: effect('RD', 0.1, 0.05, 0.15, 0.0001), note: null },
      { kind: 'bleeding-definition', variant: 'ISTH major', outcome: 'bleeding_barc', ratio: effect('HR', 1.77, 1.24, 2.53, 0.0017), riskDifference: effect('RD', 0.09, 0.04, 0.14, 0.0004), note: null },
      { kind: 'bleeding-definition', variant: 'VARC-2 major', outcome: 'bleeding_barc', ratio: null, riskDifference: null, note: `no events in ${COMPARATOR}` },
      { kind: 'caliper', variant: 'caliper 0.1 SD', outcome: 'death_1y', ratio: effect('HR', 1.09, 0.89, 1.34, 0.4), riskDifference: effect('RD', 0.03, -0.04, 0.1, 0.4), note: null },
      { kind: 'trim', variant: 'trim 0.05', outcome: 'death_1y', ratio: effect('HR', 1.1, 0.9, 1.34, 0.35), riskDifference: effect('RD', 0.035, -0.03, 0.1, 0.3), note: null },
      { kind: 'method', variant: 'overlap weights', outcome: 'death_1y', ratio: effect('HR', 1.08, 0.91, 1.28, 0.38), riskDifference: effect('RD', 0.03, -0.02, 0.08, 0.3), note: `ESS ${HOSTILE.image}` },
      { kind: 'negative-control', variant: 'Hospital-acquired pneumonia', outcome: 'pneumonia', ratio: effect('HR', 1.02, 0.8, 1.3, 0.87), riskDifference: effect('RD', 0.004, -0.03, 0.04, 0.8), note: null },
    ],
    completeness: [
      { id: 'scai-stage-t0', source: 'critique', element: 'SCAI shock stage at time zero', completeness: 0.97, status: 'complete', detail: 'recorded for 1,258 of 1,297 patients', inClaimsData: false },
      { id: 'selection-reasons', source: 'critique', element: 'Why the device was chosen', completeness: 0.41, status: 'sparse', detail: `recorded for 532 patients ${HOSTILE.script}`, inClaimsData: false },
      { id: 'target-band', source: 'critique', element: 'Anticoagulation target', completeness: 0.0, status: 'missing', detail: 'no anticoagulation target recorded', inClaimsData: false },
      { id: 'site', source: 'record', element: 'Site of care', completeness: 1, status: 'complete', detail: 'all patients', inClaimsData: true },
      { id: 'strobe-12d', source: 'strobe', element: 'Matched design: how matching was addressed', completeness: null, status: 'not-applicable', detail: 'cluster-robust SE on matched pairs', inClaimsData: true },
    ],
    evidence: {
      strength: 'low',
      downgrades: [`selection reasons sparse (41%) ${HOSTILE.attribute}`, 'anticoagulation target missing for all patients'],
      unsupported: [
        'device-level bleeding difference not interpretable: anticoagulation target unknown for 100% of patients',
        `a causal effect of the device on death ${HOSTILE.script}`,
      ],
    },
    warnings: [`balance of the published set failed: |SMD| 0.14 for diabetes ${HOSTILE.script}`, `note ${HOSTILE.image}`],
  };
}

/**
 * What would run in a browser that the report did not put there: every `<` must open a well-formed tag (or close
 * one, or be the doctype or a comment), no tag may be a script, and no attribute may be an event handler (on...).
 * Escaped text (`&lt;img onerror=...&gt;`, `&quot;onerror=`) passes; a raw `<script>` or an attribute breakout
 * (`title="x"onerror=...`) does not. Returns the problems found, empty when none.
 */
export function activeMarkup(markup: string): string[] {
  const problems: string[] = [];
  const attribute = /\s*([^\s=>/"']+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?/y;
  let i = markup.indexOf('<');
  while (i !== -1) {
    const rest = markup.slice(i, i + 20);
    if (rest.startsWith('<!--')) {
      const end = markup.indexOf('-->', i);
      i = markup.indexOf('<', end === -1 ? markup.length : end);
      continue;
    }
    const open = /^<(\/?)([a-zA-Z][\w:-]*)|^<!DOCTYPE html>/y;
    const m = open.exec(markup.slice(i, i + 200));
    if (m === null) {
      problems.push(`'<' that opens no tag at ${i}: ${markup.slice(i, i + 40)}`);
      i = markup.indexOf('<', i + 1);
      continue;
    }
    if (m[2]?.toLowerCase() === 'script') problems.push(`script tag at ${i}`);
    let pos = i + m[0].length;
    if (m[2] === undefined) {
      i = markup.indexOf('<', pos);
      continue;
    }
    if (m[1] === '') {
      for (;;) {
        attribute.lastIndex = pos;
        const a = attribute.exec(markup);
        if (a === null || a[0].length === 0) break;
        if (/^on/i.test(a[1])) problems.push(`event handler attribute '${a[1]}' at ${pos}: ${markup.slice(i, pos + 40)}`);
        pos = attribute.lastIndex;
      }
    }
    const close = /\s*\/?>/y;
    close.lastIndex = pos;
    if (close.exec(markup) === null) problems.push(`malformed tag at ${i}: ${markup.slice(i, pos + 40)}`);
    i = markup.indexOf('<', pos);
  }
  return problems;
}
