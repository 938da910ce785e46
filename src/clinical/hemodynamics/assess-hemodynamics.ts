// Episode-level hemodynamic profile at a time: every index of reference section 2 from the latest measurements,
// plus the vasoactive state (VIS, NEE). Which measurement is "current" is governed by named parameters.
import type { Reason, RuleResult } from '../rule-result.js';
import type { Episode, Observation, TMin } from '../episode/episode.js';
import { isoAt, lastAtOrBefore, lastRecordedMin } from '../episode/series.js';
import type { ObservationCode } from '../episode/observation-codes.js';
import {
  bodySurfaceArea,
  cardiacIndex,
  cardiacPowerIndex,
  cardiacPowerOutput,
  meanArterialPressure,
  pulmonaryArteryPulsatilityIndex,
  rapPcwpRatio,
  shockIndex,
  systemicVascularResistance,
  type BsaFormula,
  type CpoVariant,
} from './indices.js';
import { vasoactiveStateAt, type VasoactiveOptions, type VasoactiveState } from './vasoactive-course.js';

/** Site-tunable parameters of the hemodynamic profile [D]. */
export interface HemodynamicParameters extends VasoactiveOptions {
  /** A vital sign (HR, BP) counts as current for this many minutes. Default 60 [D]. */
  readonly vitalsMaxAgeMin: number;
  /** A PA-catheter value (RAP, PCWP, PA pressures, CO, CI, SvO2) counts as current for this many minutes. Default 360 [D]. */
  readonly pacMaxAgeMin: number;
  readonly bsaFormula: BsaFormula;
  readonly cpoVariant: CpoVariant;
}

export const DEFAULT_HEMODYNAMIC_PARAMETERS: HemodynamicParameters = {
  vitalsMaxAgeMin: 60,
  pacMaxAgeMin: 360,
  bsaFormula: 'mosteller',
  cpoVariant: 'map',
};

export interface HemodynamicProfile {
  readonly t_min: TMin;
  readonly time: string;
  readonly parameters: HemodynamicParameters;
  readonly map: RuleResult<number | null>;
  readonly shockIndex: RuleResult<number | null>;
  readonly bsa: RuleResult<number | null>;
  readonly cardiacIndex: RuleResult<number | null>;
  readonly cpo: RuleResult<number | null>;
  readonly cpi: RuleResult<number | null>;
  readonly papi: RuleResult<number | null>;
  readonly rapPcwp: RuleResult<number | null>;
  readonly svr: RuleResult<number | null>;
  readonly svo2_pct: number | null;
  /** How cardiac output was measured ('thermodilution' | 'fick' | 'device' | 'echo' ...), as recorded. */
  readonly coMethod?: string;
  readonly vasoactives: VasoactiveState;
  /** Measurements used, by code. */
  readonly used: Readonly<Partial<Record<ObservationCode, Observation>>>;
  /** All reasons of all indices. */
  readonly reasons: readonly Reason[];
  /** Inputs lacking for any index (deduplicated). */
  readonly missing: readonly string[];
}

const VITALS: readonly ObservationCode[] = ['heart_rate_per_min', 'sbp_mmHg', 'dbp_mmHg', 'map_mmHg'];
const PAC: readonly ObservationCode[] = ['rap_mmHg', 'pcwp_mmHg', 'pasp_mmHg', 'padp_mmHg', 'cardiac_output_L_min', 'cardiac_index_L_min_m2', 'svo2_pct'];

/** The hemodynamic profile of an episode at `atMin` (default: the last recorded time). */
export function assessHemodynamics(
  episode: Episode,
  options: { atMin?: TMin; parameters?: Partial<HemodynamicParameters> } = {},
): HemodynamicProfile {
  const p: HemodynamicParameters = { ...DEFAULT_HEMODYNAMIC_PARAMETERS, ...options.parameters };
  const at = options.atMin ?? lastRecordedMin(episode);
  const used: Partial<Record<ObservationCode, Observation>> = {};
  for (const c of VITALS) {
    const o = lastAtOrBefore(episode, c, at, p.vitalsMaxAgeMin);
    if (o) used[c] = o;
  }
  for (const c of PAC) {
    const o = lastAtOrBefore(episode, c, at, p.pacMaxAgeMin);
    if (o) used[c] = o;
  }
  const map = meanArterialPressure({ sbp_mmHg: used.sbp_mmHg, dbp_mmHg: used.dbp_mmHg, map_mmHg: used.map_mmHg });
  const mapValue = map.result ?? undefined;
  const mapTime = used.map_mmHg?.time ?? used.sbp_mmHg?.time;
  const mapMeasured = mapValue === undefined ? undefined : { value: mapValue, ...(mapTime ? { time: mapTime } : {}) };
  const bsa = bodySurfaceArea(episode.demographics, p.bsaFormula);
  const bsaValue = bsa.result ?? undefined;
  const ci = cardiacIndex({ cardiac_output_L_min: used.cardiac_output_L_min, cardiac_index_L_min_m2: used.cardiac_index_L_min_m2, bsa_m2: bsaValue });
  const cpo = cardiacPowerOutput({ map_mmHg: mapMeasured, cardiac_output_L_min: used.cardiac_output_L_min, rap_mmHg: used.rap_mmHg }, p.cpoVariant);
  const cpi = cardiacPowerIndex({ cpo_W: cpo.result ?? undefined, bsa_m2: bsaValue });
  const results = {
    map,
    shockIndex: shockIndex({ heart_rate_per_min: used.heart_rate_per_min, sbp_mmHg: used.sbp_mmHg }),
    bsa,
    cardiacIndex: ci,
    cpo,
    cpi,
    papi: pulmonaryArteryPulsatilityIndex({ pasp_mmHg: used.pasp_mmHg, padp_mmHg: used.padp_mmHg, rap_mmHg: used.rap_mmHg }),
    rapPcwp: rapPcwpRatio({ rap_mmHg: used.rap_mmHg, pcwp_mmHg: used.pcwp_mmHg }),
    svr: systemicVascularResistance({ map_mmHg: mapMeasured, rap_mmHg: used.rap_mmHg, cardiac_output_L_min: used.cardiac_output_L_min }),
  };
  const all = Object.values(results);
  const vasoactives = vasoactiveStateAt(episode, at, p);
  const missing = new Set<string>();
  for (const r of all) r.missing.forEach((m) => missing.add(m));
  if (!used.svo2_pct) missing.add('svo2_pct');
  return {
    t_min: at,
    time: isoAt(episode, at),
    parameters: p,
    ...results,
    svo2_pct: used.svo2_pct?.value ?? null,
    ...(used.cardiac_output_L_min?.method ? { coMethod: used.cardiac_output_L_min.method } : {}),
    vasoactives,
    used,
    reasons: [...all.flatMap((r) => r.reasons), ...vasoactives.vis.reasons, ...vasoactives.nee.reasons],
    missing: [...missing],
  };
}

/** Times (t_min) at which any PA-catheter value was recorded: where an invasive profile can be recomputed. */
export function pacMeasurementTimes(episode: Episode): TMin[] {
  const ts = new Set<number>();
  for (const o of episode.observations) if (PAC.includes(o.code)) ts.add(o.t_min);
  return [...ts].sort((a, b) => a - b);
}
