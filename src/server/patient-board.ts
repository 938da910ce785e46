// One row of the patient board, as a pure function of a parsed episode and the time: who is still on the unit, the
// current SCAI stage, the devices and hours on support, the last anti-Xa and aPTT against the band in force, and the
// open alerts. Every stage, band status, pair pattern, hemolysis grade and bleeding class comes from src/clinical.
import { assessAnticoagulation, classifyAgainstBand, PATTERN_INTERPRETATION, type BandStatus, type PairPattern, type TargetBand } from '../clinical/anticoagulation/index.js';
import { assessBleeding } from '../clinical/bleeding/index.js';
import type { Episode } from '../clinical/episode/episode.js';
import { isoAt, lastRecordedMin, tMinOf } from '../clinical/episode/series.js';
import { gradeHemolysis } from '../clinical/hemolysis/hemolysis-grade.js';
import type { Tri } from '../clinical/rule-result.js';
import { scaiInputFromEpisode, scaiStageAt, SCAI_2022 } from '../clinical/scai/index.js';
import type { PatientIdentity } from '../registry/record.js';
import { bandAt, bleedingEventView, nextStepView, type NextStepView } from './patient-view.js';

/** A bleeding event counts as new on the board for this long after its onset [D]. */
export const NEW_BLEEDING_WINDOW_MIN = 24 * 60;

export interface BoardLab {
  readonly time: string;
  readonly value: number;
  readonly censored?: 'gt' | 'lt';
  readonly band: TargetBand | null;
  readonly status: BandStatus | 'unknown' | null;
}

export type AlertCode =
  | 'discordant_pair'
  | 'subtherapeutic'
  | 'supratherapeutic'
  | 'heparin_resistance'
  | 'hemolysis'
  | 'hemolysis_unconfirmed'
  | 'new_bleeding';

export interface BoardAlert {
  readonly code: AlertCode;
  readonly severity: 'high' | 'moderate';
  readonly text: string;
  readonly time?: string;
}

export interface BoardEntry {
  /** The registry's episode id (the patient view's :episodeId). */
  readonly episodeId: number;
  readonly site: string;
  readonly patient: { readonly key: string; readonly familyName?: string; readonly givenName?: string; readonly mrn?: string };
  readonly sourceEpisodeId: string;
  readonly active: boolean;
  /** SCAI stage at the last record (engine: scaiStageAt, SCAI 2022). */
  readonly scai: { readonly time: string; readonly label: string; readonly lower: string; readonly upper: string } | null;
  readonly devices: readonly { readonly id: string; readonly kind: string; readonly label: string; readonly insertion: string; readonly removal?: string; readonly inPlace: boolean }[];
  /** From the first insertion to now (a device in place) or to the last removal; null without a device. */
  readonly hoursOnSupport: number | null;
  readonly antiXa: BoardLab | null;
  readonly aptt: BoardLab | null;
  readonly lastPair: { readonly time: string; readonly pattern: PairPattern; readonly concordant: Tri; readonly interpretation: string } | null;
  readonly nextStep: NextStepView | null;
  readonly alerts: readonly BoardAlert[];
}

/** Still on the unit at `now`: not dead, and a device in place or no discharge recorded. */
export function isActive(episode: Episode): boolean {
  if (episode.events.some((e) => e.kind === 'death')) return false;
  if (episode.devices.some((d) => d.removal === undefined)) return true;
  return episode.times.discharge === undefined;
}

function deviceLabel(d: Episode['devices'][number]): string {
  return d.kind === 'microaxial' ? d.model : d.kind === 'other' ? d.description : d.kind === 'iabp' ? 'IABP' : 'VA-ECMO';
}

function hoursOnSupport(episode: Episode, nowMin: number): number | null {
  if (episode.devices.length === 0) return null;
  const start = Math.min(...episode.devices.map((d) => d.t_insertion_min));
  const inPlace = episode.devices.some((d) => d.t_removal_min === undefined);
  const end = inPlace ? nowMin : Math.max(...episode.devices.map((d) => d.t_removal_min ?? -Infinity));
  return Math.round(((Math.max(end, start) - start) / 60) * 10) / 10;
}

export interface BoardInput {
  readonly episodeId: number;
  readonly site: string;
  readonly patient: PatientIdentity;
  readonly episode: Episode;
  readonly now: Date;
}

/** The board row of one episode at `now`. */
export function boardEntry(input: BoardInput): BoardEntry {
  const { episode } = input;
  const last = lastRecordedMin(episode);
  const nowMin = tMinOf(episode, input.now.toISOString());
  const stage = scaiStageAt(scaiInputFromEpisode(episode), last, SCAI_2022).result;
  const anticoag = assessAnticoagulation(episode).result;
  const lastOf = (test: 'anti_xa_IU_mL' | 'aptt_s'): BoardLab | null => {
    const samples = episode.observations.filter((o) => o.code === test);
    const s = samples[samples.length - 1];
    if (!s) return null;
    // The protocol's band; without one, the band the engine classified the last pair against (rule-set default).
    const lastPairBand = anticoag.pairs.at(-1)?.result[test === 'anti_xa_IU_mL' ? 'antiXa' : 'aptt'].band;
    const band = bandAt(anticoag, test, s.t_min) ?? lastPairBand ?? null;
    return { time: s.time, value: s.value, ...(s.censored ? { censored: s.censored } : {}), band, status: band ? classifyAgainstBand(s.value, band, s.censored) : null };
  };
  const antiXa = lastOf('anti_xa_IU_mL');
  const aptt = lastOf('aptt_s');
  const lastPair = anticoag.pairs.at(-1)?.result;

  const alerts: BoardAlert[] = [];
  if (lastPair && lastPair.concordant === false) {
    alerts.push({ code: 'discordant_pair', severity: 'moderate', text: `anti-Xa/aPTT discordant: ${PATTERN_INTERPRETATION[lastPair.pattern]}`, time: lastPair.time });
  }
  // The titrated test decides the dose direction; without a protocol, anti-Xa (the parallel strategy's titrated test).
  const titrated = anticoag.protocols.at(-1)?.titrationTest === 'aptt_s' ? aptt : antiXa ?? aptt;
  if (titrated?.status === 'low') alerts.push({ code: 'subtherapeutic', severity: 'moderate', text: `last ${titrated === antiXa ? 'anti-Xa' : 'aPTT'} ${titrated.value} below the target band`, time: titrated.time });
  if (titrated?.status === 'high') alerts.push({ code: 'supratherapeutic', severity: 'high', text: `last ${titrated === antiXa ? 'anti-Xa' : 'aPTT'} ${titrated.value} above the target band`, time: titrated.time });
  if (anticoag.resistance.result.flag === true) alerts.push({ code: 'heparin_resistance', severity: 'moderate', text: 'heparin resistance: low anti-Xa despite a high heparin dose' });

  const hemolysis = gradeHemolysis(episode).result;
  if (hemolysis.grade === 'significant' || hemolysis.grade === 'severe') {
    alerts.push({ code: 'hemolysis', severity: hemolysis.grade === 'severe' ? 'high' : 'moderate', text: `hemolysis: ${hemolysis.grade}` });
  } else if (hemolysis.awaitingConfirmation) {
    alerts.push({ code: 'hemolysis_unconfirmed', severity: 'moderate', text: 'plasma free Hb above the significant limit once: repeat to confirm' });
  }

  const bleeding = assessBleeding(episode);
  for (const ev of bleeding.events) {
    if (ev.t_min < last - NEW_BLEEDING_WINDOW_MIN) continue;
    const v = bleedingEventView(ev, bleeding);
    alerts.push({
      code: 'new_bleeding',
      severity: v.classes.barc.major ? 'high' : 'moderate',
      text: `bleeding (${v.site.replace(/_/g, ' ')}): BARC ${v.classes.barc.class}`,
      time: ev.time,
    });
  }

  const p = input.patient;
  return {
    episodeId: input.episodeId,
    site: input.site,
    patient: {
      key: p.sourceId,
      ...(p.familyName !== undefined ? { familyName: p.familyName } : {}),
      ...(p.givenName !== undefined ? { givenName: p.givenName } : {}),
      ...(p.mrn !== undefined ? { mrn: p.mrn } : {}),
    },
    sourceEpisodeId: episode.id,
    active: isActive(episode),
    scai: { time: isoAt(episode, last), label: stage.label, lower: stage.stageLowerBound, upper: stage.stageUpperBound },
    devices: episode.devices.map((d) => ({
      id: d.id,
      kind: d.kind,
      label: deviceLabel(d),
      insertion: d.insertion,
      ...(d.removal !== undefined ? { removal: d.removal } : {}),
      inPlace: d.t_insertion_min <= nowMin && (d.t_removal_min === undefined || d.t_removal_min > nowMin),
    })),
    hoursOnSupport: hoursOnSupport(episode, nowMin),
    antiXa,
    aptt,
    lastPair: lastPair ? { time: lastPair.time, pattern: lastPair.pattern, concordant: lastPair.concordant, interpretation: lastPair.interpretation } : null,
    nextStep: anticoag.latestNextStep ? nextStepView(anticoag.latestNextStep.result) : null,
    alerts,
  };
}
