// Phenotype of an episode at a time (clinical reference section 3): SHARC category, normotensive vs hypotensive CS,
// and the ventricular (LV / RV / biventricular) phenotype at the last PA-catheter set and over time.
import type { RuleResult } from '../rule-result.js';
import type { Episode, TMin } from '../episode/episode.js';
import { lastRecordedMin } from '../episode/series.js';
import { classifySharcCategory, type SharcClassification } from './sharc-category.js';
import { classifyBloodPressurePhenotype, type BloodPressurePhenotypeParameters, type BloodPressurePhenotypeResult } from './blood-pressure-phenotype.js';
import { classifyVentricularPhenotype, ventricularPhenotypeSeries, type VentricularPhenotype, type VentricularPhenotypeParameters } from './ventricular-phenotype.js';
import { pacMeasurementTimes } from '../hemodynamics/assess-hemodynamics.js';

export interface PhenotypeParameters {
  readonly bloodPressure?: Partial<BloodPressurePhenotypeParameters>;
  readonly ventricular?: Partial<VentricularPhenotypeParameters>;
}

export interface Phenotype {
  readonly t_min: TMin;
  readonly sharc: RuleResult<SharcClassification>;
  readonly bloodPressure: RuleResult<BloodPressurePhenotypeResult>;
  /** At the last PA-catheter set at or before the time; null result when there is none. */
  readonly ventricular: RuleResult<VentricularPhenotype | null>;
  readonly ventricularSeries: readonly RuleResult<VentricularPhenotype>[];
  readonly missing: readonly string[];
}

export function assessPhenotype(episode: Episode, options: { atMin?: TMin; parameters?: PhenotypeParameters } = {}): Phenotype {
  const at = options.atMin ?? lastRecordedMin(episode);
  const p = options.parameters ?? {};
  const sharc = classifySharcCategory(episode.clinical);
  const bloodPressure = classifyBloodPressurePhenotype(episode, { atMin: at, ...(p.bloodPressure ? { parameters: p.bloodPressure } : {}) });
  const lastPac = pacMeasurementTimes(episode).filter((t) => t <= at).pop();
  const ventricular: RuleResult<VentricularPhenotype | null> =
    lastPac === undefined
      ? { result: null, reasons: [{ criterion: 'no_pa_catheter', text: 'no PA-catheter measurement: ventricular phenotype cannot be determined' }], missing: ['rap_mmHg', 'pcwp_mmHg'] }
      : classifyVentricularPhenotype(episode, { atMin: lastPac, ...(p.ventricular ? { parameters: p.ventricular } : {}) });
  const ventricularSeries = ventricularPhenotypeSeries(episode, p.ventricular).filter((r) => r.result.t_min <= at);
  return {
    t_min: at,
    sharc,
    bloodPressure,
    ventricular,
    ventricularSeries,
    missing: [...new Set([...sharc.missing, ...bloodPressure.missing, ...ventricular.missing])],
  };
}
