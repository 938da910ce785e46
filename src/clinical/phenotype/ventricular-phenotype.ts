// Ventricular congestion phenotype from invasive hemodynamics (clinical reference 3.3; Thayer et al., Circ Heart Fail
// 2020 congestion profiles): LV-dominant, RV-dominant, biventricular or no congestion, plus RV-involvement markers.
// The 14/18 mmHg cut-offs are [R] (an open item, reference 11): they are parameters. Recomputed at each PAC time.
import type { Reason, RuleResult } from '../rule-result.js';
import type { Episode, TMin } from '../episode/episode.js';
import { isoAt, lastAtOrBefore } from '../episode/series.js';
import { PAPI_INFERIOR_MI_RV_FAILURE, PAPI_SCAI_C, RAP_PCWP_SCAI_C, pulmonaryArteryPulsatilityIndex, rapPcwpRatio } from '../hemodynamics/indices.js';
import { pacMeasurementTimes } from '../hemodynamics/assess-hemodynamics.js';
import { formatValue } from '../format-value.js';

/** RAP elevated above 14 mmHg (Thayer 2020) [R]. */
export const RAP_ELEVATED_MMHG = 14;
/** PCWP elevated above 18 mmHg (Thayer 2020) [R]. */
export const PCWP_ELEVATED_MMHG = 18;

export interface VentricularPhenotypeParameters {
  /** RAP counts as elevated when > this value (mmHg). */
  readonly rapElevatedAbove_mmHg: number;
  /** PCWP counts as elevated when > this value (mmHg). */
  readonly pcwpElevatedAbove_mmHg: number;
  /** PA-catheter values older than this (minutes) are not combined. Default 60 [D]. */
  readonly pacMaxAgeMin: number;
}

export const DEFAULT_VENTRICULAR_PARAMETERS: VentricularPhenotypeParameters = {
  rapElevatedAbove_mmHg: RAP_ELEVATED_MMHG,
  pcwpElevatedAbove_mmHg: PCWP_ELEVATED_MMHG,
  pacMaxAgeMin: 60,
};

export type CongestionProfile = 'lv_dominant' | 'rv_dominant' | 'biventricular' | 'no_congestion' | 'indeterminate';
/** LV / RV / biventricular failure label as far as hemodynamics allow. */
export type VentricularInvolvement = 'LV' | 'RV' | 'biventricular' | 'none' | 'indeterminate';

export interface VentricularPhenotype {
  readonly t_min: TMin;
  readonly time: string;
  readonly congestion: CongestionProfile;
  readonly involvement: VentricularInvolvement;
  readonly rap_mmHg: number | null;
  readonly pcwp_mmHg: number | null;
  readonly rapPcwp: number | null;
  readonly papi: number | null;
  /** Any RV-involvement marker (RAP/PCWP ≥ 0.8, PAPi < 1.85, PAPi < 0.9 in inferior MI). */
  readonly rvMarkers: readonly string[];
}

export function classifyVentricularPhenotype(
  episode: Episode,
  options: { atMin: TMin; parameters?: Partial<VentricularPhenotypeParameters> },
): RuleResult<VentricularPhenotype> {
  const p = { ...DEFAULT_VENTRICULAR_PARAMETERS, ...options.parameters };
  const at = options.atMin;
  const get = (c: 'rap_mmHg' | 'pcwp_mmHg' | 'pasp_mmHg' | 'padp_mmHg') => lastAtOrBefore(episode, c, at, p.pacMaxAgeMin);
  const rap = get('rap_mmHg');
  const pcwp = get('pcwp_mmHg');
  const reasons: Reason[] = [];
  const missing: string[] = [];
  if (!rap) missing.push('rap_mmHg');
  if (!pcwp) missing.push('pcwp_mmHg');
  const rapHigh = rap ? rap.value > p.rapElevatedAbove_mmHg : undefined;
  const pcwpHigh = pcwp ? pcwp.value > p.pcwpElevatedAbove_mmHg : undefined;
  if (rap) reasons.push({ criterion: rapHigh ? 'rap_elevated' : 'rap_not_elevated', text: `RAP ${formatValue(rap.value)} ${rapHigh ? '>' : '≤'} ${p.rapElevatedAbove_mmHg} mmHg`, value: rap.value, unit: 'mm[Hg]', time: rap.time });
  if (pcwp) reasons.push({ criterion: pcwpHigh ? 'pcwp_elevated' : 'pcwp_not_elevated', text: `PCWP ${formatValue(pcwp.value)} ${pcwpHigh ? '>' : '≤'} ${p.pcwpElevatedAbove_mmHg} mmHg`, value: pcwp.value, unit: 'mm[Hg]', time: pcwp.time });
  let congestion: CongestionProfile = 'indeterminate';
  if (rapHigh !== undefined && pcwpHigh !== undefined) {
    congestion = rapHigh && pcwpHigh ? 'biventricular' : pcwpHigh ? 'lv_dominant' : rapHigh ? 'rv_dominant' : 'no_congestion';
  }
  const ratio = rapPcwpRatio({ rap_mmHg: rap, pcwp_mmHg: pcwp });
  const papi = pulmonaryArteryPulsatilityIndex({ pasp_mmHg: get('pasp_mmHg'), padp_mmHg: get('padp_mmHg'), rap_mmHg: rap });
  const rvMarkers: string[] = [];
  if (ratio.result !== null && ratio.result >= RAP_PCWP_SCAI_C) rvMarkers.push(`RAP/PCWP ${ratio.result} ≥ ${RAP_PCWP_SCAI_C}`);
  if (papi.result !== null && papi.result < PAPI_SCAI_C) rvMarkers.push(`PAPi ${papi.result} < ${PAPI_SCAI_C}`);
  if (papi.result !== null && papi.result < PAPI_INFERIOR_MI_RV_FAILURE && episode.clinical.infarctLocation === 'inferior') {
    rvMarkers.push(`PAPi ${papi.result} < ${PAPI_INFERIOR_MI_RV_FAILURE} in inferior MI`);
  }
  for (const m of rvMarkers) reasons.push({ criterion: 'rv_marker', text: m });
  // Involvement [D]: RV when RV-dominant/biventricular congestion or any RV marker; LV when PCWP is elevated.
  const rv = congestion === 'rv_dominant' || congestion === 'biventricular' || rvMarkers.length > 0;
  const lv = pcwpHigh === true;
  const involvement: VentricularInvolvement =
    rv && lv ? 'biventricular' : rv ? 'RV' : lv ? 'LV' : congestion === 'indeterminate' ? 'indeterminate' : 'none';
  reasons.push({ criterion: `phenotype_${congestion}`, text: `congestion profile ${congestion}; ventricular involvement ${involvement}` });
  return {
    result: {
      t_min: at,
      time: isoAt(episode, at),
      congestion,
      involvement,
      rap_mmHg: rap?.value ?? null,
      pcwp_mmHg: pcwp?.value ?? null,
      rapPcwp: ratio.result,
      papi: papi.result,
      rvMarkers,
    },
    reasons,
    missing: [...missing, ...papi.missing.filter((m) => m !== 'rap_mmHg')],
  };
}

/** The phenotype at every PA-catheter measurement time (phenotype is time-varying, reference 3.3). */
export function ventricularPhenotypeSeries(episode: Episode, parameters?: Partial<VentricularPhenotypeParameters>): RuleResult<VentricularPhenotype>[] {
  return pacMeasurementTimes(episode).map((t) => classifyVentricularPhenotype(episode, { atMin: t, ...(parameters ? { parameters } : {}) }));
}
