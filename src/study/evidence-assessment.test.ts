import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessEvidence, type EvidenceInput } from './evidence-assessment.js';
import type { BalanceDiagnostics, CompletenessItem, CompletenessStatus, EffectEstimate, OutcomeResult, PropensityDiagnostics } from './study-results.js';

const CRITIQUE_IDS = ['scai-stage-t0', 'arrest-coma', 'phenotype', 'selection-reasons', 'anticoagulant', 'monitoring-test', 'target-band', 'bleeding-definition', 'hemolysis', 'organ-function', 'site'];

function statusOf(c: number): CompletenessStatus {
  return c >= 0.9 ? 'complete' : c >= 0.5 ? 'sparse' : 'missing';
}

/** Every critique element complete (0.95) except those given. */
function completeness(overrides: Record<string, number> = {}): CompletenessItem[] {
  return CRITIQUE_IDS.map((id) => {
    const c = overrides[id] ?? 0.95;
    return { id, source: 'critique', element: `element ${id}`, completeness: c, status: statusOf(c), detail: '', inClaimsData: false };
  });
}

function balance(smds: Record<string, number>, ess = { target: 80, comparator: 90 }): BalanceDiagnostics {
  const rows = Object.entries(smds).map(([covariate, smdAfter]) => ({ covariate, smdBefore: 0.5, smdAfter }));
  const maxAbsSmdAfter = Math.max(...rows.map((r) => Math.abs(r.smdAfter)));
  return { set: 'critique', rows, maxAbsSmdAfter, pass: maxAbsSmdAfter < 0.1, effectiveSampleSize: ess, matched: null };
}

function propensity(equipoiseShare: number): PropensityDiagnostics {
  return { set: 'critique', terms: [], cStatistic: 0.7, equipoiseShare, overlap: [], trimmed: 0 };
}

function estimate(measure: EffectEstimate['measure'], est: number, lower: number, upper: number): EffectEstimate {
  return { measure, estimate: est, lower, upper, p: 0.01, se: 0.1, seType: 'robust', n: { target: 100, comparator: 100 }, events: { target: 10, comparator: 10 }, eValue: null };
}

function outcome(name: string, options: { bleedingDefinition?: string; negativeControl?: boolean; primary?: boolean; hr?: [number, number, number] } = {}): OutcomeResult {
  const [hr, lo, hi] = options.hr ?? [1, 0.8, 1.25];
  return {
    name,
    label: name,
    type: 'time_to_event',
    primary: options.primary ?? name === 'death',
    negativeControl: options.negativeControl ?? false,
    bleedingDefinition: options.bleedingDefinition ?? null,
    horizon_d: 365,
    set: 'critique',
    risk: { target: { estimate: 0.1, lower: 0.05, upper: 0.15 }, comparator: { estimate: 0.1, lower: 0.05, upper: 0.15 } },
    riskDifference: estimate('RD', 0, -0.05, 0.05),
    ratio: estimate('HR', hr, lo, hi),
    km: null,
    riskTable: null,
    competing: null,
  };
}

function input(overrides: Partial<EvidenceInput> = {}): EvidenceInput {
  return {
    completeness: completeness(),
    balance: balance({ age_years: 0.03, sofa_t0: -0.05 }),
    propensity: propensity(0.6),
    cohortSize: { target: 100, comparator: 120 },
    outcomes: [outcome('death')],
    ...overrides,
  };
}

test('no problem: moderate, nothing downgraded, nothing unsupported', () => {
  assert.deepEqual(assessEvidence(input()), { strength: 'moderate', downgrades: [], unsupported: [] });
});

test('balance: |SMD| exactly 0.1 fails and names the worst covariate; 0.0999 passes', () => {
  const failed = assessEvidence(input({ balance: balance({ age_years: 0.03, sofa_t0: -0.1 }) }));
  assert.equal(failed.strength, 'low');
  assert.deepEqual(failed.downgrades, ['balance failed: |SMD| 0.10 for sofa_t0 after adjustment (threshold 0.1)']);
  assert.equal(assessEvidence(input({ balance: balance({ age_years: 0.0999 }) })).strength, 'moderate');
});

test('equipoise: a share of exactly 0.5 passes, 0.49 lowers one step', () => {
  assert.equal(assessEvidence(input({ propensity: propensity(0.5) })).strength, 'moderate');
  const r = assessEvidence(input({ propensity: propensity(0.49) }));
  assert.equal(r.strength, 'low');
  assert.deepEqual(r.downgrades, ['limited overlap: 49% of patients in empirical equipoise (preference score 0.3-0.7; threshold 50%)']);
});

test('missing critique elements: one downgrade for all of them together; sparse ones do not downgrade', () => {
  const r = assessEvidence(input({ completeness: completeness({ 'selection-reasons': 0.37, site: 0.3, 'scai-stage-t0': 0.6 }) }));
  assert.equal(r.strength, 'low');
  assert.deepEqual(r.downgrades, ['critique elements missing: element selection-reasons (37% recorded); element site (30% recorded)']);
});

test('only elements relevant to the primary outcome downgrade: bleeding and hemolysis elements need a bleeding or hemolysis primary', () => {
  const gaps = completeness({ 'target-band': 0.37, hemolysis: 0.3 });
  const death = assessEvidence(input({ completeness: gaps, outcomes: [outcome('death', { primary: true })] }));
  assert.deepEqual(death.downgrades, []);
  const bleeding = assessEvidence(input({ completeness: gaps, outcomes: [outcome('bleeding', { primary: true, bleedingDefinition: 'BARC 3-5' })] }));
  assert.deepEqual(bleeding.downgrades, ['critique elements missing: element target-band (37% recorded)']);
  const hemolysis = assessEvidence(input({ completeness: gaps, outcomes: [outcome('hemolysis', { primary: true })] }));
  assert.deepEqual(hemolysis.downgrades, ['critique elements missing: element hemolysis (30% recorded)']);
});

test('effective sample size: exactly 50% of the cohort passes, below lowers one step naming the group', () => {
  assert.equal(assessEvidence(input({ balance: balance({ a: 0 }, { target: 50, comparator: 60 }) })).strength, 'moderate');
  const r = assessEvidence(input({ balance: balance({ a: 0 }, { target: 49.9, comparator: 60 }) }));
  assert.deepEqual(r.downgrades, ['effective sample size below 50% of the cohort: target 49.9 of 100 (49.9%)']);
  assert.equal(r.strength, 'low');
});

test('two problems give very low, and the floor holds with four', () => {
  assert.equal(assessEvidence(input({ propensity: propensity(0.2), balance: balance({ x: 0.2 }) })).strength, 'very low');
  const all = assessEvidence(input({ propensity: propensity(0.2), balance: balance({ x: 0.2 }, { target: 10, comparator: 10 }), completeness: completeness({ site: 0 }) }));
  assert.equal(all.downgrades.length, 4);
  assert.equal(all.strength, 'very low');
});

test('no adjusted sample: downgraded once for the missing balance assessment', () => {
  const r = assessEvidence(input({ balance: null, propensity: null }));
  assert.deepEqual(r.downgrades, ['no adjusted comparison: covariate balance could not be assessed']);
  assert.equal(r.strength, 'low');
});

test('unsupported conclusions name the share that rules them out', () => {
  const r = assessEvidence(
    input({
      completeness: completeness({ 'target-band': 0.37, 'monitoring-test': 0.8, 'scai-stage-t0': 0.59, hemolysis: 0.3, 'selection-reasons': 0.2 }),
      outcomes: [outcome('death'), outcome('bleeding', { bleedingDefinition: 'BARC 3-5' }), outcome('pneumonia', { negativeControl: true, hr: [1.4, 1.1, 1.8] }), outcome('fracture', { negativeControl: true, hr: [1.2, 0.9, 1.6] })],
    }),
  );
  assert.deepEqual(r.unsupported, [
    'device-level bleeding difference not interpretable: anticoagulation target unknown for 63% of patients',
    'device effect by shock severity not assessable: SCAI stage at time zero undetermined for 41% of patients',
    'hemolysis comparison not interpretable: no hemolysis surveillance for 70% of patients',
    'confounding by indication not assessable: device-selection reasons missing for 80% of patients',
    'negative-control outcome pneumonia shows an effect (HR 1.40, 95% CI 1.10-1.80): residual confounding likely',
  ]);
});

test('anticoagulation gaps do not block a bleeding conclusion when there is no bleeding outcome; the worse of test and target is named', () => {
  assert.deepEqual(assessEvidence(input({ completeness: completeness({ 'target-band': 0.2 }) })).unsupported, []);
  const r = assessEvidence(input({ completeness: completeness({ 'target-band': 0.7, 'monitoring-test': 0.55 }), outcomes: [outcome('death'), outcome('bleeding', { bleedingDefinition: 'TIMI major' })] }));
  assert.deepEqual(r.unsupported, ['device-level bleeding difference not interpretable: anticoagulation monitoring test unknown for 45% of patients']);
});

test('a negative control with a protective effect counts too; one whose CI touches 1 does not', () => {
  const r = assessEvidence(input({ outcomes: [outcome('death'), outcome('a', { negativeControl: true, hr: [0.7, 0.5, 0.95] }), outcome('b', { negativeControl: true, hr: [0.8, 0.64, 1] })] }));
  assert.deepEqual(r.unsupported, ['negative-control outcome a shows an effect (HR 0.70, 95% CI 0.50-0.95): residual confounding likely']);
});
