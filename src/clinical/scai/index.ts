// Public surface of the SCAI SHOCK staging (clinical reference section 1).
export { SCAI_STAGES, stageScore, stageFromScore, maxStage, isShockStage, type ScaiStage } from './stage.js';
export { meets, type Threshold, type ThresholdOp } from './threshold.js';
export {
  JENTZER_2019, SCAI_2019, SCAI_2022, SCAI_RULE_SETS, SCAI_PAC_CRITERIA, scaiRuleSet,
  type ScaiRuleSet, type ScaiRuleSetId, type ScaiVersion, type PacCriteria, type VisVersion,
} from './rule-set.js';
export type { ScaiInput, ScaiObservation, ScaiInfusion, ScaiDevice, ScaiArrest } from './scai-input.js';
export { caModifier2019, caModifier2022, cardiacArrestModifier, comaAfterArrest, COMA_GCS_2022, type CaModifierResult } from './arrest-modifier.js';
export { evaluateBuildingBlocks, BLOCK_NAMES, COMPLETENESS_ITEMS, type BlockName, type CriterionResult, type EvaluationWindows, type BuildingBlocks } from './building-blocks.js';
export { assignScaiStage, stageConditions, type StageBounds } from './stage-assignment.js';
export { scaiStageAt, jentzerAdmissionStage, assessScaiWindows, trailingWindows, admissionWindows, type ScaiAssessment, type ScaiAtOptions } from './scai-assessment.js';
export { scaiTrajectory, type ScaiTrajectory, type ScaiTrajectoryOptions, type ScaiBlock, type ScaiDeviceStart } from './scai-trajectory.js';
export { assessScai, scaiInputFromEpisode, type AssessScaiOptions, type ScaiEpisodeAssessment } from './assess-scai.js';
