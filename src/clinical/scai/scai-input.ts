// Narrow inputs of the SCAI rules: what the staging needs from a shock episode, nothing more.
// Times are minutes since the episode anchor (`t_min`); values are in the canonical units named by the codes of
// src/clinical/episode/observation-codes.ts (e.g. 'lactate_mmol_L', 'sbp_mmHg').

/** One timestamped observation in its canonical unit. */
export interface ScaiObservation {
  readonly code: string;
  readonly value: number;
  readonly t_min: number;
  /** ISO 8601 time as given, carried into the reasons. */
  readonly time?: string;
  /** The lab reported "> value" ('gt') or "< value" ('lt'); the value is used as recorded (a bound). */
  readonly censored?: 'gt' | 'lt';
}

/** A continuous infusion at a constant rate over [t_start_min, t_end_min) (open end: still running). */
export interface ScaiInfusion {
  /** Drug name as in src/clinical/episode/infusion-drugs.ts, e.g. 'norepinephrine', 'vasopressin'. */
  readonly drug: string;
  readonly t_start_min: number;
  readonly t_end_min?: number;
  /** Rate in the canonical unit: ug/kg/min for catecholamines and milrinone, U/min for vasopressin. */
  readonly rate: number;
  readonly rateUnit: string;
  readonly time?: string;
}

/** A mechanical circulatory support device in place over [t_insert_min, t_remove_min]. */
export interface ScaiDevice {
  /** 'iabp' | 'microaxial' | 'va_ecmo' | 'other' (episode format). */
  readonly kind: string;
  readonly t_insert_min: number;
  readonly t_remove_min?: number;
  readonly time?: string;
  /** Free label for reasons, e.g. 'Impella CP'. */
  readonly label?: string;
}

/** A cardiac arrest event (clinical reference 1.2). */
export interface ScaiArrest {
  readonly t_min: number;
  readonly time?: string;
  /** Glasgow Coma Scale after the arrest (after return of circulation), 3..15. */
  readonly gcsAfter?: number;
  /** Clinician-recorded coma (cannot respond to verbal stimuli) after the arrest. */
  readonly comaAfterArrest?: boolean;
  readonly setting?: 'OHCA' | 'IHCA';
  /** Time of return of spontaneous circulation, when known: CPR is ongoing over [t_min, t_rosc_min]. */
  readonly t_rosc_min?: number;
}

/** Everything the SCAI staging reads. Infusion, device and arrest lists are taken as complete records. */
export interface ScaiInput {
  readonly observations: readonly ScaiObservation[];
  readonly infusions: readonly ScaiInfusion[];
  readonly devices: readonly ScaiDevice[];
  readonly arrests: readonly ScaiArrest[];
  /** Body weight, needed to turn vasopressin U/min into U/kg/min for the vasoactive-inotropic score. */
  readonly weight_kg?: number;
  /** Baseline creatinine (reference 1.6 rule 5); when absent the lowest value of the prior 7 days is used. */
  readonly baselineCreatinine_mg_dL?: number;
  /** The patient's usual systolic pressure, for the SCAI "fall > 30 mmHg from baseline" criterion when enabled. */
  readonly baselineSbp_mmHg?: number;
  /** Start of the observation period in minutes since anchor (windows never reach before it). Default: the
   * earliest record, or 0 if that is later. */
  readonly observationStartMin?: number;
}
