// Bleeding events of a synthetic patient: when they happen, where, and how severe, as a Poisson process whose rate
// follows the documented mechanisms (docs/synthetic-data.md):
//   access-site rate  = accessRatePerDay × Σ_access exp(logRrPerFrench × (French − 8)) × days the access is in place
//   systemic rate     = systemicRatePerDay × exp(coagulopathyLogRr × coagulopathy) × exposure days
//   both × exp(antiXaLogRrPerTenth × (mean true anti-Xa − 0.3) / 0.1) × exp(deviceLogRr[group])
// Larger bore (pump 14 Fr, ECMO 17 + 23 Fr vs IABP 7.5 Fr) and purge heparin not counted in the IV rate are how the
// pump bleeds more within a stage; severity acts through coagulopathy. Bleeding does not change the death hazard, so
// the device's effect on death stays exactly deviceLogHr.
import type { BleedingSite } from '../clinical/bleeding/bleeding-facts.js';
import type { BleedingGrade } from './patient-truth.js';
import type { Rng } from './prng.js';
import type { DeviceGroup, SynthParameters } from './synth-parameters.js';

export interface AccessLine {
  readonly device: 'iabp' | 'microaxial' | 'va_ecmo';
  readonly french: number;
  readonly vessel: 'femoral' | 'axillary';
  /** In place over [from, to] minutes since time zero. */
  readonly from: number;
  readonly to: number;
  /** ECMO cannulae bleed at the cannula site rather than a sheath access site. */
  readonly cannula: boolean;
}

export interface BleedingExposure {
  readonly deviceGroup: DeviceGroup;
  /** Window of exposure for non-access bleeding, minutes since time zero. */
  readonly from: number;
  readonly to: number;
  readonly accesses: readonly AccessLine[];
  readonly coagulopathy: number;
  /** Mean true anti-Xa on heparin, or null without heparin (counted as 0). */
  readonly meanTrueAntiXa: number | null;
}

export interface PlannedBleed {
  readonly t: number;
  readonly grade: BleedingGrade;
  readonly site: BleedingSite;
  readonly vessel?: 'femoral' | 'axillary';
  readonly relatedDevice: 'iabp' | 'microaxial' | 'va_ecmo' | 'none';
  /** Hemoglobin fall caused by the bleed, g/dL. */
  readonly hbDrop: number;
  readonly rbcUnits: number;
}

const SYSTEMIC_SITES: Readonly<Record<'gastrointestinal' | 'pulmonary' | 'retroperitoneal' | 'genitourinary' | 'intracranial' | 'other', number>> = {
  gastrointestinal: 0.4,
  pulmonary: 0.15,
  retroperitoneal: 0.1,
  genitourinary: 0.15,
  intracranial: 0.04,
  other: 0.16,
};

const DAY = 1440;

/** The expected number of bleeds and the planned bleeds (at most 3 per patient). */
export function planBleeds(p: SynthParameters['bleeding'], x: BleedingExposure, rng: Rng): { rate: number; bleeds: PlannedBleed[] } {
  const maxMin = p.maxExposureDays * DAY;
  const mult = Math.exp(p.antiXaLogRrPerTenth * (((x.meanTrueAntiXa ?? 0) - 0.3) / 0.1)) * Math.exp(p.deviceLogRr[x.deviceGroup]);
  const accessMu = x.accesses.map((a) => p.accessRatePerDay * Math.exp(p.logRrPerFrench * (a.french - 8)) * (Math.min(a.to - a.from, maxMin) / DAY) * mult);
  const exposure = Math.max(0, Math.min(x.to - x.from, maxMin));
  const systemicMu = p.systemicRatePerDay * Math.exp(p.coagulopathyLogRr * x.coagulopathy) * (exposure / DAY) * mult;
  const total = accessMu.reduce((s, m) => s + m, 0) + systemicMu;
  const n = Math.min(3, rng.poisson(total));
  const bleeds: PlannedBleed[] = [];
  // Severity shifts with coagulopathy and heparin intensity [D].
  const score = 0.4 * x.coagulopathy + 0.3 * (((x.meanTrueAntiXa ?? 0.2) - 0.3) / 0.1);
  for (let i = 0; i < n; i++) {
    let u = rng.next() * total;
    let access: AccessLine | undefined;
    for (let j = 0; j < x.accesses.length; j++) {
      u -= accessMu[j];
      if (u < 0) {
        access = x.accesses[j];
        break;
      }
    }
    const from = access ? access.from : x.from;
    const to = access ? Math.min(access.to, access.from + maxMin) : x.from + exposure;
    if (to - from < 120) continue;
    const t = Math.round(rng.uniform(Math.max(from, 60), to - 30));
    const site: BleedingSite = access ? (access.cannula ? 'cannula_site' : 'access_site') : rng.weighted(SYSTEMIC_SITES);
    let grade = rng.weighted<BleedingGrade>({
      minor: 0.35 * Math.exp(-0.3 * score),
      moderate: 0.35,
      major: 0.24 * Math.exp(0.3 * score),
      life_threatening: 0.06 * Math.exp(0.6 * score),
    });
    if (site === 'intracranial' && (grade === 'minor' || grade === 'moderate')) grade = 'major';
    const hbDrop = grade === 'minor' ? rng.uniform(0.3, 1.8) : grade === 'moderate' ? rng.uniform(1.5, 3.2) : grade === 'major' ? rng.uniform(3, 5.2) : rng.uniform(5, 7);
    const rbcUnits = grade === 'minor' ? 0 : grade === 'moderate' ? (rng.chance(0.6) ? rng.int(1, 2) : 0) : grade === 'major' ? rng.int(2, 4) : rng.int(4, 8);
    bleeds.push({
      t,
      grade,
      site,
      ...(access ? { vessel: access.vessel } : {}),
      relatedDevice: access ? access.device : 'none',
      hbDrop,
      rbcUnits,
    });
  }
  bleeds.sort((a, b) => a.t - b.t);
  return { rate: total, bleeds };
}
