// The episode-level anticoagulation assessment: protocol periods, anti-Xa/aPTT pairs with their discordance pattern,
// the next step under the active protocol for every titration sample (decision support for a clinician), total
// heparin exposure with purge heparin counted, the heparin-resistance flag and Rosendaal TTR per test (reference 7).
import { classifyAgainstBand } from './band.js';
import { CONTEXT_LAB_CODES, selectContextLabs } from './context-labs.js';
import { classifyPair, PAIR_PATTERNS, type PairClassification, type PairPattern } from './discordance.js';
import { heparinDoseBetween, heparinExposure, heparinRateAt, type HeparinExposure } from './heparin-exposure.js';
import { flagHeparinResistance, type HeparinResistance, type ResistanceSample } from './heparin-resistance.js';
import type { HeparinBolus, HeparinRecords, LabSample } from './inputs.js';
import { recommendNextStep, type NextStep } from './next-step.js';
import { pairAntiXaAptt } from './pairing.js';
import { DECISION_SUPPORT_LABEL, DEFAULT_ANTICOAG_RULESET, type AnticoagRuleSet } from './parameters.js';
import type { AnticoagProtocol, MonitoringTest, TargetBand } from './protocol.js';
import { activeProtocolAt, bandSegments, protocolTimeline, type ActiveProtocol } from './protocol-timeline.js';
import { discordanceTime, rosendaalTtr, type DiscordanceTimeResult, type ExcludedInterval, type TtrResult } from './ttr.js';
import type { Episode } from '../episode/episode.js';
import type { Reason, RuleResult, Tri } from '../rule-result.js';

export interface AssessAnticoagulationOptions {
  /** Assess the record up to this minute (CLI --at); default: the end of the record. */
  readonly atMin?: number;
  readonly ruleSet?: AnticoagRuleSet;
  /** Site-defined protocols (they win over bundled ones with the same id). */
  readonly siteProtocols?: readonly AnticoagProtocol[];
  /** Intervals excluded from TTR, e.g. heparin held for a procedure (reference 7.7 step 4). */
  readonly ttrExclude?: readonly ExcludedInterval[];
}

export interface ProtocolPeriod {
  readonly protocolId: string;
  readonly name?: string;
  readonly drug?: string;
  readonly titrationTest?: MonitoringTest;
  readonly from_min: number;
  /** Absent for the period still in force at the end of the record. */
  readonly to_min?: number;
  readonly time?: string;
  readonly bands: readonly TargetBand[];
}

export interface AnticoagulationAssessment {
  readonly ruleSet: { readonly name: string; readonly version: string };
  readonly decisionSupportLabel: string;
  readonly horizon_min: number;
  readonly protocols: readonly ProtocolPeriod[];
  readonly pairingWindow_min: number;
  readonly pairs: readonly RuleResult<PairClassification>[];
  readonly unpaired: { readonly antiXa: readonly LabSample[]; readonly aptt: readonly LabSample[] };
  readonly patternCounts: Readonly<Record<PairPattern, number>>;
  /** Pairs in a discordant pattern / classifiable pairs. */
  readonly discordantPairs: number;
  /** Next step for every sample of the protocol's titrated test (decision support for a clinician). */
  readonly nextSteps: readonly RuleResult<NextStep>[];
  /** The next step of the latest titration sample. */
  readonly latestNextStep?: RuleResult<NextStep>;
  readonly exposure: RuleResult<HeparinExposure>;
  readonly resistance: RuleResult<HeparinResistance>;
  readonly ttr: Partial<Record<MonitoringTest, RuleResult<TtrResult>>>;
  readonly discordanceTime: RuleResult<DiscordanceTimeResult>;
  /** Any intrinsic coagulopathy signalled by a pair (INR ≥ 1.5 or fibrinogen < 150 mg/dL with the pair). */
  readonly coagulopathy: Tri;
  /** Direct thrombin inhibitor infusions (HIT, reference 7.6): reported, not counted as heparin. */
  readonly dtiInfusions: readonly { readonly drug: string; readonly t_start_min: number; readonly t_end_min?: number; readonly rate: number; readonly rateUnit: string }[];
}

const HEPARIN_TESTS: readonly MonitoringTest[] = ['anti_xa_IU_mL', 'aptt_s', 'act_s'];
const LAB_CODES = new Set<string>([...HEPARIN_TESTS, ...CONTEXT_LAB_CODES]);

/** UFH boluses in IU ('[IU]' as given, '[IU]/kg' × weight); per-kg boluses without weight are returned as missing. */
function heparinBoluses(episode: Episode, weight_kg: number | undefined, until: number) {
  const boluses: HeparinBolus[] = [];
  const missing: string[] = [];
  for (const b of episode.boluses) {
    if (b.drug !== 'ufh' || b.t_min > until) continue;
    const u = b.doseUnit.toLowerCase().replace(/[[\]\s]/g, '').replace(/^iu/, 'u');
    if (u === 'u') boluses.push({ time: b.time, t_min: b.t_min, dose_IU: b.dose });
    else if (u === 'u/kg' && weight_kg !== undefined) boluses.push({ time: b.time, t_min: b.t_min, dose_IU: b.dose * weight_kg });
    else missing.push(u === 'u/kg' ? 'weight_kg (per-kg heparin bolus)' : `heparin bolus unit '${b.doseUnit}'`);
  }
  return { boluses, missing };
}

/** The heparin records of an episode up to `until` (UFH infusions per route, purge per device, UFH boluses). */
export function heparinRecordsOf(episode: Episode, until: number): { records: HeparinRecords; missing: string[] } {
  const weight_kg = episode.demographics.weight_kg;
  const { boluses, missing } = heparinBoluses(episode, weight_kg, until);
  const records: HeparinRecords = {
    weight_kg,
    infusions: episode.infusions
      .filter((i) => i.drug === 'ufh' && i.t_start_min <= until)
      .map((i) => ({ time: i.start, t_start_min: i.t_start_min, t_end_min: i.t_end_min, rate: i.rate, rateUnit: i.rateUnit, stream: i.route ?? 'iv' })),
    purges: episode.purge
      .filter((p) => p.t_start_min <= until)
      .map((p) => ({ time: p.start, t_start_min: p.t_start_min, t_end_min: p.t_end_min, heparin_IU_mL: p.heparin_IU_mL, flow_mL_h: p.flow_mL_h, stream: p.deviceId ?? 'purge' })),
    boluses,
  };
  return { records, missing };
}

/** The end of the record: the latest time of any observation, infusion, purge, bolus, device or event. */
function recordEnd(episode: Episode): number {
  let end = 0;
  const see = (t: number | undefined) => {
    if (t !== undefined && Number.isFinite(t) && t > end) end = t;
  };
  for (const o of episode.observations) see(o.t_min);
  for (const i of episode.infusions) (see(i.t_start_min), see(i.t_end_min));
  for (const p of episode.purge) (see(p.t_start_min), see(p.t_end_min));
  for (const b of episode.boluses) see(b.t_min);
  for (const d of episode.devices) (see(d.t_insertion_min), see(d.t_removal_min));
  for (const e of episode.events) see(e.t_min);
  return end;
}

function bandFor(period: ActiveProtocol | undefined, test: MonitoringTest, rs: AnticoagRuleSet): { band: TargetBand | undefined; fallback: boolean } {
  const own = period?.bands.find((b) => b.test === test);
  if (own) return { band: own, fallback: false };
  const def = rs.defaultPairedBands.find((b) => b.test === test);
  return { band: def, fallback: def !== undefined };
}

/**
 * Assess the anticoagulation course of an episode (reference 7): protocol periods; anti-Xa/aPTT pairs within the
 * pairing window, each classified against the bands in force (fallback: the rule set's default paired bands, named in
 * the reasons); the next step under the active protocol for every sample of its titrated test; heparin exposure with
 * purge heparin; heparin resistance; Rosendaal TTR per test and the discordance time. Suggested actions are decision
 * support for a clinician.
 */
export function assessAnticoagulation(
  episode: Episode,
  options: AssessAnticoagulationOptions = {},
): RuleResult<AnticoagulationAssessment> {
  const rs = options.ruleSet ?? DEFAULT_ANTICOAG_RULESET;
  const horizon = options.atMin ?? recordEnd(episode);
  const reasons: Reason[] = [];
  const missing = new Set<string>();
  const take = (r: { missing: readonly string[] }) => r.missing.forEach((m) => missing.add(m));

  const labs: LabSample[] = episode.observations
    .filter((o) => LAB_CODES.has(o.code) && o.t_min <= horizon)
    .map((o) => ({ time: o.time, t_min: o.t_min, code: o.code, value: o.value, censored: o.censored }));
  const weight_kg = episode.demographics.weight_kg;

  // Protocol periods (records after the horizon are ignored).
  const timelineR = protocolTimeline(
    episode.anticoagulation.filter((a) => a.t_min <= horizon).map((a) => ({ time: a.from, t_min: a.t_min, protocolId: a.protocolId, target: a.target })),
    options.siteProtocols,
  );
  take(timelineR);
  reasons.push(...timelineR.reasons);
  const timeline = timelineR.result;

  // Heparin records and exposure.
  const { records, missing: bolusMissing } = heparinRecordsOf(episode, horizon);
  bolusMissing.forEach((m) => missing.add(m));
  const firstHeparin = Math.min(0, ...records.infusions.map((i) => i.t_start_min), ...records.purges.map((p) => p.t_start_min), ...records.boluses.map((b) => b.t_min));
  const exposure = heparinExposure(records, firstHeparin, Math.max(horizon, firstHeparin));
  take(exposure);
  const doseBefore = (t: number) => heparinDoseBetween(records, t - rs.heparinResistanceWindow_min, t, horizon).total_IU;

  // Pairs.
  const pairingR = pairAntiXaAptt(labs, rs.pairingWindow_min);
  reasons.push(...pairingR.reasons);
  const pairOfSample = new Map<LabSample, RuleResult<PairClassification>>();
  const pairs: RuleResult<PairClassification>[] = [];
  for (const pair of pairingR.result.pairs) {
    const period = activeProtocolAt(timeline, pair.t_min);
    const xa = bandFor(period, 'anti_xa_IU_mL', rs);
    const pt = bandFor(period, 'aptt_s', rs);
    if (!xa.band || !pt.band) {
      missing.add(`target band for ${!xa.band ? 'anti-Xa' : 'aPTT'} at ${pair.time} (no protocol band and no rule-set default)`);
      continue;
    }
    const classified = classifyPair(pair, {
      antiXaBand: xa.band,
      apttBand: pt.band,
      contextLabs: selectContextLabs(labs, pair.t_min, rs.contextLabLookback_min, rs.pairingWindow_min),
      heparinDoseWindow_IU: doseBefore(pair.t_min),
      ruleSet: rs,
    });
    const fallbackReasons: Reason[] = [];
    for (const [name, b] of [['anti-Xa', xa], ['aPTT', pt]] as const) {
      if (b.fallback) {
        fallbackReasons.push({
          criterion: 'default_paired_band',
          text: `no ${name} band in ${period ? period.protocolId : 'force (no protocol recorded)'}: rule-set default ${b.band?.low}–${b.band?.high} used`,
          time: pair.time,
        });
      }
    }
    const r = { ...classified, reasons: [...classified.reasons, ...fallbackReasons] };
    pairs.push(r);
    pairOfSample.set(pair.antiXa, r);
    pairOfSample.set(pair.aptt, r);
  }
  pairs.forEach(take);
  const patternCounts = Object.fromEntries(PAIR_PATTERNS.map((p) => [p, 0])) as Record<PairPattern, number>;
  for (const p of pairs) patternCounts[p.result.pattern] += 1;
  const discordantPairs = pairs.filter((p) => p.result.concordant === false).length;
  if (pairs.length > 0) {
    reasons.push({
      criterion: 'pairs_discordant',
      text: `${discordantPairs} of ${pairs.length} anti-Xa/aPTT pairs discordant`,
      value: discordantPairs,
    });
  }

  // Next steps, per sample of the titrated test of the protocol in force.
  const nextSteps: RuleResult<NextStep>[] = [];
  const runs = new Map<string, number>();
  for (const s of labs.filter((l) => (HEPARIN_TESTS as readonly string[]).includes(l.code)).sort((a, b) => a.t_min - b.t_min)) {
    const period = activeProtocolAt(timeline, s.t_min);
    if (!period?.protocol || period.protocol.titrationTest !== s.code) continue;
    const key = `${period.from_min}`;
    const band = period.bands.find((b) => b.test === s.code);
    const inRange = band !== undefined && classifyAgainstBand(s.value, band, s.censored) === 'in';
    const run = inRange ? (runs.get(key) ?? 0) + 1 : 0;
    runs.set(key, run);
    const pair = pairOfSample.get(s);
    const step = recommendNextStep({
      protocol: period.protocol,
      bands: period.bands,
      sample: s,
      rate: heparinRateAt(records, s.t_min),
      weight_kg,
      consecutiveInRange: run,
      pair: pair?.result,
    });
    nextSteps.push(step);
  }
  nextSteps.forEach(take);
  const latestNextStep = nextSteps[nextSteps.length - 1];
  if (latestNextStep) {
    reasons.push({ criterion: 'latest_next_step', text: `${DECISION_SUPPORT_LABEL} ${latestNextStep.result.text}`, time: latestNextStep.result.time });
  }

  // Heparin resistance on every anti-Xa sample.
  const resistanceSamples: ResistanceSample[] = labs
    .filter((l) => l.code === 'anti_xa_IU_mL')
    .map((s) => ({ sample: s, band: bandFor(activeProtocolAt(timeline, s.t_min), 'anti_xa_IU_mL', rs).band, dose_IU: doseBefore(s.t_min) }));
  const resistance = flagHeparinResistance(resistanceSamples, labs.filter((l) => l.code === 'antithrombin_pct'), rs);
  take(resistance);
  reasons.push(...resistance.reasons.filter((r) => r.criterion === 'heparin_resistance').slice(0, 1));

  // TTR per test, against the bands of the protocol in force.
  const ttr: Partial<Record<MonitoringTest, RuleResult<TtrResult>>> = {};
  const ttrOptions = { maxGap_min: rs.ttrMaxGap_min, exclude: options.ttrExclude };
  for (const test of HEPARIN_TESTS) {
    const samples = labs.filter((l) => l.code === test);
    if (samples.length === 0) continue;
    const r = rosendaalTtr(samples, bandSegments(timeline, test), ttrOptions);
    ttr[test] = r;
    if (r.result.inRange_pct !== undefined) {
      reasons.push({ criterion: `ttr_${test}`, text: `TTR ${test}: ${r.result.inRange_pct.toFixed(1)} %`, value: r.result.inRange_pct, unit: '%' });
    }
  }
  const disc = discordanceTime(
    labs.filter((l) => l.code === 'anti_xa_IU_mL'),
    labs.filter((l) => l.code === 'aptt_s'),
    bandSegments(timeline, 'anti_xa_IU_mL'),
    bandSegments(timeline, 'aptt_s'),
    ttrOptions,
  );

  const coagulopathy: Tri = pairs.some((p) => p.result.coagulopathy === true)
    ? true
    : pairs.length > 0 && pairs.every((p) => p.result.coagulopathy === false)
      ? false
      : 'unknown';

  const dtiInfusions = episode.infusions
    .filter((i) => (i.drug === 'bivalirudin' || i.drug === 'argatroban') && i.t_start_min <= horizon)
    .map((i) => ({ drug: i.drug, t_start_min: i.t_start_min, t_end_min: i.t_end_min, rate: i.rate, rateUnit: i.rateUnit }));

  const protocols: ProtocolPeriod[] = timeline.map((p) => ({
    protocolId: p.protocolId,
    name: p.protocol?.name,
    drug: p.protocol?.drug,
    titrationTest: p.protocol?.titrationTest,
    from_min: p.from_min,
    to_min: Number.isFinite(p.to_min) ? p.to_min : undefined,
    time: p.time,
    bands: p.bands,
  }));

  return {
    result: {
      ruleSet: { name: rs.name, version: rs.version },
      decisionSupportLabel: DECISION_SUPPORT_LABEL,
      horizon_min: horizon,
      protocols,
      pairingWindow_min: rs.pairingWindow_min,
      pairs,
      unpaired: { antiXa: pairingR.result.unpairedAntiXa, aptt: pairingR.result.unpairedAptt },
      patternCounts,
      discordantPairs,
      nextSteps,
      latestNextStep,
      exposure,
      resistance,
      ttr,
      discordanceTime: disc,
      coagulopathy,
      dtiInfusions,
    },
    reasons,
    missing: [...missing],
  };
}
