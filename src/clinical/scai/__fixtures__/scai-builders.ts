// Small builders for SCAI test inputs: observations by code at minutes since anchor.

import type { ScaiArrest, ScaiDevice, ScaiInfusion, ScaiInput, ScaiObservation } from '../scai-input.js';

export const obs = (code: string, t_min: number, value: number): ScaiObservation => ({ code, t_min, value });

export const vitals = (t_min: number, v: { sbp?: number; dbp?: number; map?: number; hr?: number }): ScaiObservation[] => [
  ...(v.sbp !== undefined ? [obs('sbp_mmHg', t_min, v.sbp)] : []),
  ...(v.dbp !== undefined ? [obs('dbp_mmHg', t_min, v.dbp)] : []),
  ...(v.map !== undefined ? [obs('map_mmHg', t_min, v.map)] : []),
  ...(v.hr !== undefined ? [obs('heart_rate_per_min', t_min, v.hr)] : []),
];

export const infusion = (drug: string, t_start_min: number, rate: number, t_end_min?: number): ScaiInfusion => ({
  drug, t_start_min, rate, rateUnit: drug === 'vasopressin' ? 'U/min' : 'ug/kg/min', ...(t_end_min !== undefined ? { t_end_min } : {}),
});

export const device = (kind: string, t_insert_min: number, t_remove_min?: number): ScaiDevice => ({
  kind, t_insert_min, ...(t_remove_min !== undefined ? { t_remove_min } : {}),
});

export function input(parts: {
  observations?: ScaiObservation[];
  infusions?: ScaiInfusion[];
  devices?: ScaiDevice[];
  arrests?: ScaiArrest[];
  weight_kg?: number;
  baselineCreatinine_mg_dL?: number;
}): ScaiInput {
  return {
    observations: parts.observations ?? [],
    infusions: parts.infusions ?? [],
    devices: parts.devices ?? [],
    arrests: parts.arrests ?? [],
    ...(parts.weight_kg !== undefined ? { weight_kg: parts.weight_kg } : {}),
    ...(parts.baselineCreatinine_mg_dL !== undefined ? { baselineCreatinine_mg_dL: parts.baselineCreatinine_mg_dL } : {}),
  };
}

/** A complete, normal status at time t: vitals, lactate, urine output, two flat creatinines. */
export function normalAt(t: number): ScaiObservation[] {
  return [
    ...vitals(t, { sbp: 120, map: 85, hr: 80 }),
    obs('lactate_mmol_L', t, 1.0),
    obs('urine_output_mL_h', t, 80),
    obs('creatinine_mg_dL', t - 60, 1.0),
    obs('creatinine_mg_dL', t, 1.0),
  ];
}
