// Infusion drugs of the episode format: their class, canonical rate unit, accepted input units and plausibility
// ranges (clinical reference 2.1/2.2 for units, 8 for UCUM spellings, 9 for ranges [D]).

export const VASOACTIVE_DRUGS = [
  'norepinephrine',
  'epinephrine',
  'dopamine',
  'dobutamine',
  'milrinone',
  'vasopressin',
  'phenylephrine',
  'levosimendan',
  'angiotensin_ii',
] as const;
export const ANTICOAGULANT_DRUGS = ['ufh', 'bivalirudin', 'argatroban'] as const;
export const INFUSION_DRUGS = [...VASOACTIVE_DRUGS, ...ANTICOAGULANT_DRUGS] as const;

export type VasoactiveDrug = (typeof VASOACTIVE_DRUGS)[number];
export type AnticoagulantDrug = (typeof ANTICOAGULANT_DRUGS)[number];
export type InfusionDrug = (typeof INFUSION_DRUGS)[number];

/** How an input rate unit maps onto the canonical one: canonical = rate × factor (÷ weight when perKgFromAbsolute). */
export interface RateUnit {
  readonly unit: string;
  readonly factor: number;
  /** The input is an absolute rate (per patient) and the canonical is per kg: divide by weight in kg. */
  readonly divideByWeight?: boolean;
}

export interface InfusionDrugDef {
  readonly drug: InfusionDrug;
  readonly kind: 'vasopressor_inotrope' | 'anticoagulant';
  /** Canonical rate unit(s). Heparin has two: weight-based or absolute, kept as given. */
  readonly units: readonly string[];
  /** Accepted input units with their conversion into the canonical unit. */
  readonly inputUnits: readonly RateUnit[];
  /** Reject outside [0, rejectMax]; warn above warnMax (canonical unit, first of `units`). */
  readonly rejectMax?: number;
  readonly warnMax?: number;
  readonly rangeSource: string;
}

const UG_KG_MIN: readonly RateUnit[] = [
  { unit: 'ug/kg/min', factor: 1 },
  { unit: 'µg/kg/min', factor: 1 },
  { unit: 'mcg/kg/min', factor: 1 },
  { unit: 'ug/min', factor: 1, divideByWeight: true },
  { unit: 'µg/min', factor: 1, divideByWeight: true },
  { unit: 'mcg/min', factor: 1, divideByWeight: true },
  { unit: 'mg/h', factor: 1000 / 60, divideByWeight: true },
];

const d = (x: InfusionDrugDef): InfusionDrugDef => x;

export const INFUSION_DRUG_DEFS: Readonly<Record<InfusionDrug, InfusionDrugDef>> = {
  norepinephrine: d({ drug: 'norepinephrine', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 5, warnMax: 1, rangeSource: 'reference 9 [D]' }),
  epinephrine: d({ drug: 'epinephrine', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 5, warnMax: 1, rangeSource: 'reference 9 [D]' }),
  dopamine: d({ drug: 'dopamine', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 50, warnMax: 20, rangeSource: 'reference 9 [D]' }),
  dobutamine: d({ drug: 'dobutamine', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 50, warnMax: 20, rangeSource: 'reference 9 [D]' }),
  milrinone: d({ drug: 'milrinone', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 2, warnMax: 0.75, rangeSource: 'reference 9 [D]' }),
  phenylephrine: d({ drug: 'phenylephrine', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 20, warnMax: 5, rangeSource: '[D] proposed here' }),
  levosimendan: d({ drug: 'levosimendan', kind: 'vasopressor_inotrope', units: ['ug/kg/min'], inputUnits: UG_KG_MIN, rejectMax: 1, warnMax: 0.2, rangeSource: '[D] proposed here' }),
  angiotensin_ii: d({
    drug: 'angiotensin_ii', kind: 'vasopressor_inotrope', units: ['ng/kg/min'],
    inputUnits: [{ unit: 'ng/kg/min', factor: 1 }, { unit: 'ug/kg/min', factor: 1000 }],
    rejectMax: 200, warnMax: 80, rangeSource: '[D] proposed here',
  }),
  // Vasopressin is charted in U/min (reference 2.1); VIS needs U/kg/min = (U/min)/kg, done in the VIS rule.
  vasopressin: d({
    drug: 'vasopressin', kind: 'vasopressor_inotrope', units: ['U/min'],
    inputUnits: [{ unit: 'U/min', factor: 1 }, { unit: '[iU]/min', factor: 1 }, { unit: '[IU]/min', factor: 1 }, { unit: 'U/h', factor: 1 / 60 }, { unit: '[IU]/h', factor: 1 / 60 }],
    rejectMax: 0.2, warnMax: 0.06, rangeSource: 'reference 9 [D]',
  }),
  // Heparin: kept weight-based or absolute as given (the brief's contract); ranges checked per kg when weight known.
  ufh: d({
    drug: 'ufh', kind: 'anticoagulant', units: ['[IU]/kg/h', '[IU]/h'],
    inputUnits: [
      { unit: '[IU]/kg/h', factor: 1 }, { unit: '[iU]/kg/h', factor: 1 }, { unit: 'IU/kg/h', factor: 1 }, { unit: 'U/kg/h', factor: 1 },
      { unit: '[IU]/h', factor: 1 }, { unit: '[iU]/h', factor: 1 }, { unit: 'IU/h', factor: 1 }, { unit: 'U/h', factor: 1 },
    ],
    rejectMax: 60, warnMax: 30, rangeSource: 'reference 9 [D] (UFH total, per kg)',
  }),
  bivalirudin: d({ drug: 'bivalirudin', kind: 'anticoagulant', units: ['mg/kg/h'], inputUnits: [{ unit: 'mg/kg/h', factor: 1 }, { unit: 'mg/h', factor: 1, divideByWeight: true }], rejectMax: 2.5, warnMax: 0.5, rangeSource: '[D] proposed here' }),
  argatroban: d({ drug: 'argatroban', kind: 'anticoagulant', units: ['ug/kg/min'], inputUnits: [{ unit: 'ug/kg/min', factor: 1 }, { unit: 'µg/kg/min', factor: 1 }, { unit: 'mcg/kg/min', factor: 1 }], rejectMax: 10, warnMax: 2, rangeSource: '[D] proposed here' }),
};

/** Canonical spelling of a heparin unit: '[IU]/kg/h' for any weight-based spelling, '[IU]/h' for absolute. */
export function canonicalHeparinUnit(unit: string): '[IU]/kg/h' | '[IU]/h' {
  return unit.includes('/kg/') ? '[IU]/kg/h' : '[IU]/h';
}

export function isVasoactive(drug: InfusionDrug): drug is VasoactiveDrug {
  return (VASOACTIVE_DRUGS as readonly string[]).includes(drug);
}
