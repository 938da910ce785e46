// Episode-level bleeding assessment: each bleeding event's facts are completed from the rest of the episode
// (hemoglobin observations, transfusion events, death events) and classified under every definition; then the
// patient-level summary. Clinical reference 5.1–5.6. Facts recorded on the event always win over derived ones.

import type { Reason } from '../rule-result.js';
import type { BleedingEvent, Episode, EpisodeEvent, Observation, TransfusionEvent } from '../episode/episode.js';
import { minutesBetween } from '../episode/episode.js';
import type { BleedingFacts } from './bleeding-facts.js';
import type { BleedingEventClassification } from './classify-bleeding-event.js';
import { classifyBleedingEvent } from './classify-bleeding-event.js';
import type { BleedingSummary } from './bleeding-summary.js';
import { summarizeBleeding } from './bleeding-summary.js';
import type { BleedingRuleSet } from './rule-set.js';
import { DEFAULT_BLEEDING_RULE_SET } from './rule-set.js';
import { formatValue } from '../format-value.js';

export interface AssessedBleedingEvent {
  /** Index of the event in `episode.events`. */
  readonly index: number;
  readonly time: string;
  readonly t_min: number;
  /** Facts as recorded on the event. */
  readonly recordedFacts: BleedingFacts;
  /** Facts used for classification: recorded ones plus those derived from the episode. */
  readonly facts: BleedingFacts;
  /** How each derived fact was obtained. */
  readonly derived: readonly Reason[];
  readonly classification: BleedingEventClassification;
}

export interface BleedingAssessment {
  readonly ruleSet: { readonly name: string; readonly version: string };
  readonly events: readonly AssessedBleedingEvent[];
  readonly summary: BleedingSummary;
  /** Minutes from the first device insertion to the first major bleed per definition (null if either is absent). */
  readonly firstMajorSinceFirstDevice_min: Readonly<Record<'barc' | 'gusto' | 'timi' | 'isth' | 'varc2', number | null>>;
  readonly reasons: readonly Reason[];
  readonly missing: readonly string[];
}

export interface AssessBleedingOptions {
  readonly ruleSet?: BleedingRuleSet;
}

const isRedCells = (e: TransfusionEvent): boolean => e.product === 'rbc' || e.product === 'whole_blood';

/** Complete one event's facts from the episode (reference 5.1 windows; rule-set parameters). */
export function completeBleedingFacts(
  episode: Episode,
  index: number,
  ruleSet: BleedingRuleSet = DEFAULT_BLEEDING_RULE_SET,
): { facts: BleedingFacts; derived: Reason[] } {
  const event = episode.events[index] as BleedingEvent;
  const onset = event.t_min;
  const anchor = episode.anchor.time;
  const derived: Reason[] = [];
  const facts: { -readonly [K in keyof BleedingFacts]: BleedingFacts[K] } = { ...event.facts };
  const tOf = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : minutesBetween(anchor, iso));

  // Hemoglobin baseline: last value at or before onset within the lookback; nadir: lowest value after onset.
  const hbObs = episode.observations.filter((o) => o.code === 'hemoglobin_g_dL');
  const baselineCandidates = hbObs.filter((o) => o.t_min <= onset && o.t_min >= onset - ruleSet.hbBaselineLookback_h * 60);
  if (!facts.hbBaseline && baselineCandidates.length > 0) {
    const b = baselineCandidates.reduce((a, o) => (o.t_min >= a.t_min ? o : a));
    facts.hbBaseline = hbFromObservation(b);
    derived.push({
      criterion: 'hb_baseline_from_observations',
      text: `baseline Hb ${formatValue(b.value)} g/dL = last value at or before onset (within ${ruleSet.hbBaselineLookback_h} h)`,
      value: b.value,
      unit: 'g/dL',
      time: b.time,
    });
  }
  // The nadir window ends at the next bleeding event's onset, so a later bleed's drop is not counted twice.
  const nextBleed = episode.events
    .filter((e, i) => i !== index && e.kind === 'bleeding' && e.t_min > onset)
    .reduce((m, e) => Math.min(m, e.t_min), Infinity);
  const nadirEnd = Math.min(onset + ruleSet.hbNadirWindow_h * 60, nextBleed);
  const nadirCandidates = hbObs.filter((o) => o.t_min > onset && o.t_min <= nadirEnd);
  if (!facts.hbNadir && nadirCandidates.length > 0) {
    const n = nadirCandidates.reduce((a, o) => (o.value < a.value ? o : a));
    facts.hbNadir = hbFromObservation(n);
    derived.push({
      criterion: 'hb_nadir_from_observations',
      text:
        `nadir Hb ${formatValue(n.value)} g/dL = lowest value within ${ruleSet.hbNadirWindow_h} h after onset` +
        (nextBleed < onset + ruleSet.hbNadirWindow_h * 60 ? ' and before the next bleeding event' : ''),
      value: n.value,
      unit: 'g/dL',
      time: n.time,
    });
  }
  // Hematocrit likewise (TIMI fallback).
  const hctObs = episode.observations.filter((o) => o.code === 'hematocrit_pct');
  const hctBase = hctObs.filter((o) => o.t_min <= onset && o.t_min >= onset - ruleSet.hbBaselineLookback_h * 60);
  const hctAfter = hctObs.filter((o) => o.t_min > onset && o.t_min <= nadirEnd);
  if (!facts.hctBaseline && !facts.hctNadir && hctBase.length > 0 && hctAfter.length > 0) {
    const b = hctBase.reduce((a, o) => (o.t_min >= a.t_min ? o : a));
    const n = hctAfter.reduce((a, o) => (o.value < a.value ? o : a));
    facts.hctBaseline = { value_pct: b.value, time: b.time };
    facts.hctNadir = { value_pct: n.value, time: n.time };
    derived.push({ criterion: 'hct_from_observations', text: `hematocrit ${formatValue(b.value)} → ${formatValue(n.value)} % from observations` });
  }

  // Transfusions: red cells linked to this event (any time) or unlinked within the window after onset.
  const transfusions = episode.events.filter((e): e is Extract<EpisodeEvent, { kind: 'transfusion' }> => e.kind === 'transfusion');
  const redCells = transfusions.filter(isRedCells);
  const windowEnd = onset + ruleSet.transfusionWindow_h * 60;
  const forThis = redCells.filter((e) =>
    e.forBleedingEvent === index ? true : e.forBleedingEvent === undefined && e.t_min >= onset && e.t_min <= windowEnd,
  );
  const sum = (list: readonly TransfusionEvent[], product: 'rbc' | 'whole_blood'): number =>
    list.filter((e) => e.product === product).reduce((s, e) => s + e.units, 0);
  if (facts.rbcUnitsWithin48h === undefined) {
    facts.rbcUnitsWithin48h = sum(forThis, 'rbc');
    derived.push({
      criterion: 'rbc_units_from_transfusion_events',
      text: `${facts.rbcUnitsWithin48h} RBC unit(s) from transfusion events (linked to this bleed, or unlinked within ${ruleSet.transfusionWindow_h} h of onset)`,
      value: facts.rbcUnitsWithin48h,
      unit: '{unit}',
    });
  }
  if (facts.wholeBloodUnits === undefined) {
    facts.wholeBloodUnits = sum(forThis, 'whole_blood');
  }
  // Units between baseline and nadir (any red-cell transfusion raises Hb, whatever bleed it was for).
  const tb = tOf(facts.hbBaseline?.time);
  const tn = tOf(facts.hbNadir?.time);
  const recordedUnits = (event.facts.rbcUnitsWithin48h ?? 0) + (event.facts.wholeBloodUnits ?? 0);
  const eventsCoverTransfusions = redCells.length > 0 || recordedUnits === 0;
  if (facts.unitsBetweenBaselineAndNadir === undefined && tb !== undefined && tn !== undefined && eventsCoverTransfusions) {
    const between = redCells.filter((e) => e.t_min > tb && e.t_min <= tn).reduce((s, e) => s + e.units, 0);
    facts.unitsBetweenBaselineAndNadir = between;
    derived.push({
      criterion: 'units_between_baseline_and_nadir',
      text: `${between} red-cell unit(s) transfused between the baseline and nadir Hb samples`,
      value: between,
      unit: '{unit}',
    });
  }

  // Fatal: with no death recorded in the episode, the bleed was not fatal.
  if (facts.fatal === undefined) {
    const deaths = episode.events.filter((e) => e.kind === 'death');
    if (deaths.length === 0) {
      facts.fatal = false;
      derived.push({ criterion: 'not_fatal_no_death', text: 'no death recorded in the episode: bleed not fatal' });
    } else if (deaths.every((d) => d.kind === 'death' && d.cause !== 'bleeding' && d.cause !== 'unknown')) {
      facts.fatal = false;
      derived.push({ criterion: 'not_fatal_other_cause', text: 'death recorded with a cause other than bleeding' });
    } else {
      derived.push({
        criterion: 'fatal_unknown',
        text: 'death recorded (cause bleeding or unknown) but the bleed is not marked fatal or not fatal: adjudicate',
      });
    }
  }
  return { facts, derived };
}

function hbFromObservation(o: Observation): NonNullable<BleedingFacts['hbBaseline']> {
  return {
    value_g_dL: o.value,
    time: o.time,
    originalValue: o.originalValue ?? o.value,
    originalUnit: (o.originalUnit ?? 'g/dL') as 'g/dL' | 'g/L' | 'mmol/L',
  };
}

/** Classify every bleeding event of an episode under every definition, and summarize per patient. */
export function assessBleeding(episode: Episode, options: AssessBleedingOptions = {}): BleedingAssessment {
  const ruleSet = options.ruleSet ?? DEFAULT_BLEEDING_RULE_SET;
  const events: AssessedBleedingEvent[] = [];
  episode.events.forEach((e, index) => {
    if (e.kind !== 'bleeding') return;
    const ev = e as BleedingEvent;
    const { facts, derived } = completeBleedingFacts(episode, index, ruleSet);
    events.push({
      index,
      time: ev.time,
      t_min: ev.t_min,
      recordedFacts: ev.facts,
      facts,
      derived,
      classification: classifyBleedingEvent(facts, ruleSet),
    });
  });
  const summary = summarizeBleeding(
    events.map((e) => ({ index: e.index, time: e.time, t_min: e.t_min, classification: e.classification })),
    ruleSet,
  );
  const firstDevice = episode.devices.length > 0 ? Math.min(...episode.devices.map((d) => d.t_insertion_min)) : undefined;
  const since = (m: { t_min: number } | null): number | null =>
    m && firstDevice !== undefined ? m.t_min - firstDevice : null;
  return {
    ruleSet: { name: ruleSet.name, version: ruleSet.version },
    events,
    summary,
    firstMajorSinceFirstDevice_min: {
      barc: since(summary.barc.firstMajor),
      gusto: since(summary.gusto.firstMajor),
      timi: since(summary.timi.firstMajor),
      isth: since(summary.isth.firstMajor),
      varc2: since(summary.varc2.firstMajor),
    },
    reasons: [...events.flatMap((e) => e.derived), ...summary.reasons],
    missing: summary.missing,
  };
}
