// Patient-level bleeding summary: worst class per definition and time to the first major bleed per definition
// (issue 3; analysis convention of reference 5.2: BARC "major" = 3–5). Which class counts as "major" for each
// definition is the rule-set parameter `majorFrom` [D].

import type { Reason } from '../rule-result.js';
import type { BleedingEventClassification } from './classify-bleeding-event.js';
import type { BarcClass, BleedingRuleSet, GustoClass, IsthClass, TimiClass, Varc2Class } from './rule-set.js';
import {
  BARC_ORDER,
  DEFAULT_BLEEDING_RULE_SET,
  GUSTO_ORDER,
  ISTH_ORDER,
  TIMI_ORDER,
  VARC2_ORDER,
  classRank,
  worseClass,
} from './rule-set.js';

/** A classified event placed in time. */
export interface TimedBleedingClassification {
  /** Index of the event in the episode's `events` (or in the caller's list). */
  readonly index: number;
  readonly time: string;
  /** Minutes since the episode's anchor. */
  readonly t_min: number;
  readonly classification: BleedingEventClassification;
}

/** First event at or above the definition's "major" class. */
export interface FirstMajorBleed {
  readonly index: number;
  readonly time: string;
  /** Minutes since the anchor (the time-to-event for analysis). */
  readonly t_min: number;
  readonly cls: string;
}

export interface DefinitionSummary<C extends string> {
  readonly definition: string;
  /** Worst recorded class over all events ('0' / 'none' without events). */
  readonly worst: C;
  /** Worst upper bound (what the worst class could be if unrecorded facts were the worst). */
  readonly worstUpperBound: C;
  /** Number of events per class. */
  readonly counts: Readonly<Record<C, number>>;
  /** Lowest class counted as major for this definition (rule-set `majorFrom`). */
  readonly majorFrom: C;
  /** First event whose recorded class is major; null if none. */
  readonly firstMajor: FirstMajorBleed | null;
  /** First event that could be major given unrecorded facts, when earlier than (or instead of) `firstMajor`. */
  readonly firstPossibleMajor: FirstMajorBleed | null;
}

export interface BleedingSummary {
  readonly eventCount: number;
  readonly barc: DefinitionSummary<BarcClass>;
  readonly gusto: DefinitionSummary<GustoClass>;
  readonly timi: DefinitionSummary<TimiClass>;
  readonly isth: DefinitionSummary<IsthClass>;
  readonly varc2: DefinitionSummary<Varc2Class>;
  readonly reasons: readonly Reason[];
  readonly missing: readonly string[];
}

type Key = 'barc' | 'gusto' | 'timi' | 'isth' | 'varc2';

function summarizeOne<C extends string>(
  key: Key,
  name: string,
  order: readonly C[],
  majorFrom: C,
  events: readonly TimedBleedingClassification[],
): DefinitionSummary<C> {
  const counts = Object.fromEntries(order.map((c) => [c, 0])) as Record<C, number>;
  let worst = order[0];
  let worstUpper = order[0];
  let firstMajor: FirstMajorBleed | null = null;
  let firstPossible: FirstMajorBleed | null = null;
  const sorted = [...events].sort((a, b) => a.t_min - b.t_min || a.index - b.index);
  for (const e of sorted) {
    const r = e.classification[key] as unknown as { result: C; upperBound: C };
    counts[r.result] += 1;
    worst = worseClass(order, worst, r.result);
    worstUpper = worseClass(order, worstUpper, r.upperBound);
    if (!firstMajor && classRank(order, r.result) >= classRank(order, majorFrom)) {
      firstMajor = { index: e.index, time: e.time, t_min: e.t_min, cls: r.result };
    }
    if (!firstPossible && classRank(order, r.upperBound) >= classRank(order, majorFrom)) {
      firstPossible = { index: e.index, time: e.time, t_min: e.t_min, cls: r.upperBound };
    }
  }
  const possible = firstPossible && (!firstMajor || firstPossible.t_min < firstMajor.t_min) ? firstPossible : null;
  return {
    definition: name,
    worst,
    worstUpperBound: worstUpper,
    counts,
    majorFrom,
    firstMajor,
    firstPossibleMajor: possible,
  };
}

/** Summarize classified events: worst class and time to first major bleed under each definition. */
export function summarizeBleeding(
  events: readonly TimedBleedingClassification[],
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
): BleedingSummary {
  const m = ruleSet.majorFrom;
  const barc = summarizeOne('barc', 'BARC', BARC_ORDER, m.barc, events);
  const gusto = summarizeOne('gusto', 'GUSTO', GUSTO_ORDER, m.gusto, events);
  const timi = summarizeOne('timi', 'TIMI', TIMI_ORDER, m.timi, events);
  const isth = summarizeOne('isth', 'ISTH', ISTH_ORDER, m.isth, events);
  const varc2 = summarizeOne('varc2', 'VARC-2', VARC2_ORDER, m.varc2, events);
  const reasons: Reason[] = [];
  if (events.length === 0) {
    reasons.push({ criterion: 'no_bleeding_events', text: 'no bleeding event recorded: BARC 0 under every definition' });
  }
  for (const s of [barc, gusto, timi, isth, varc2]) {
    reasons.push({
      criterion: `${s.definition.toLowerCase().replace('-', '')}_worst`,
      text:
        `${s.definition}: worst ${s.worst}` +
        (s.worstUpperBound !== s.worst ? ` (could be up to ${s.worstUpperBound})` : '') +
        (s.firstMajor ? `; first major (≥ ${s.majorFrom}) at ${s.firstMajor.time} (${s.firstMajor.t_min} min)` : '; no major bleed'),
      value: s.worst,
      ...(s.firstMajor ? { time: s.firstMajor.time } : {}),
    });
  }
  return {
    eventCount: events.length,
    barc,
    gusto,
    timi,
    isth,
    varc2,
    reasons,
    missing: [...new Set(events.flatMap((e) => e.classification.missing))],
  };
}
