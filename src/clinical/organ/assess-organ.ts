// Organ function of an episode at a time (clinical reference section 4): SOFA with its components, KDIGO AKI stage,
// lactate clearance and liver injury markers, each with its reasons and missing inputs.
import type { Episode, TMin } from '../episode/episode.js';
import { lastRecordedMin } from '../episode/series.js';
import { assessSofa, type SofaParameters, type SofaResult } from './sofa.js';
import { assessAki, type AkiParameters, type AkiResult } from './kdigo-aki.js';
import { assessLactateClearance, type LactateClearanceParameters, type LactateCourse } from './lactate-clearance.js';
import { assessLiverInjury, type LiverInjury } from './liver-injury.js';

export interface OrganParameters {
  readonly sofa?: Partial<SofaParameters>;
  readonly aki?: Partial<AkiParameters>;
  readonly lactate?: Partial<LactateClearanceParameters>;
}

export interface OrganFunction {
  readonly t_min: TMin;
  readonly sofa: SofaResult;
  readonly aki: AkiResult;
  readonly lactate: LactateCourse;
  /** Liver markers over the SOFA window. */
  readonly liver: LiverInjury;
  readonly missing: readonly string[];
}

export function assessOrganFunction(episode: Episode, options: { atMin?: TMin; parameters?: OrganParameters } = {}): OrganFunction {
  const at = options.atMin ?? lastRecordedMin(episode);
  const p = options.parameters ?? {};
  const sofa = assessSofa(episode, { atMin: at, ...(p.sofa ? { parameters: p.sofa } : {}) });
  const aki = assessAki(episode, { atMin: at, ...(p.aki ? { parameters: p.aki } : {}) });
  const lactate = assessLactateClearance(episode, p.lactate ? { parameters: p.lactate } : {});
  const liver = assessLiverInjury(episode, sofa.fromMin, sofa.toMin);
  return {
    t_min: at,
    sofa,
    aki,
    lactate,
    liver,
    missing: [...new Set([...sofa.missing, ...aki.missing, ...liver.missing])],
  };
}
