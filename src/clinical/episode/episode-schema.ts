// The canonical episode format as entered (stored, imported, read by the CLI): the zod schema of the raw JSON.
// Structure only; units, plausibility (reference 9) and times are handled by parseEpisode (episode.ts), which turns
// this input into the canonical `Episode`. Documented with a full example in docs/episode-format.md.
import { z } from 'zod';
import { bleedingFactsSchema } from '../bleeding/bleeding-facts.js';
import { targetBandSchema } from '../anticoagulation/protocol.js';
import { OBSERVATION_CODE_NAMES } from './observation-codes.js';
import { INFUSION_DRUGS } from './infusion-drugs.js';

/** Version of the episode format this schema reads. */
export const EPISODE_FORMAT_VERSION = '1';

/** ISO 8601 date-time with an explicit offset ('Z' or '+01:00'); local times without offset are ambiguous. */
export const isoTimeSchema = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with offset, e.g. 2026-01-01T04:00:00Z' });

const finite = z.number().finite();
const note = z.string().optional();

// ---------------------------------------------------------------- anchor, demographics, baseline

export const ANCHOR_KINDS = ['admission', 'cicu_admission', 'shock_onset', 'device_start', 'index_event'] as const;
export type AnchorKind = (typeof ANCHOR_KINDS)[number];

export const anchorSchema = z.object({
  kind: z.enum(ANCHOR_KINDS),
  time: isoTimeSchema,
});

/** A value with its unit, converted on the way in. */
export const quantitySchema = z.object({ value: finite, unit: z.string().min(1) });
export type QuantityInput = z.infer<typeof quantitySchema>;

export const WEIGHT_UNITS = { kg: 1, g: 0.001, '[lb_av]': 0.45359237, lb: 0.45359237 } as const;
export const HEIGHT_UNITS = { cm: 1, m: 100, '[in_i]': 2.54, in: 2.54 } as const;

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

export const demographicsSchema = z.object({
  age_years: finite.min(0).max(120).optional(),
  sex: z.enum(SEXES).default('unknown'),
  /** Weight: a bare number is kg; or {value, unit} with unit kg, g, [lb_av]. */
  weight: z.union([finite, quantitySchema]).optional(),
  /** Height: a bare number is cm; or {value, unit} with unit cm, m, [in_i]. */
  height: z.union([finite, quantitySchema]).optional(),
});

/** SHARC etiologic categories (Waksman, Circulation 2023; reference 3.1). */
export const ETIOLOGIES = ['AMI', 'HF-denovo', 'HF-acute-on-chronic', 'secondary', 'post-cardiotomy'] as const;
export const MIXED_COMPONENTS = ['septic', 'hypovolemic', 'vasoplegic', 'other'] as const;
export const INFARCT_LOCATIONS = ['anterior', 'inferior', 'lateral', 'posterior', 'other', 'unknown'] as const;

export const clinicalContextSchema = z.object({
  etiology: z.enum(ETIOLOGIES).optional(),
  /** Cardiogenic plus non-cardiogenic component (reference 3.1). */
  mixedShock: z.boolean().optional(),
  mixedComponent: z.enum(MIXED_COMPONENTS).optional(),
  /** AMI only: infarct territory (PAPi < 0.9 is an RV-failure marker in inferior MI, reference 3.3). */
  infarctLocation: z.enum(INFARCT_LOCATIONS).optional(),
  stemi: z.boolean().optional(),
  /** Clinician-reported cardiogenic shock (CCCTN requires it, reference 1.5). */
  clinicianReportedCS: z.boolean().optional(),
  /** Patient's usual systolic BP (SCAI B "fall > 30 mmHg from baseline"). */
  baselineSbp_mmHg: finite.min(0).max(300).optional(),
  /** Baseline creatinine (reference 1.6.5): lowest in prior 7 days, else outpatient ≤ 365 d. */
  baselineCreatinine: z
    .object({
      value: finite,
      unit: z.string().min(1).default('mg/dL'),
      time: isoTimeSchema.optional(),
      source: z.enum(['prior_7_days', 'outpatient_365_days', 'other']).optional(),
    })
    .optional(),
  chronicKidneyReplacement: z.boolean().optional(),
  /** Upper limit of normal of the site's LDH and ALT assays (hemolysis and liver rules). */
  ldhUpperLimitOfNormal_U_L: finite.positive().optional(),
  altUpperLimitOfNormal_U_L: finite.positive().optional(),
  notes: note,
});

// ---------------------------------------------------------------- observations

export const SPECIMENS = ['arterial', 'venous', 'mixed_venous', 'capillary', 'unknown'] as const;
export const CO_METHODS = ['thermodilution', 'fick', 'device', 'echo', 'other'] as const;

export const observationInputSchema = z.object({
  time: isoTimeSchema,
  code: z.enum(OBSERVATION_CODE_NAMES),
  value: finite,
  /** UCUM unit of `value`; omitted means the code's canonical unit. */
  unit: z.string().min(1).optional(),
  /** 'gt' = reported as "> value" (above the assay's cap); 'lt' = "< value". */
  censored: z.enum(['gt', 'lt']).optional(),
  specimen: z.enum(SPECIMENS).optional(),
  /** Measurement method, e.g. cardiac output 'thermodilution' | 'fick' | 'device' | 'echo' (reference 2). */
  method: z.string().min(1).optional(),
  /** For rates over a period (urine output): the period in minutes ending at `time`; default 60. */
  periodMin: finite.positive().max(1440).optional(),
  /** Samples from the same draw (e.g. one blood gas) share a sampleId. */
  sampleId: z.string().min(1).optional(),
  note,
});
export type ObservationInput = z.infer<typeof observationInputSchema>;

// ---------------------------------------------------------------- infusions, boluses, purge

export const infusionInputSchema = z.object({
  drug: z.enum(INFUSION_DRUGS),
  start: isoTimeSchema,
  /** Absent = still running at the end of the record. A rate change is a new record. */
  end: isoTimeSchema.optional(),
  rate: finite.min(0),
  rateUnit: z.string().min(1),
  /** Route/line, e.g. 'iv', 'ecmo_circuit'. */
  route: z.string().optional(),
  note,
});
export type InfusionInput = z.infer<typeof infusionInputSchema>;

export const BOLUS_DRUGS = ['ufh', 'bivalirudin', 'argatroban'] as const;
export const bolusInputSchema = z.object({
  drug: z.enum(BOLUS_DRUGS),
  time: isoTimeSchema,
  dose: finite.min(0),
  /** '[IU]' or '[IU]/kg' for heparin; 'mg' or 'mg/kg' for bivalirudin; 'ug' or 'ug/kg' for argatroban. */
  doseUnit: z.string().min(1),
  /** Context, e.g. 'procedural' (cath lab, ACT-guided), 'protocol', 'flush'. */
  context: z.enum(['protocol', 'procedural', 'flush', 'other']).optional(),
  note,
});
export type BolusInput = z.infer<typeof bolusInputSchema>;

export const PURGE_SOLUTIONS = ['heparin_d5w', 'bicarbonate_d5w', 'dti', 'other'] as const;
export const purgeInputSchema = z.object({
  /** Id of the microaxial device the purge belongs to. */
  deviceId: z.string().optional(),
  start: isoTimeSchema,
  end: isoTimeSchema.optional(),
  solution: z.enum(PURGE_SOLUTIONS).default('heparin_d5w'),
  /** Heparin concentration of the purge solution; 0 for heparin-free purge (reference 7.1). */
  heparin_IU_mL: finite.min(0),
  /** Purge flow as delivered by the controller over this interval. */
  flow_mL_h: finite.min(0),
  /** Bicarbonate purge concentration (e.g. 25 meq per 1 L D5W), if used. */
  bicarbonate_meq_L: finite.min(0).optional(),
  note,
});
export type PurgeInput = z.infer<typeof purgeInputSchema>;

// ---------------------------------------------------------------- devices

export const MICROAXIAL_MODELS = ['Impella 2.5', 'Impella CP', 'Impella 5.0', 'Impella 5.5', 'Impella RP', 'other'] as const;
export const ACCESS_SITES = ['femoral', 'axillary', 'subclavian', 'jugular', 'transaortic', 'central', 'other'] as const;

/** Structured reasons a device was chosen (DESIGN.md point 2; reference 10.1 design implication 2) [D]. */
export const SELECTION_REASONS = [
  'persistent_hypotension_despite_vasoactives',
  'hypoperfusion_despite_vasoactives',
  'lv_unloading',
  'lv_distension_on_ecmo',
  'rv_failure',
  'biventricular_failure',
  'cardiac_arrest_ecpr',
  'refractory_arrhythmia',
  'hypoxemia',
  'protected_pci',
  'mechanical_complication',
  'bridge_to_decision',
  'bridge_to_recovery',
  'bridge_to_durable_vad_or_transplant',
  'escalation_from_other_device',
  'contraindication_to_alternative',
  'device_availability',
  'operator_preference',
  'trial_protocol',
  'other',
] as const;
export type SelectionReason = (typeof SELECTION_REASONS)[number];

export const deviceSettingSchema = z.object({
  time: isoTimeSchema,
  /** Microaxial pump performance level P0–P9. */
  pLevel: z.number().int().min(0).max(9).optional(),
  speed_rpm: finite.min(0).max(60000).optional(),
  flow_L_min: finite.min(0).max(10).optional(),
  /** IABP assist ratio 1:1, 1:2, 1:3 → 1, 2, 3. */
  iabpRatio: z.number().int().min(1).max(3).optional(),
  /** Position checked by echocardiography at this time. */
  positionChecked: z.boolean().optional(),
  positionOk: z.boolean().optional(),
  note,
});

const deviceCommon = {
  id: z.string().min(1).optional(),
  insertion: isoTimeSchema,
  removal: isoTimeSchema.optional(),
  accessSite: z.enum(ACCESS_SITES).optional(),
  side: z.enum(['left', 'right']).optional(),
  /** Where it was placed: cath lab before/during/after PCI, ICU, OR. */
  placement: z.enum(['before_pci', 'during_pci', 'after_pci', 'no_pci', 'icu', 'operating_room', 'other']).optional(),
  selectionReasons: z.array(z.enum(SELECTION_REASONS)).default([]),
  selectionNote: z.string().optional(),
  closure: z.string().optional(),
  removalReason: z.enum(['recovery', 'escalation', 'complication', 'death', 'transfer', 'other']).optional(),
  settings: z.array(deviceSettingSchema).default([]),
  note,
};

export const deviceInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('iabp'), ...deviceCommon, size_mL: finite.min(20).max(60).optional() }),
  z.object({ kind: z.literal('microaxial'), ...deviceCommon, model: z.enum(MICROAXIAL_MODELS), modelOther: z.string().optional() }),
  z.object({
    kind: z.literal('va_ecmo'),
    ...deviceCommon,
    cannulation: z.enum(['peripheral', 'central']).optional(),
    distalPerfusionCannula: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('other'), ...deviceCommon, description: z.string().min(1) }),
]);
export type DeviceInput = z.infer<typeof deviceInputSchema>;

// ---------------------------------------------------------------- organ support

/** Organ support intervals: respiratory support (SOFA respiration item, SCAI C) and kidney replacement (KDIGO 3). */
export const SUPPORT_KINDS = ['invasive_ventilation', 'noninvasive_ventilation', 'high_flow_oxygen', 'kidney_replacement'] as const;
export const supportInputSchema = z.object({
  kind: z.enum(SUPPORT_KINDS),
  start: isoTimeSchema,
  end: isoTimeSchema.optional(),
  note,
});

// ---------------------------------------------------------------- events

export const TRANSFUSION_PRODUCTS = ['rbc', 'whole_blood', 'platelets', 'plasma', 'cryoprecipitate', 'fibrinogen_concentrate', 'other'] as const;
export const DEVICE_KINDS = ['iabp', 'microaxial', 'va_ecmo', 'other'] as const;

export const eventInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cardiac_arrest'),
    time: isoTimeSchema,
    setting: z.enum(['OHCA', 'IHCA']).optional(),
    rhythm: z.enum(['VF', 'VT', 'PEA', 'asystole', 'unknown']).optional(),
    rosc: z.boolean().optional(),
    durationMin: finite.min(0).max(600).optional(),
    ecpr: z.boolean().optional(),
    /** Coma after the arrest: cannot respond to verbal stimuli (SCAI 2022 modifier, reference 1.2). */
    comaAfterArrest: z.boolean().optional(),
    /** GCS after return of circulation, 3–15 (reference 1.2; < 9 counts as coma). */
    gcsAfter: z.number().int().min(3).max(15).optional(),
    note,
  }),
  z.object({ kind: z.literal('bleeding'), time: isoTimeSchema, facts: bleedingFactsSchema, note }),
  z.object({
    kind: z.literal('hemolysis'),
    time: isoTimeSchema,
    relatedDeviceId: z.string().optional(),
    relatedDevice: z.enum(DEVICE_KINDS).optional(),
    hemoglobinuria: z.boolean().optional(),
    transfusionForHemolysis: z.boolean().optional(),
    akiAttributed: z.boolean().optional(),
    /** What was done for hemolysis (reference 6: clinical consequence → severe). */
    actions: z.array(z.enum(['device_exchange', 'repositioning', 'speed_reduction', 'none', 'other'])).default([]),
    note,
  }),
  z.object({
    kind: z.literal('limb_ischemia'),
    time: isoTimeSchema,
    side: z.enum(['left', 'right']).optional(),
    relatedDeviceId: z.string().optional(),
    intervention: z.enum(['none', 'distal_perfusion_cannula', 'device_removal', 'endovascular', 'surgical', 'fasciotomy', 'amputation']).optional(),
    note,
  }),
  z.object({
    kind: z.literal('stroke'),
    time: isoTimeSchema,
    type: z.enum(['ischemic', 'hemorrhagic', 'unknown']).default('unknown'),
    imagingConfirmed: z.boolean().optional(),
    note,
  }),
  z.object({
    kind: z.literal('transfusion'),
    time: isoTimeSchema,
    product: z.enum(TRANSFUSION_PRODUCTS),
    /** Units must be integers ≥ 0 (reference 9 cross-field checks). */
    units: z.number().int().min(0).max(100),
    /** Index (0-based) in `events` of the bleeding event this transfusion treated, if any. */
    forBleedingEvent: z.number().int().min(0).optional(),
    note,
  }),
  z.object({
    kind: z.literal('death'),
    time: isoTimeSchema,
    cause: z.enum(['cardiovascular', 'bleeding', 'neurologic', 'multiorgan_failure', 'infection', 'other', 'unknown']).default('unknown'),
    note,
  }),
]);
export type EventInput = z.infer<typeof eventInputSchema>;

// ---------------------------------------------------------------- anticoagulation protocol in force

export const anticoagulationInForceInputSchema = z.object({
  from: isoTimeSchema,
  /** Id of a protocol in src/clinical/anticoagulation/protocols.ts (or a site protocol). */
  protocolId: z.string().min(1),
  /** Patient-specific override of the target band(s). */
  target: z.union([targetBandSchema, z.array(targetBandSchema)]).optional(),
  note,
});

// ---------------------------------------------------------------- follow-up

/** Vital status follow-up after discharge, to 1 year (registry outcome). Death itself is a `death` event. */
export const FOLLOW_UP_SOURCES = ['visit', 'phone', 'registry_linkage', 'records', 'other'] as const;
export const followUpSchema = z.object({
  /** Last time the patient was known to be alive (censoring time when no death is recorded). */
  lastKnownAlive: isoTimeSchema.optional(),
  /** How the last contact was made. */
  source: z.enum(FOLLOW_UP_SOURCES).optional(),
  note,
});

// ---------------------------------------------------------------- the episode

export const episodeInputSchema = z.object({
  formatVersion: z.literal(EPISODE_FORMAT_VERSION).default(EPISODE_FORMAT_VERSION),
  id: z.string().min(1),
  site: z.string().optional(),
  anchor: anchorSchema,
  /** Other key times, for reference (all optional). */
  times: z
    .object({
      admission: isoTimeSchema.optional(),
      cicuAdmission: isoTimeSchema.optional(),
      shockOnset: isoTimeSchema.optional(),
      pciStart: isoTimeSchema.optional(),
      discharge: isoTimeSchema.optional(),
    })
    .default({}),
  demographics: demographicsSchema,
  clinical: clinicalContextSchema.default({}),
  observations: z.array(observationInputSchema).default([]),
  infusions: z.array(infusionInputSchema).default([]),
  boluses: z.array(bolusInputSchema).default([]),
  purge: z.array(purgeInputSchema).default([]),
  devices: z.array(deviceInputSchema).default([]),
  supports: z.array(supportInputSchema).default([]),
  events: z.array(eventInputSchema).default([]),
  anticoagulation: z.array(anticoagulationInForceInputSchema).default([]),
  followUp: followUpSchema.default({}),
});

/** The episode as entered (before units, plausibility and times are resolved). */
export type EpisodeInput = z.input<typeof episodeInputSchema>;
/** The episode after the structural parse (defaults filled), before unit conversion. */
export type EpisodeStructured = z.output<typeof episodeInputSchema>;
