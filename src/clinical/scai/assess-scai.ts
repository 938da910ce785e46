// Episode-level entry point of the SCAI staging: maps a parsed Episode (src/clinical/episode) onto the narrow
// SCAI input and returns the stage at a requested time plus the trajectory over the first 24 h (reference 1.1–1.6).

import type { Reason, RuleResult } from '../rule-result.js';
import { minutesBetween, type Episode } from '../episode/episode.js';
import { SCAI_RULE_SETS, type ScaiRuleSet, type ScaiRuleSetId } from './rule-set.js';
import { jentzerAdmissionStage, scaiStageAt, type ScaiAssessment } from './scai-assessment.js';
import type { ScaiArrest, ScaiInput } from './scai-input.js';
import { scaiTrajectory, type ScaiTrajectory, type ScaiTrajectoryOptions } from './scai-trajectory.js';

export interface AssessScaiOptions {
  /** A preset id or a full (site) rule set; default 'scai2022'. */
  readonly ruleSet?: ScaiRuleSetId | ScaiRuleSet;
  /** Stage at this time, minutes since the anchor ... */
  readonly atMin?: number;
  /** ... or at this ISO 8601 time (with offset). */
  readonly at?: string;
  readonly trajectory?: ScaiTrajectoryOptions;
}

export interface ScaiEpisodeAssessment {
  readonly episodeId: string;
  readonly anchor: Episode['anchor'];
  readonly ruleSetId: string;
  readonly version: ScaiRuleSet['version'];
  /** The stage at the requested time, when one was requested. */
  readonly at?: ScaiAssessment;
  /** Jentzer's admission assessment (first hour / first 24 h after the anchor), when the anchor is an admission. */
  readonly admission?: ScaiAssessment;
  readonly trajectory: ScaiTrajectory;
}

/** The narrow SCAI input of an episode. Arrest CPR ends at t + durationMin when the duration is recorded. */
export function scaiInputFromEpisode(episode: Episode): ScaiInput {
  const arrests: ScaiArrest[] = [];
  for (const e of episode.events) {
    if (e.kind !== 'cardiac_arrest') continue;
    arrests.push({
      t_min: e.t_min,
      time: e.time,
      ...(e.gcsAfter !== undefined ? { gcsAfter: e.gcsAfter } : {}),
      ...(e.comaAfterArrest !== undefined ? { comaAfterArrest: e.comaAfterArrest } : {}),
      ...(e.setting !== undefined ? { setting: e.setting } : {}),
      ...(e.durationMin !== undefined ? { t_rosc_min: e.t_min + e.durationMin } : {}),
    });
  }
  const baselineCr = episode.clinical.baselineCreatinine?.value_mg_dL;
  const baselineSbp = episode.clinical.baselineSbp_mmHg;
  return {
    observations: episode.observations.map((o) => ({ code: o.code, value: o.value, t_min: o.t_min, time: o.time, ...(o.censored ? { censored: o.censored } : {}) })),
    infusions: episode.infusions
      .filter((i) => i.kind === 'vasopressor_inotrope')
      .map((i) => ({ drug: i.drug, t_start_min: i.t_start_min, rate: i.rate, rateUnit: i.rateUnit, time: i.start, ...(i.t_end_min !== undefined ? { t_end_min: i.t_end_min } : {}) })),
    devices: episode.devices.map((d) => ({
      kind: d.kind,
      t_insert_min: d.t_insertion_min,
      time: d.insertion,
      label: d.kind === 'microaxial' ? d.model : d.kind === 'other' ? d.description : d.kind === 'iabp' ? 'IABP' : 'VA-ECMO',
      ...(d.t_removal_min !== undefined ? { t_remove_min: d.t_removal_min } : {}),
    })),
    arrests,
    ...(episode.demographics.weight_kg !== undefined ? { weight_kg: episode.demographics.weight_kg } : {}),
    ...(baselineCr !== undefined ? { baselineCreatinine_mg_dL: baselineCr } : {}),
    ...(typeof baselineSbp === 'number' ? { baselineSbp_mmHg: baselineSbp } : {}),
  };
}

/** SCAI SHOCK staging of an episode: stage at a time (optional), Jentzer admission stage, 24-h trajectory. */
export function assessScai(episode: Episode, options: AssessScaiOptions = {}): RuleResult<ScaiEpisodeAssessment> {
  const rs = typeof options.ruleSet === 'object' ? options.ruleSet : SCAI_RULE_SETS[options.ruleSet ?? 'scai2022'];
  const input = scaiInputFromEpisode(episode);
  const atMin = options.atMin ?? (options.at !== undefined ? minutesBetween(episode.anchor.time, options.at) : undefined);
  const at = atMin !== undefined && Number.isFinite(atMin) ? scaiStageAt(input, atMin, rs) : undefined;
  const isAdmission = episode.anchor.kind === 'admission' || episode.anchor.kind === 'cicu_admission';
  const admission = isAdmission ? jentzerAdmissionStage(input, rs, 0) : undefined;
  const trajectory = scaiTrajectory(input, rs, options.trajectory);
  const reasons: Reason[] = [...(at?.reasons ?? []), ...trajectory.reasons];
  const missing = new Set<string>([...(at?.missing ?? []), ...trajectory.missing]);
  return {
    result: {
      episodeId: episode.id,
      anchor: episode.anchor,
      ruleSetId: rs.id,
      version: rs.version,
      ...(at !== undefined ? { at: at.result } : {}),
      ...(admission !== undefined ? { admission: admission.result } : {}),
      trajectory: trajectory.result,
    },
    reasons,
    missing: [...missing].sort(),
  };
}
