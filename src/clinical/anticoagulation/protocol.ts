// Anticoagulation protocol definitions as data: drug, monitoring test, target band, recheck interval, titration table.
// Clinical reference section 7 (7.2 target ranges, 7.3 parallel strategy, 7.5 nomograms). The bundled protocols live
// in protocols.ts; this file holds only the shape and the bundled ids, so the episode format can reference them.
import { z } from 'zod';

/** Anticoagulant drugs a protocol can titrate (reference 7.1, 7.6). */
export const ANTICOAG_DRUGS = ['ufh', 'bivalirudin', 'argatroban'] as const;
export type AnticoagDrug = (typeof ANTICOAG_DRUGS)[number];

/** Monitoring tests, named by their canonical observation codes (unit in the name). */
export const MONITORING_TESTS = ['anti_xa_IU_mL', 'aptt_s', 'act_s'] as const;
export type MonitoringTest = (typeof MONITORING_TESTS)[number];

/**
 * A target band for one test, closed at both ends: a value v is `in` when low <= v <= high,
 * `low` when v < low, `high` when v > high (reference 7.2 prints bands as closed ranges, e.g. 0.31–0.50 IU/mL).
 */
export const targetBandSchema = z
  .object({
    test: z.enum(MONITORING_TESTS),
    low: z.number().nonnegative(),
    high: z.number().positive(),
  })
  .refine((b) => b.low < b.high, { message: 'target band: low must be < high', path: ['low'] });
export type TargetBand = z.infer<typeof targetBandSchema>;

/**
 * One row of a titration table: the interval of the titrated test's value it covers and the action.
 * Bounds are explicit so that `<` and `≤` are exactly as the source prints them (reference 7.5).
 * A row matches v when every present bound holds: v > gt, v >= gte, v < lt, v <= lte.
 */
export const titrationRowSchema = z.object({
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  /** The row's position relative to the target band. */
  status: z.enum(['low', 'in', 'high']),
  /** Bolus in IU/kg (UFH) given before the rate change; 0 = none. */
  bolus_IU_kg: z.number().nonnegative().default(0),
  /** Infusion held for this many minutes before the rate change; 0 = no hold. */
  hold_min: z.number().nonnegative().default(0),
  /** Rate change of the TOTAL heparin rate (IV + purge) in IU/kg/h; negative = decrease. */
  rateChange_IU_kg_h: z.number().default(0),
  /** Minutes from the sample (after any hold) to the next sample; defaults to the protocol's recheck.afterChange_min. */
  recheck_min: z.number().positive().optional(),
  /** Source text of the row, e.g. '< 35 s (< 1.2 × control)'. */
  label: z.string().optional(),
});
export type TitrationRow = z.infer<typeof titrationRowSchema>;

/** When to draw the next sample (Raschke 1993: 6 h after start and every change; daily after two in-range values). */
export const recheckSchema = z.object({
  /** Minutes from a dose change (or start) to the next sample. */
  afterChange_min: z.number().positive(),
  /** Minutes to the next sample when the value was in range but not yet stable. */
  inRange_min: z.number().positive(),
  /** Number of consecutive in-range values after which the patient counts as stable. */
  consecutiveInRangeForStable: z.number().int().positive(),
  /** Minutes to the next sample once stable (e.g. daily = 1440). */
  stable_min: z.number().positive(),
});
export type Recheck = z.infer<typeof recheckSchema>;

/** Initial dosing (bolus and starting rate), each capped where the source gives a cap. */
export const initialDoseSchema = z.object({
  bolus_IU_kg: z.number().nonnegative(),
  bolusMax_IU: z.number().positive().optional(),
  rate_IU_kg_h: z.number().nonnegative(),
  rateMax_IU_h: z.number().positive().optional(),
});
export type InitialDose = z.infer<typeof initialDoseSchema>;

/** Evidence tag of the reference (see clinical.md front matter). */
export const evidenceTagSchema = z.enum(['V', 'S', 'R', 'D']);

/** A protocol definition: everything needed to interpret a sample and suggest the next step. */
export const anticoagProtocolSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Author, year, journal (one line). */
  source: z.string(),
  evidence: evidenceTagSchema,
  drug: z.enum(ANTICOAG_DRUGS),
  /** The test the dose is titrated on. */
  titrationTest: z.enum(MONITORING_TESTS),
  /** Target band of the titrated test, and of any parallel (paired) test, e.g. aPTT drawn with every anti-Xa. */
  targets: z.array(targetBandSchema).min(1),
  /** Tests drawn with every sample of the titrated test to detect discordance, never to titrate (reference 7.3). */
  parallelTests: z.array(z.enum(MONITORING_TESTS)).default([]),
  /** Titration table on the titrated test; empty = monitoring only (no dose suggestion). */
  titration: z.array(titrationRowSchema),
  recheck: recheckSchema,
  initial: initialDoseSchema.optional(),
  /** Purge heparin is part of the total rate; IV rate = total − purge (manufacturer training, reference 7.1). */
  countPurgeHeparin: z.boolean().default(true),
  notes: z.array(z.string()).default([]),
});
export type AnticoagProtocol = z.infer<typeof anticoagProtocolSchema>;
export type AnticoagProtocolInput = z.input<typeof anticoagProtocolSchema>;

/** Ids of the protocols bundled in protocols.ts. The episode format references these as strings. */
export const BUNDLED_PROTOCOL_IDS = [
  /** Raschke weight-based aPTT nomogram (Raschke, Ann Intern Med 1993). */
  'raschke-1993-aptt',
  /** University of Michigan anti-Xa nomogram, VTE, 0.3–0.7 IU/mL. */
  'michigan-antixa-vte',
  /** Vandenbriele 2022 parallel anti-Xa/aPTT strategy, low band 0.20–0.30 IU/mL (aPTT 40–55 s). */
  'vandenbriele-2022-low',
  /** Vandenbriele 2022 parallel anti-Xa/aPTT strategy, standard band 0.31–0.50 IU/mL (aPTT 56–80 s). */
  'vandenbriele-2022-standard',
  /** aPTT-guided UFH, intermediate 40–60 s (Vandenbriele, M'Pembele, Int J Cardiol 2024); monitoring only. */
  'aptt-intermediate-40-60',
  /** aPTT-guided UFH, therapeutic 60–80 s (Vandenbriele, M'Pembele, Int J Cardiol 2024); monitoring only. */
  'aptt-therapeutic-60-80',
  /** ACT 160–180 s (manufacturer recommendation for Impella); monitoring only. */
  'impella-act-160-180',
] as const;
export type BundledProtocolId = (typeof BUNDLED_PROTOCOL_IDS)[number];
