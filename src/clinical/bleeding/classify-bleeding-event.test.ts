import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BLEEDING_SITES, bleedingFactsSchema, type BleedingFactsInput, type BleedingSite } from './bleeding-facts.js';
import { classifyBleedingEvent, type BleedingEventClassification } from './classify-bleeding-event.js';
import {
  BARC_ORDER,
  DEFAULT_BLEEDING_RULE_SET,
  GUSTO_ORDER,
  ISTH_ORDER,
  TIMI_ORDER,
  VARC2_ORDER,
  classRank,
  type BleedingRuleSet,
} from './rule-set.js';

/**
 * Site severity for the "worse site" property: 0 ordinary sites; 1 critical areas (ISTH) other than the nervous
 * system and eye; 2 intraocular and intraspinal; 3 intracranial. Moving to a higher rank must never lower a class.
 */
const SITE_RANK: Record<BleedingSite, number> = {
  access_site: 0,
  gastrointestinal: 0,
  genitourinary: 0,
  pulmonary: 0,
  surgical_site: 0,
  cannula_site: 0,
  other: 0,
  retroperitoneal: 1,
  intra_articular: 1,
  intramuscular: 1,
  pericardial: 1,
  intraocular: 2,
  intraspinal: 2,
  intracranial: 3,
};

const optBool = fc.option(fc.boolean(), { nil: undefined });
const optUnits = fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined });
const hb = fc.option(fc.record({ value: fc.double({ min: 4, max: 18, noNaN: true }) }), { nil: undefined });

const factsArb: fc.Arbitrary<BleedingFactsInput> = fc.record(
  {
    site: fc.constantFrom(...BLEEDING_SITES),
    overt: optBool,
    imagingConfirmed: optBool,
    autopsyConfirmed: optBool,
    lumbarPunctureConfirmed: optBool,
    microbleedOrHemorrhagicTransformation: optBool,
    visionCompromised: optBool,
    tamponade: optBool,
    pericardiocentesis: optBool,
    compartmentSyndrome: optBool,
    hbBaseline: hb,
    hbNadir: hb,
    hctBaseline: fc.option(fc.record({ value_pct: fc.double({ min: 20, max: 55, noNaN: true }) }), { nil: undefined }),
    hctNadir: fc.option(fc.record({ value_pct: fc.double({ min: 10, max: 55, noNaN: true }) }), { nil: undefined }),
    hemodilutionSuspected: optBool,
    rbcUnitsWithin48h: optUnits,
    wholeBloodUnits: optUnits,
    unitsBetweenBaselineAndNadir: optUnits,
    vasoactiveStartedForBleeding: optBool,
    hemodynamicCompromise: optBool,
    surgicalOrEndovascularControl: optBool,
    causedHospitalizationOrHigherCare: optBool,
    medicalInterventionByProfessional: optBool,
    promptedEvaluation: optBool,
    anticoagulationInterrupted: optBool,
    discomfortOrImpairedActivities: optBool,
    permanentInjury: optBool,
    fatal: optBool,
    deathCertainty: fc.option(fc.constantFrom('definite' as const, 'probable' as const), { nil: undefined }),
    cabgRelated: optBool,
    withinHoursOfCabg: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    chestTubeOutputMl24h: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
    reoperationForBleeding: optBool,
  },
  { requiredKeys: ['site'] },
);

const RULE_SETS: readonly BleedingRuleSet[] = [
  DEFAULT_BLEEDING_RULE_SET,
  {
    ...DEFAULT_BLEEDING_RULE_SET,
    barcCabgNonQualifying: 'not_a_bleed',
    timiSeparateFatalClass: true,
    varc2MajorHbDropComparison: '>',
    varc2HbDrop: 'uncorrected',
    gustoFatalIsSevere: false,
  },
];

const classify = (x: BleedingFactsInput, rs: BleedingRuleSet) => classifyBleedingEvent(bleedingFactsSchema.parse(x), rs);

/** Asserts no definition's class (and, if `bounds`, no upper bound) is lower in `after` than in `before`. */
function notLower(before: BleedingEventClassification, after: BleedingEventClassification, bounds: boolean): void {
  const pairs = [
    ['barc', BARC_ORDER],
    ['gusto', GUSTO_ORDER],
    ['timi', TIMI_ORDER],
    ['isth', ISTH_ORDER],
    ['varc2', VARC2_ORDER],
  ] as const;
  for (const [k, order] of pairs) {
    const b = before[k];
    const a = after[k];
    const rank = (c: string) => classRank(order as readonly string[], c);
    assert.ok(rank(a.result) >= rank(b.result), `${k}: ${b.result} → ${a.result}`);
    if (bounds) assert.ok(rank(a.upperBound) >= rank(b.upperBound), `${k} upper: ${b.upperBound} → ${a.upperBound}`);
    assert.ok(rank(a.upperBound) >= rank(a.result), `${k}: upper bound below result`);
  }
}

describe('bleeding classification properties (issue 3: a worse fact never lowers a class)', () => {
  for (const [i, rs] of RULE_SETS.entries()) {
    it(`property (rule set ${i}): a bigger Hb drop never lowers any class`, () => {
      fc.assert(
        fc.property(factsArb, fc.double({ min: 0.01, max: 3, noNaN: true }), (x, d) => {
          fc.pre(x.hbBaseline !== undefined && x.hbNadir !== undefined);
          const nadir = (x.hbNadir as { value: number }).value;
          fc.pre(nadir - d >= 1);
          notLower(classify(x, rs), classify({ ...x, hbNadir: { value: nadir - d } }, rs), true);
        }),
        { numRuns: 400 },
      );
    });
    it(`property (rule set ${i}): more transfusion never lowers any class`, () => {
      fc.assert(
        fc.property(factsArb, fc.integer({ min: 1, max: 6 }), fc.constantFrom('rbc', 'wb', 'between', 'all'), (x, k, which) => {
          const add = (v: number | undefined) => (v ?? 0) + k;
          const y: BleedingFactsInput = { ...x };
          if (which === 'rbc' || which === 'all') y.rbcUnitsWithin48h = add(x.rbcUnitsWithin48h);
          if (which === 'wb' || which === 'all') y.wholeBloodUnits = add(x.wholeBloodUnits);
          if (which === 'between' || which === 'all') y.unitsBetweenBaselineAndNadir = add(x.unitsBetweenBaselineAndNadir);
          // From "not recorded" to a count the upper bound may narrow, so bounds are compared only between counts.
          const wasRecorded =
            (which === 'rbc' && x.rbcUnitsWithin48h !== undefined) ||
            (which === 'wb' && x.wholeBloodUnits !== undefined) ||
            (which === 'between' && x.unitsBetweenBaselineAndNadir !== undefined);
          notLower(classify(x, rs), classify(y, rs), wasRecorded && (x.rbcUnitsWithin48h !== undefined || x.wholeBloodUnits !== undefined));
        }),
        { numRuns: 400 },
      );
    });
    it(`property (rule set ${i}): a worse site never lowers any class`, () => {
      fc.assert(
        fc.property(factsArb, fc.constantFrom(...BLEEDING_SITES), (x, to) => {
          fc.pre(SITE_RANK[to] > SITE_RANK[x.site] && x.microbleedOrHemorrhagicTransformation !== true);
          notLower(classify(x, rs), classify({ ...x, site: to }, rs), true);
        }),
        { numRuns: 400 },
      );
    });
    it(`property (rule set ${i}): a fatal outcome never lowers any class`, () => {
      fc.assert(
        fc.property(factsArb, (x) => {
          fc.pre(x.fatal !== true);
          notLower(classify(x, rs), classify({ ...x, fatal: true }, rs), x.fatal === false);
        }),
        { numRuns: 400 },
      );
    });
  }
  it('property: classification never throws on schema-valid facts and upper bound ≥ result', () => {
    fc.assert(
      fc.property(factsArb, (x) => {
        const c = classify(x, DEFAULT_BLEEDING_RULE_SET);
        notLower(c, c, true);
      }),
      { numRuns: 500 },
    );
  });
  it('reference 5 recommendation: one event, every definition (retroperitoneal access bleed, 12 → 8.5, 2 units)', () => {
    // corrected drop 3.5 + 2 = 5.5 (BARC 3b, TIMI major, VARC-2 life-threatening ≥ 5); uncorrected 3.5 ≥ 2 and
    // 2 units → ISTH major (retroperitoneal is also a critical site); transfusion without compromise → GUSTO moderate.
    const c = classify(
      {
        site: 'retroperitoneal',
        relatedDevice: 'microaxial',
        overt: true,
        imagingConfirmed: true,
        fatal: false,
        cabgRelated: false,
        hemodynamicCompromise: false,
        tamponade: false,
        surgicalOrEndovascularControl: false,
        vasoactiveStartedForBleeding: false,
        pericardiocentesis: false,
        medicalInterventionByProfessional: true,
        hbBaseline: { value: 12 },
        hbNadir: { value: 8.5 },
        rbcUnitsWithin48h: 2,
        wholeBloodUnits: 0,
        unitsBetweenBaselineAndNadir: 2,
      },
      DEFAULT_BLEEDING_RULE_SET,
    );
    assert.equal(c.hbDrop.result.corrected_g_dL, 5.5);
    assert.equal(c.barc.result, '3b');
    assert.equal(c.gusto.result, 'moderate');
    assert.equal(c.timi.result, 'major');
    assert.equal(c.isth.result, 'major');
    assert.equal(c.varc2.result, 'life_threatening');
    assert.equal(c.barc.determinate, true);
  });
});
