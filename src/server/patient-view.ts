// The patient view of the bedside app, as a pure function of a parsed episode: what src/clinical computes, arranged
// for display. Timeline (SCAI stage over time, MAP, lactate, vasoactive score, device changes), anticoagulation panel
// (anti-Xa and aPTT series against the bands in force, heparin and purge, each pair's classification and the
// protocol's next step as decision support), hemolysis trend and bleeding events under every definition.
// No rule is re-implemented here: every class, stage, score and band comes from the engine's own functions.
import {
  assessAnticoagulation,
  classifyAgainstBand,
  type AnticoagulationAssessment,
  type BandStatus,
  type NextStep,
  type PairClassification,
  type TargetBand,
} from '../clinical/anticoagulation/index.js';
import { assessBleeding, BARC_ORDER, GUSTO_ORDER, ISTH_ORDER, TIMI_ORDER, VARC2_ORDER, type AssessedBleedingEvent, type BleedingAssessment } from '../clinical/bleeding/index.js';
import type { Episode } from '../clinical/episode/episode.js';
import { isoAt, lastRecordedMin } from '../clinical/episode/series.js';
import { meanArterialPressure } from '../clinical/hemodynamics/indices.js';
import { vasoactiveCourse } from '../clinical/hemodynamics/vasoactive-course.js';
import { gradeHemolysis, type HemolysisGrade } from '../clinical/hemolysis/hemolysis-grade.js';
import type { RuleResult, Tri } from '../clinical/rule-result.js';
import { assessScai } from '../clinical/scai/index.js';

/** The label every suggested anticoagulation step carries in the app. */
export const DECISION_SUPPORT_TEXT = 'Decision support for the treating clinician, not an order';

export interface SeriesPoint {
  readonly time: string;
  readonly t_min: number;
  readonly value: number;
  readonly censored?: 'gt' | 'lt';
}

export interface TimelineView {
  readonly from_min: number;
  readonly to_min: number;
  readonly scai: {
    readonly ruleSetId: string;
    readonly blockMin: number;
    /** The stage of each block, assessed at its end (engine: scaiTrajectory). */
    readonly blocks: readonly { readonly from: string; readonly to: string; readonly from_min: number; readonly to_min: number; readonly label: string; readonly lower: string; readonly upper: string }[];
    /** The stage at the last record (engine: assessScai at that time). */
    readonly current: { readonly time: string; readonly label: string; readonly lower: string; readonly upper: string } | null;
  };
  readonly map: readonly (SeriesPoint & { readonly source: 'measured' | 'calculated' })[];
  readonly lactate: readonly SeriesPoint[];
  /** VIS and NEE at the start and at every vasoactive change (engine: vasoactiveCourse). */
  readonly vasoactive: readonly { readonly time: string; readonly t_min: number; readonly vis: number | null; readonly nee: number | null; readonly count: number; readonly drugs: readonly string[] }[];
  readonly deviceChanges: readonly DeviceChange[];
}

export interface DeviceChange {
  readonly time: string;
  readonly t_min: number;
  readonly deviceId: string;
  readonly kind: string;
  readonly label: string;
  readonly change: 'insertion' | 'removal' | 'setting';
  readonly detail?: string;
}

export interface LabPoint extends SeriesPoint {
  /** The band in force at the sample (protocol band or patient override), if any. */
  readonly band: TargetBand | null;
  readonly status: BandStatus | 'unknown' | null;
}

export interface NextStepView {
  readonly decisionSupport: true;
  readonly label: string;
  readonly test: string;
  readonly time: string;
  readonly action: NextStep['action'];
  readonly text: string;
  readonly bolus_IU?: number;
  readonly hold_min: number;
  readonly rateChange_IU_h?: number;
  readonly suggested?: NextStep['suggested'];
  readonly recheckAt?: string;
  readonly cautions: readonly string[];
}

export interface PairView {
  readonly time: string;
  readonly antiXa: PairClassification['antiXa'];
  readonly aptt: PairClassification['aptt'];
  readonly pattern: PairClassification['pattern'];
  readonly concordant: Tri;
  readonly interpretation: string;
  readonly causes: PairClassification['causes'];
  readonly cautions: readonly string[];
  readonly coagulopathy: Tri;
  readonly reasons: readonly string[];
  /** The protocol's next step for the titrated sample of this pair, when the protocol titrates on it. */
  readonly nextStep: NextStepView | null;
}

export interface AnticoagulationView {
  readonly decisionSupport: true;
  readonly decisionSupportLabel: string;
  readonly protocols: readonly { readonly protocolId: string; readonly name?: string; readonly titrationTest?: string; readonly from?: string; readonly from_min: number; readonly to_min: number | null; readonly bands: readonly TargetBand[] }[];
  readonly antiXa: readonly LabPoint[];
  readonly aptt: readonly LabPoint[];
  readonly heparinInfusions: readonly { readonly start: string; readonly end?: string; readonly rate: number; readonly rateUnit: string; readonly route?: string }[];
  readonly purge: readonly { readonly deviceId?: string; readonly start: string; readonly end?: string; readonly heparin_IU_mL: number; readonly flow_mL_h: number; readonly heparin_IU_h: number }[];
  readonly pairs: readonly PairView[];
  readonly latestNextStep: NextStepView | null;
  readonly heparinResistance: Tri;
  readonly missing: readonly string[];
}

export interface HemolysisView {
  readonly grade: HemolysisGrade | null;
  readonly awaitingConfirmation: boolean;
  readonly reasons: readonly string[];
  readonly plasmaFreeHb: readonly (SeriesPoint & { readonly gradeAfter: HemolysisGrade | null })[];
  readonly ldh: readonly SeriesPoint[];
  readonly events: readonly { readonly time: string; readonly index: number; readonly note?: string }[];
}

type Definition = 'barc' | 'timi' | 'gusto' | 'isth' | 'varc2';
export interface BleedingClassView {
  readonly class: string;
  readonly upperBound: string;
  readonly determinate: boolean;
  readonly major: boolean;
}

export interface BleedingEventView {
  readonly index: number;
  readonly time: string;
  readonly site: string;
  readonly description?: string;
  readonly classes: Readonly<Record<Definition, BleedingClassView>>;
  readonly hemodilutionSuspected: boolean;
  readonly missing: readonly string[];
}

export interface PatientView {
  /** The episode's id in its source system (the registry's own id is the route's :episodeId). */
  readonly sourceEpisodeId: string;
  readonly anchor: Episode['anchor'];
  readonly timeline: TimelineView;
  readonly anticoagulation: AnticoagulationView;
  readonly hemolysis: HemolysisView;
  readonly bleeding: { readonly events: readonly BleedingEventView[]; readonly worst: Readonly<Record<Definition, string>> };
}

const ORDERS: Readonly<Record<Definition, readonly string[]>> = { barc: BARC_ORDER, timi: TIMI_ORDER, gusto: GUSTO_ORDER, isth: ISTH_ORDER, varc2: VARC2_ORDER };
const DEFINITIONS: readonly Definition[] = ['barc', 'timi', 'gusto', 'isth', 'varc2'];

/** The span the timeline covers and its SCAI block length (60 min; longer blocks for long stays, at most ~120 blocks). */
export function timelineSpan(episode: Episode): { fromMin: number; toMin: number; blockMin: number } {
  let from = 0;
  for (const o of episode.observations) from = Math.min(from, o.t_min);
  for (const i of episode.infusions) from = Math.min(from, i.t_start_min);
  for (const d of episode.devices) from = Math.min(from, d.t_insertion_min);
  const to = Math.max(lastRecordedMin(episode), from + 60);
  const blockMin = Math.max(60, Math.ceil((to - from) / 120 / 60) * 60);
  return { fromMin: from, toMin: to, blockMin };
}

function deviceLabel(d: Episode['devices'][number]): string {
  return d.kind === 'microaxial' ? d.model : d.kind === 'other' ? d.description : d.kind === 'iabp' ? 'IABP' : 'VA-ECMO';
}

function deviceChanges(episode: Episode): DeviceChange[] {
  const out: DeviceChange[] = [];
  for (const d of episode.devices) {
    const base = { deviceId: d.id, kind: d.kind, label: deviceLabel(d) };
    out.push({ ...base, time: d.insertion, t_min: d.t_insertion_min, change: 'insertion', ...(d.accessSite ? { detail: d.accessSite } : {}) });
    for (const s of d.settings) {
      const parts = [
        s.pLevel !== undefined ? `P${s.pLevel}` : '',
        s.flow_L_min !== undefined ? `${s.flow_L_min} L/min` : '',
        s.speed_rpm !== undefined ? `${s.speed_rpm} rpm` : '',
        s.iabpRatio !== undefined ? `1:${s.iabpRatio}` : '',
        s.note ?? '',
      ].filter((p) => p !== '');
      out.push({ ...base, time: s.time, t_min: s.t_min, change: 'setting', detail: parts.join(', ') });
    }
    if (d.removal !== undefined && d.t_removal_min !== undefined) {
      out.push({ ...base, time: d.removal, t_min: d.t_removal_min, change: 'removal', ...(d.removalReason ? { detail: d.removalReason } : {}) });
    }
  }
  return out.sort((a, b) => a.t_min - b.t_min);
}

/** MAP over time: measured where recorded, else DBP + (SBP − DBP)/3 from an SBP/DBP taken at the same instant (engine). */
function mapSeries(episode: Episode): TimelineView['map'] {
  const out: (SeriesPoint & { source: 'measured' | 'calculated' })[] = [];
  const measuredAt = new Set<number>();
  for (const o of episode.observations) {
    if (o.code !== 'map_mmHg') continue;
    measuredAt.add(o.t_min);
    out.push({ time: o.time, t_min: o.t_min, value: o.value, source: 'measured' });
  }
  const dbpAt = new Map<number, Episode['observations'][number]>();
  for (const o of episode.observations) if (o.code === 'dbp_mmHg') dbpAt.set(o.t_min, o);
  for (const o of episode.observations) {
    if (o.code !== 'sbp_mmHg' || measuredAt.has(o.t_min)) continue;
    const dbp = dbpAt.get(o.t_min);
    if (!dbp) continue;
    const r = meanArterialPressure({ sbp_mmHg: { value: o.value, time: o.time }, dbp_mmHg: { value: dbp.value, time: dbp.time } });
    if (r.result !== null) out.push({ time: o.time, t_min: o.t_min, value: r.result, source: 'calculated' });
  }
  return out.sort((a, b) => a.t_min - b.t_min);
}

function series(episode: Episode, code: string): SeriesPoint[] {
  return episode.observations
    .filter((o) => o.code === code)
    .map((o) => ({ time: o.time, t_min: o.t_min, value: o.value, ...(o.censored ? { censored: o.censored } : {}) }));
}

function timeline(episode: Episode): TimelineView {
  const span = timelineSpan(episode);
  const last = lastRecordedMin(episode);
  const scai = assessScai(episode, { atMin: last, trajectory: span }).result;
  const course = vasoactiveCourse(episode, span.fromMin, span.toMin);
  return {
    from_min: span.fromMin,
    to_min: span.toMin,
    scai: {
      ruleSetId: scai.ruleSetId,
      blockMin: span.blockMin,
      blocks: scai.trajectory.blocks.map((b) => ({
        from: isoAt(episode, b.from_min),
        to: isoAt(episode, b.to_min),
        from_min: b.from_min,
        to_min: b.to_min,
        label: b.label,
        lower: b.stageLowerBound,
        upper: b.stageUpperBound,
      })),
      current: scai.at ? { time: isoAt(episode, scai.at.t_min), label: scai.at.label, lower: scai.at.stageLowerBound, upper: scai.at.stageUpperBound } : null,
    },
    map: mapSeries(episode),
    lactate: series(episode, 'lactate_mmol_L'),
    vasoactive: course.map((s) => ({ time: s.time, t_min: s.t_min, vis: s.vis.result, nee: s.nee.result, count: s.count, drugs: s.doses.map((d) => d.drug) })),
    deviceChanges: deviceChanges(episode),
  };
}

/** A next step as shown: the engine's suggestion, labelled decision support. */
export function nextStepView(step: NextStep): NextStepView {
  return {
    decisionSupport: true,
    label: DECISION_SUPPORT_TEXT,
    test: step.test,
    time: step.time,
    action: step.action,
    text: step.text,
    ...(step.bolus_IU !== undefined ? { bolus_IU: step.bolus_IU } : {}),
    hold_min: step.hold_min,
    ...(step.rateChange_IU_h !== undefined ? { rateChange_IU_h: step.rateChange_IU_h } : {}),
    ...(step.suggested ? { suggested: step.suggested } : {}),
    ...(step.recheckAt !== undefined ? { recheckAt: step.recheckAt } : {}),
    cautions: step.cautions,
  };
}

/** The next step computed for the titrated sample of a pair (anti-Xa at the pair's time, or its aPTT). */
function stepOfPair(pair: PairClassification, steps: readonly RuleResult<NextStep>[], window_min: number): NextStep | undefined {
  return steps
    .map((s) => s.result)
    .find((s) =>
      s.test === 'anti_xa_IU_mL'
        ? s.t_min === pair.t_min && s.value === pair.antiXa.value
        : s.test === 'aptt_s' && s.value === pair.aptt.value && Math.abs(s.t_min - pair.t_min) <= window_min,
    );
}

/** One classified pair with its next step (engine: classifyPair via assessAnticoagulation, recommendNextStep). */
export function pairView(pair: RuleResult<PairClassification>, assessment: AnticoagulationAssessment): PairView {
  const p = pair.result;
  const step = stepOfPair(p, assessment.nextSteps, assessment.pairingWindow_min);
  return {
    time: p.time,
    antiXa: p.antiXa,
    aptt: p.aptt,
    pattern: p.pattern,
    concordant: p.concordant,
    interpretation: p.interpretation,
    causes: p.causes,
    cautions: p.cautions,
    coagulopathy: p.coagulopathy,
    reasons: pair.reasons.map((r) => r.text),
    nextStep: step ? nextStepView(step) : null,
  };
}

/** The band in force for `test` at t_min from the assessment's protocol periods, or null. */
export function bandAt(assessment: AnticoagulationAssessment, test: TargetBand['test'], t_min: number): TargetBand | null {
  const period = assessment.protocols.find((p) => t_min >= p.from_min && (p.to_min === undefined || t_min < p.to_min));
  return period?.bands.find((b) => b.test === test) ?? null;
}

function labPoints(episode: Episode, assessment: AnticoagulationAssessment, test: 'anti_xa_IU_mL' | 'aptt_s'): LabPoint[] {
  return series(episode, test)
    .filter((s) => s.t_min <= assessment.horizon_min)
    .map((s) => {
      const band = bandAt(assessment, test, s.t_min);
      return { ...s, band, status: band ? classifyAgainstBand(s.value, band, s.censored) : null };
    });
}

/** The anticoagulation panel of an episode (engine: assessAnticoagulation over the whole record). */
export function anticoagulationView(episode: Episode, assessed: RuleResult<AnticoagulationAssessment> = assessAnticoagulation(episode)): AnticoagulationView {
  const a = assessed.result;
  return {
    decisionSupport: true,
    decisionSupportLabel: DECISION_SUPPORT_TEXT,
    protocols: a.protocols.map((p) => ({
      protocolId: p.protocolId,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.titrationTest !== undefined ? { titrationTest: p.titrationTest } : {}),
      ...(p.time !== undefined ? { from: p.time } : {}),
      from_min: p.from_min,
      to_min: p.to_min ?? null,
      bands: p.bands,
    })),
    antiXa: labPoints(episode, a, 'anti_xa_IU_mL'),
    aptt: labPoints(episode, a, 'aptt_s'),
    heparinInfusions: episode.infusions
      .filter((i) => i.drug === 'ufh')
      .map((i) => ({ start: i.start, ...(i.end !== undefined ? { end: i.end } : {}), rate: i.rate, rateUnit: i.rateUnit, ...(i.route !== undefined ? { route: i.route } : {}) })),
    purge: episode.purge.map((p) => ({
      ...(p.deviceId !== undefined ? { deviceId: p.deviceId } : {}),
      start: p.start,
      ...(p.end !== undefined ? { end: p.end } : {}),
      heparin_IU_mL: p.heparin_IU_mL,
      flow_mL_h: p.flow_mL_h,
      heparin_IU_h: p.heparin_IU_h,
    })),
    pairs: a.pairs.map((p) => pairView(p, a)),
    latestNextStep: a.latestNextStep ? nextStepView(a.latestNextStep.result) : null,
    heparinResistance: a.resistance.result.flag,
    missing: assessed.missing,
  };
}

/** The hemolysis trend: PFHb with the grade after each sample, LDH, and the grade over the whole record (engine). */
export function hemolysisView(episode: Episode): HemolysisView {
  const whole = gradeHemolysis(episode);
  return {
    grade: whole.result.grade,
    awaitingConfirmation: whole.result.awaitingConfirmation,
    reasons: whole.reasons.map((r) => r.text),
    plasmaFreeHb: series(episode, 'plasma_free_hb_mg_dL').map((s) => ({ ...s, gradeAfter: gradeHemolysis(episode, { toMin: s.t_min }).result.grade })),
    ldh: series(episode, 'ldh_U_L'),
    events: episode.events.flatMap((e, index) => (e.kind === 'hemolysis' ? [{ time: e.time, index, ...(e.note !== undefined ? { note: e.note } : {}) }] : [])),
  };
}

/** One bleeding event under every definition, with its upper bound and whether it counts as major (engine). */
export function bleedingEventView(event: AssessedBleedingEvent, assessment: BleedingAssessment): BleedingEventView {
  const c = event.classification;
  const classes = {} as Record<Definition, BleedingClassView>;
  for (const d of DEFINITIONS) {
    const r = c[d];
    const order = ORDERS[d];
    classes[d] = {
      class: r.result,
      upperBound: r.upperBound,
      determinate: r.determinate,
      major: order.indexOf(r.result) >= order.indexOf(assessment.summary[d].majorFrom),
    };
  }
  return {
    index: event.index,
    time: event.time,
    site: event.recordedFacts.site,
    ...(event.recordedFacts.description !== undefined ? { description: event.recordedFacts.description } : {}),
    classes,
    hemodilutionSuspected: c.hemodilutionSuspected,
    missing: c.missing,
  };
}

export function bleedingView(episode: Episode, assessment: BleedingAssessment = assessBleeding(episode)): PatientView['bleeding'] {
  const s = assessment.summary;
  return {
    events: assessment.events.map((e) => bleedingEventView(e, assessment)),
    worst: { barc: s.barc.worst, timi: s.timi.worst, gusto: s.gusto.worst, isth: s.isth.worst, varc2: s.varc2.worst },
  };
}

/** The whole patient view of a parsed episode. */
export function patientView(episode: Episode): PatientView {
  return {
    sourceEpisodeId: episode.id,
    anchor: episode.anchor,
    timeline: timeline(episode),
    anticoagulation: anticoagulationView(episode),
    hemolysis: hemolysisView(episode),
    bleeding: bleedingView(episode),
  };
}
