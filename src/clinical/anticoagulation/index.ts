// Public surface of the anticoagulation rules (clinical reference section 7).
export { assessAnticoagulation, heparinRecordsOf, type AnticoagulationAssessment, type AssessAnticoagulationOptions, type ProtocolPeriod } from './assess.js';
export { formatAnticoagulationSummary } from './summary.js';
export {
  anticoagProtocolSchema,
  targetBandSchema,
  titrationRowSchema,
  BUNDLED_PROTOCOL_IDS,
  MONITORING_TESTS,
  type AnticoagProtocol,
  type AnticoagProtocolInput,
  type BundledProtocolId,
  type MonitoringTest,
  type TargetBand,
  type TitrationRow,
} from './protocol.js';
export { BUNDLED_PROTOCOLS, findProtocol } from './protocols.js';
export { DEFAULT_ANTICOAG_RULESET, DECISION_SUPPORT_LABEL, type AnticoagRuleSet } from './parameters.js';
export { classifyAgainstBand, findTitrationRow, type BandStatus } from './band.js';
export { pairAntiXaAptt, type SamplePair, type Pairing } from './pairing.js';
export { classifyPair, PAIR_PATTERNS, DISCORDANT_PATTERNS, PATTERN_INTERPRETATION, type PairClassification, type PairPattern, type LikelyCause } from './discordance.js';
export { recommendNextStep, type NextStep, type NextStepAction } from './next-step.js';
export { heparinExposure, heparinRateAt, heparinDoseBetween, type HeparinExposure, type HeparinRate, type HeparinDose } from './heparin-exposure.js';
export { flagHeparinResistance, type HeparinResistance } from './heparin-resistance.js';
export { rosendaalTtr, discordanceTime, type TtrResult, type DiscordanceTimeResult, type BandSegment, type ExcludedInterval } from './ttr.js';
export { protocolTimeline, activeProtocolAt, effectiveBands, type ActiveProtocol } from './protocol-timeline.js';
export type { LabSample, HeparinInfusion, PurgeSegment, HeparinBolus, HeparinRecords, ProtocolInForce } from './inputs.js';
