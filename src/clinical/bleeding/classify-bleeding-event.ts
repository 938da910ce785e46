// One bleeding event classified under every definition at once, from the one set of facts (clinical reference 5,
// recommendation [D]: store raw facts once, derive BARC, GUSTO, TIMI, ISTH and VARC-2 as pure functions of them).

import type { Reason, RuleResult } from '../rule-result.js';
import { classifyBarc } from './barc.js';
import type { BleedingFacts } from './bleeding-facts.js';
import { classifyGusto } from './gusto.js';
import type { HbDrop } from './hb-drop.js';
import { transfusionCorrectedHbDrop } from './hb-drop.js';
import { classifyIsth } from './isth.js';
import type { BleedingClassResult } from './resolved-facts.js';
import { resolveFacts, unknownFacts } from './resolved-facts.js';
import type { BarcClass, BleedingRuleSet, GustoClass, IsthClass, TimiClass, Varc2Class } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';
import { classifyTimi, timiRequiringMedicalAttention } from './timi.js';
import { classifyVarc2 } from './varc2.js';

/** Every definition's class for one event, with the Hb drop they used. */
export interface BleedingEventClassification {
  readonly ruleSet: { readonly name: string; readonly version: string };
  readonly hbDrop: RuleResult<HbDrop>;
  readonly barc: BleedingClassResult<BarcClass>;
  readonly gusto: BleedingClassResult<GustoClass>;
  readonly timi: BleedingClassResult<TimiClass>;
  readonly isth: BleedingClassResult<IsthClass>;
  readonly varc2: BleedingClassResult<Varc2Class>;
  /** Later TIMI versions' "requiring medical attention" flag (reference 5.4); 'unknown' if it depends on unrecorded facts. */
  readonly timiRequiringMedicalAttention: boolean | 'unknown';
  /** Hb drop may partly reflect hemodilution (reference 5.1): review before reporting Hb-based classes. */
  readonly hemodilutionSuspected: boolean;
  /** Union of the reasons of all definitions (each tagged by its criterion id). */
  readonly reasons: readonly Reason[];
  /** Union of the facts any definition lacked. */
  readonly missing: readonly string[];
}

/** Classify one bleeding event under BARC, GUSTO, TIMI, ISTH and VARC-2 from its facts. */
export function classifyBleedingEvent(
  facts: BleedingFacts,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
): BleedingEventClassification {
  const hbDrop = transfusionCorrectedHbDrop(facts, ruleSet);
  const hb = hbDrop.result;
  const barc = classifyBarc(facts, ruleSet, hb);
  const gusto = classifyGusto(facts, ruleSet, hb);
  const timi = classifyTimi(facts, ruleSet, hb);
  const isth = classifyIsth(facts, ruleSet, hb);
  const varc2 = classifyVarc2(facts, ruleSet, hb);
  const recorded = timiRequiringMedicalAttention(resolveFacts(facts, hb, new Set()));
  const worst = timiRequiringMedicalAttention(resolveFacts(facts, hb, new Set(unknownFacts(facts, hb))));
  const all = [barc, gusto, timi, isth, varc2];
  return {
    ruleSet: { name: ruleSet.name, version: ruleSet.version },
    hbDrop,
    barc,
    gusto,
    timi,
    isth,
    varc2,
    timiRequiringMedicalAttention: recorded ? true : worst ? 'unknown' : false,
    hemodilutionSuspected: hb.hemodilutionSuspected,
    reasons: [...hbDrop.reasons, ...all.flatMap((r) => r.reasons)],
    missing: [...new Set(all.flatMap((r) => r.missing))],
  };
}
