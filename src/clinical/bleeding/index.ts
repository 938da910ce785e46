// Public surface of the bleeding rules (clinical reference 5).
export {
  bleedingFactsSchema,
  bleedingFactsWarnings,
  BLEEDING_SITES,
  type BleedingFacts,
  type BleedingFactsInput,
  type BleedingSite,
} from './bleeding-facts.js';
export { transfusionCorrectedHbDrop, type HbDrop } from './hb-drop.js';
export { classifyBarc } from './barc.js';
export { classifyGusto } from './gusto.js';
export { classifyTimi } from './timi.js';
export { classifyIsth } from './isth.js';
export { classifyVarc2 } from './varc2.js';
export type { BleedingClassResult } from './resolved-facts.js';
export { classifyBleedingEvent, type BleedingEventClassification } from './classify-bleeding-event.js';
export { summarizeBleeding, type BleedingSummary, type DefinitionSummary } from './bleeding-summary.js';
export { assessBleeding, completeBleedingFacts, type BleedingAssessment, type AssessedBleedingEvent } from './assess-bleeding.js';
export {
  DEFAULT_BLEEDING_RULE_SET,
  BARC_ORDER,
  GUSTO_ORDER,
  TIMI_ORDER,
  ISTH_ORDER,
  VARC2_ORDER,
  type BleedingRuleSet,
  type BarcClass,
  type GustoClass,
  type TimiClass,
  type IsthClass,
  type Varc2Class,
} from './rule-set.js';
