// The bundled anticoagulation protocols, as data (clinical reference 7.2, 7.3, 7.5).
// Row bounds follow the printed tables: explicit comparators (<, >, ≥) are kept as printed; a value that falls in the
// gap between two printed ranges (e.g. 45.5 s between "35–45" and "46–70") is assigned to the range farther from the
// target, so the in-range row is exactly the closed target band.
import {
  anticoagProtocolSchema,
  BUNDLED_PROTOCOL_IDS,
  type AnticoagProtocol,
  type AnticoagProtocolInput,
  type BundledProtocolId,
} from './protocol.js';

// Raschke RA, et al. Ann Intern Med 1993;119:874–881 — weight-based UFH nomogram, aPTT-titrated (VTE). [V]
const RASCHKE_1993_APTT: AnticoagProtocolInput = {
  id: 'raschke-1993-aptt',
  name: 'Raschke weight-based heparin nomogram (aPTT)',
  source: 'Raschke RA, et al. Ann Intern Med 1993;119:874–881',
  evidence: 'V',
  drug: 'ufh',
  titrationTest: 'aptt_s',
  // In-range row "46–70 s (1.5–2.3 × control)". [V]
  targets: [{ test: 'aptt_s', low: 46, high: 70 }],
  titration: [
    { lt: 35, status: 'low', bolus_IU_kg: 80, rateChange_IU_kg_h: 4, label: '< 35 s (< 1.2 × control)' },
    { gte: 35, lt: 46, status: 'low', bolus_IU_kg: 40, rateChange_IU_kg_h: 2, label: '35–45 s (1.2–1.5 × control)' },
    { gte: 46, lte: 70, status: 'in', label: '46–70 s (1.5–2.3 × control)' },
    { gt: 70, lte: 90, status: 'high', rateChange_IU_kg_h: -2, label: '71–90 s (2.3–3.0 × control)' },
    { gt: 90, status: 'high', hold_min: 60, rateChange_IU_kg_h: -3, label: '> 90 s (> 3.0 × control)' },
  ],
  // aPTT 6 h after start and after every change; after two consecutive in-range values, daily. [V]
  recheck: { afterChange_min: 360, inRange_min: 360, consecutiveInRangeForStable: 2, stable_min: 1440 },
  initial: { bolus_IU_kg: 80, rate_IU_kg_h: 18 },
  countPurgeHeparin: true,
  notes: [
    'Derived in VTE patients; on MCS boluses are usually omitted or reduced (reference 7.5).',
    'Counting purge heparin in the total rate is the manufacturer rule for Impella (reference 7.1), not part of Raschke 1993.',
  ],
};

// University of Michigan Health System Anticoagulation Program: UFH dosing based on anti-Xa (VTE nomogram). [V]
const MICHIGAN_ANTIXA_VTE: AnticoagProtocolInput = {
  id: 'michigan-antixa-vte',
  name: 'Anti-Xa UFH nomogram, VTE (University of Michigan), 0.3–0.7 IU/mL',
  source: 'University of Michigan Health System Anticoagulation Program, UFH dosing guideline based on anti-Xa (VTE)',
  evidence: 'V',
  drug: 'ufh',
  titrationTest: 'anti_xa_IU_mL',
  targets: [{ test: 'anti_xa_IU_mL', low: 0.3, high: 0.7 }],
  titration: [
    { lt: 0.2, status: 'low', bolus_IU_kg: 80, rateChange_IU_kg_h: 1.5, label: '< 0.2' },
    { gte: 0.2, lt: 0.3, status: 'low', bolus_IU_kg: 40, rateChange_IU_kg_h: 1, label: '0.2–0.29' },
    { gte: 0.3, lte: 0.7, status: 'in', label: '0.3–0.7' },
    { gt: 0.7, lte: 0.8, status: 'high', rateChange_IU_kg_h: -1, label: '0.71–0.8' },
    { gt: 0.8, lt: 1.0, status: 'high', hold_min: 30, rateChange_IU_kg_h: -1.5, label: '0.81–0.99' },
    { gte: 1.0, status: 'high', hold_min: 60, rateChange_IU_kg_h: -3, label: '≥ 1.0' },
  ],
  // anti-Xa 6 h after start and after each change [V]; the stable interval is not stated in the reference: Raschke's
  // convention (two in range, then daily) is used [D].
  recheck: { afterChange_min: 360, inRange_min: 360, consecutiveInRangeForStable: 2, stable_min: 1440 },
  initial: { bolus_IU_kg: 80, bolusMax_IU: 10000, rate_IU_kg_h: 18, rateMax_IU_h: 1800 },
  countPurgeHeparin: true,
  notes: ['Derived in VTE patients; on MCS boluses are usually omitted or reduced (reference 7.5).'],
};

// Vandenbriele C, et al. J Am Coll Cardiol 2022;79:1949–1962 — UFH titrated on anti-Xa, aPTT drawn with every anti-Xa
// to expose coagulopathy; bands as applied by Van Edom et al., J Thromb Haemost 2025 [V]. The titration steps, sampling
// intervals and starting dose of the review could not be verified (reference 11, open item): the tables below are a
// design proposal [D] derived from the Michigan anti-Xa steps with boluses omitted (reference 7.5: "on MCS most
// protocols omit or reduce boluses and start lower"). A site should replace them with its own table.
const VANDENBRIELE_RECHECK = { afterChange_min: 360, inRange_min: 360, consecutiveInRangeForStable: 2, stable_min: 720 }; // [D]
const VANDENBRIELE_INITIAL = { bolus_IU_kg: 0, rate_IU_kg_h: 12 }; // [D] Michigan ACS starting rate, no bolus

const VANDENBRIELE_2022_LOW: AnticoagProtocolInput = {
  id: 'vandenbriele-2022-low',
  name: 'Parallel anti-Xa/aPTT strategy (Vandenbriele 2022), low band 0.20–0.30 IU/mL',
  source: 'Vandenbriele C, et al. J Am Coll Cardiol 2022;79:1949–1962; bands per Van Edom CJ, et al. J Thromb Haemost 2025',
  evidence: 'V',
  drug: 'ufh',
  titrationTest: 'anti_xa_IU_mL',
  targets: [
    { test: 'anti_xa_IU_mL', low: 0.2, high: 0.3 }, // [V]
    { test: 'aptt_s', low: 40, high: 55 }, // paired aPTT band [V]
  ],
  parallelTests: ['aptt_s'],
  titration: [
    { lt: 0.1, status: 'low', rateChange_IU_kg_h: 1.5, label: '< 0.10 [D]' },
    { gte: 0.1, lt: 0.2, status: 'low', rateChange_IU_kg_h: 1, label: '0.10–0.19 [D]' },
    { gte: 0.2, lte: 0.3, status: 'in', label: '0.20–0.30' },
    { gt: 0.3, lte: 0.5, status: 'high', rateChange_IU_kg_h: -1, label: '0.31–0.50 [D]' },
    { gt: 0.5, lte: 0.7, status: 'high', hold_min: 30, rateChange_IU_kg_h: -1.5, label: '0.51–0.70 [D]' },
    { gt: 0.7, status: 'high', hold_min: 60, rateChange_IU_kg_h: -3, label: '> 0.70 [D]' },
  ],
  recheck: VANDENBRIELE_RECHECK,
  initial: VANDENBRIELE_INITIAL,
  countPurgeHeparin: true,
  notes: [
    'Chosen for patients with a high bleeding risk (Van Edom 2025).',
    'Titration steps, recheck intervals and starting rate are design proposals [D]; the review text was not verified.',
  ],
};

const VANDENBRIELE_2022_STANDARD: AnticoagProtocolInput = {
  id: 'vandenbriele-2022-standard',
  name: 'Parallel anti-Xa/aPTT strategy (Vandenbriele 2022), standard band 0.31–0.50 IU/mL',
  source: 'Vandenbriele C, et al. J Am Coll Cardiol 2022;79:1949–1962; bands per Van Edom CJ, et al. J Thromb Haemost 2025',
  evidence: 'V',
  drug: 'ufh',
  titrationTest: 'anti_xa_IU_mL',
  targets: [
    { test: 'anti_xa_IU_mL', low: 0.31, high: 0.5 }, // [V]
    { test: 'aptt_s', low: 56, high: 80 }, // paired aPTT band [V]
  ],
  parallelTests: ['aptt_s'],
  titration: [
    { lt: 0.2, status: 'low', rateChange_IU_kg_h: 1.5, label: '< 0.20 [D]' },
    { gte: 0.2, lt: 0.31, status: 'low', rateChange_IU_kg_h: 1, label: '0.20–0.30 [D]' },
    { gte: 0.31, lte: 0.5, status: 'in', label: '0.31–0.50' },
    { gt: 0.5, lte: 0.7, status: 'high', rateChange_IU_kg_h: -1, label: '0.51–0.70 [D]' },
    { gt: 0.7, lte: 0.9, status: 'high', hold_min: 30, rateChange_IU_kg_h: -1.5, label: '0.71–0.90 [D]' },
    { gt: 0.9, status: 'high', hold_min: 60, rateChange_IU_kg_h: -3, label: '> 0.90 [D]' },
  ],
  recheck: VANDENBRIELE_RECHECK,
  initial: VANDENBRIELE_INITIAL,
  countPurgeHeparin: true,
  notes: [
    'Chosen for patients without a high bleeding risk (Van Edom 2025).',
    'Titration steps, recheck intervals and starting rate are design proposals [D]; the review text was not verified.',
  ],
};

// Monitoring-only protocols (target band, no titration table): the reference gives the bands, not dose steps.
const MONITOR_RECHECK = { afterChange_min: 360, inRange_min: 360, consecutiveInRangeForStable: 2, stable_min: 1440 }; // [D]

// Vandenbriele C, M'Pembele R, et al. Int J Cardiol 2024 — intermediate (40–60 s) vs therapeutic (60–80 s) aPTT. [V]
const APTT_INTERMEDIATE: AnticoagProtocolInput = {
  id: 'aptt-intermediate-40-60',
  name: 'aPTT-guided UFH, intermediate 40–60 s',
  source: "Vandenbriele C, M'Pembele R, et al. Int J Cardiol 2024;131690",
  evidence: 'V',
  drug: 'ufh',
  titrationTest: 'aptt_s',
  targets: [{ test: 'aptt_s', low: 40, high: 60 }],
  titration: [],
  recheck: MONITOR_RECHECK,
  countPurgeHeparin: true,
  notes: ['Monitoring only: no published titration table; the next step reports the band status only.'],
};

const APTT_THERAPEUTIC: AnticoagProtocolInput = {
  ...APTT_INTERMEDIATE,
  id: 'aptt-therapeutic-60-80',
  name: 'aPTT-guided UFH, therapeutic 60–80 s',
  targets: [{ test: 'aptt_s', low: 60, high: 80 }],
  notes: [
    'Monitoring only: no published titration table; the next step reports the band status only.',
    'In matched center groups this strategy had more major bleeding than 40–60 s (47.1 % vs 5.9 %) [V].',
  ],
};

// Manufacturer recommendation for Impella support: ACT 160–180 s. [V] ACT is not recommended for ICU titration
// (Vandenbriele, interview) [V].
const IMPELLA_ACT: AnticoagProtocolInput = {
  id: 'impella-act-160-180',
  name: 'ACT 160–180 s (manufacturer recommendation for Impella)',
  source: 'Abiomed/Johnson & Johnson MedTech Heart Recovery education (manufacturer recommendation)',
  evidence: 'V',
  drug: 'ufh',
  titrationTest: 'act_s',
  targets: [{ test: 'act_s', low: 160, high: 180 }],
  titration: [],
  recheck: MONITOR_RECHECK,
  countPurgeHeparin: true,
  notes: ['Monitoring only. ACT is not recommended for ICU titration (reference 7.2).'],
};

const INPUTS: Record<BundledProtocolId, AnticoagProtocolInput> = {
  'raschke-1993-aptt': RASCHKE_1993_APTT,
  'michigan-antixa-vte': MICHIGAN_ANTIXA_VTE,
  'vandenbriele-2022-low': VANDENBRIELE_2022_LOW,
  'vandenbriele-2022-standard': VANDENBRIELE_2022_STANDARD,
  'aptt-intermediate-40-60': APTT_INTERMEDIATE,
  'aptt-therapeutic-60-80': APTT_THERAPEUTIC,
  'impella-act-160-180': IMPELLA_ACT,
};

/** The bundled protocols, validated against the protocol schema once at load. */
export const BUNDLED_PROTOCOLS: Readonly<Record<BundledProtocolId, AnticoagProtocol>> = Object.fromEntries(
  BUNDLED_PROTOCOL_IDS.map((id) => [id, anticoagProtocolSchema.parse(INPUTS[id])]),
) as Record<BundledProtocolId, AnticoagProtocol>;

/** Look up a protocol by id among the bundled ones and any site-defined ones (site definitions win). */
export function findProtocol(
  id: string,
  siteProtocols: readonly AnticoagProtocol[] = [],
): AnticoagProtocol | undefined {
  const site = siteProtocols.find((p) => p.id === id);
  if (site) return site;
  return (BUNDLED_PROTOCOLS as Record<string, AnticoagProtocol>)[id];
}
