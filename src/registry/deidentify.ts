// De-identification of registry records under the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)): identity reduced
// to a pseudonym, every date-time shifted so the patient's own anchor falls on a placeholder day (intervals kept),
// ages over 89 grouped as 90, all free text and source-system identifiers dropped or replaced. Fields are copied by
// an explicit list (whitelist): a field added to the episode format later is dropped here until it is listed, so a
// new free-text field cannot leak. What happens to each of the 18 identifiers: docs/deidentification.md.
import { CO_METHODS, type EpisodeInput, type QuantityInput } from '../clinical/episode/episode-schema.js';
import type { BleedingFactsInput } from '../clinical/bleeding/bleeding-facts.js';
import { INFUSION_DRUGS } from '../clinical/episode/infusion-drugs.js';
import type { RegistryRecord } from './record.js';

/** Where every patient's anchor lands in a de-identified record: a placeholder day, not a real date. */
export const DEIDENTIFIED_ANCHOR_TIME = '2000-01-01T00:00:00Z';
const DEIDENTIFIED_ANCHOR_MS = Date.parse(DEIDENTIFIED_ANCHOR_TIME);

/**
 * Safe Harbor 164.514(b)(2)(i)(C): "all ages over 89 ... may be aggregated into a single category of age 90 or older".
 * An age counts as over 89 from 90 completed years on (89.5 years is 89 years old).
 */
export const SAFE_HARBOR_AGE_CAP_YEARS = 90;

/** An age in years as Safe Harbor allows it: 90 and above become 90 (the "90 or older" category). */
export function safeHarborAge(age_years: number): number {
  return age_years >= SAFE_HARBOR_AGE_CAP_YEARS ? SAFE_HARBOR_AGE_CAP_YEARS : age_years;
}

/**
 * Infusion routes kept as written: a route is a free-text field, but the anticoagulation rules use it as the key of
 * an infusion stream with 'iv' as the default, so 'iv' must stay 'iv'; any other route becomes 'route-1', 'route-2', ...
 */
const ROUTES_KEPT: ReadonlySet<string> = new Set(['iv', 'ecmo_circuit']);
const CO_METHOD_SET: ReadonlySet<string> = new Set(CO_METHODS);
const DRUG_SET: ReadonlySet<string> = new Set(INFUSION_DRUGS);
// Element types of the episode as entered (before zod fills defaults).
type Item<K extends keyof EpisodeInput> = NonNullable<EpisodeInput[K]> extends readonly (infer T)[] ? T : never;
type ObservationInput = Item<'observations'>;
type InfusionInput = Item<'infusions'>;
type BolusInput = Item<'boluses'>;
type PurgeInput = Item<'purge'>;
type DeviceInput = Item<'devices'>;
type EventInput = Item<'events'>;

/** Placeholder for the required description of an 'other' device (the text itself may name a person or place). */
export const OTHER_DEVICE_DESCRIPTION = 'other device (description removed)';

/** Consistent replacement of source-system identifiers within one record: the same input gets the same output. */
class Pseudonyms {
  private readonly map = new Map<string, string>();
  constructor(private readonly prefix: string) {}
  of(value: string): string {
    let out = this.map.get(value);
    if (out === undefined) {
      out = `${this.prefix}-${this.map.size + 1}`;
      this.map.set(value, out);
    }
    return out;
  }
}

interface Context {
  /**
   * Shifted ISO time, or undefined for a missing or unreadable time (an unreadable date is dropped, never kept).
   * Required time fields cast the result to string: only a time parseEpisode already rejects comes back undefined,
   * and the record then stays invalid (the field is left out), as it was.
   */
  readonly time: (iso: string | undefined) => string | undefined;
  readonly devices: Pseudonyms;
  readonly samples: Pseudonyms;
  readonly routes: Pseudonyms;
}

/** Copies the defined entries only, so the output has no `key: undefined` (JSON and deepEqual stay clean). */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function list<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

function toIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Every time string an episode holds (for the fallback anchor of a record whose anchor is unreadable). */
function earliestTimeMs(value: unknown): number | undefined {
  let best: number | undefined;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
        const ms = Date.parse(v);
        if (Number.isFinite(ms) && (best === undefined || ms < best)) best = ms;
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return best;
}

function timeShifter(episode: EpisodeInput): Context['time'] {
  const anchorMs = Date.parse(episode.anchor?.time ?? '');
  // A record parseEpisode accepts always has a readable anchor; the fallback keeps the function total on others.
  const fromMs = Number.isFinite(anchorMs) ? anchorMs : (earliestTimeMs(episode) ?? DEIDENTIFIED_ANCHOR_MS);
  const offset = DEIDENTIFIED_ANCHOR_MS - fromMs;
  return (iso) => {
    if (typeof iso !== 'string') return undefined;
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? toIso(ms + offset) : undefined;
  };
}

// ---------------------------------------------------------------- sections

function quantity(q: number | QuantityInput | undefined): number | QuantityInput | undefined {
  if (q === undefined || typeof q === 'number') return q;
  return { value: q.value, unit: q.unit };
}

function observation(o: ObservationInput, c: Context): ObservationInput {
  return defined({
    time: c.time(o.time) as string,
    code: o.code,
    value: o.value,
    unit: o.unit,
    censored: o.censored,
    specimen: o.specimen,
    // Free text in the format; kept only when it is one of the documented method words.
    method: o.method !== undefined && CO_METHOD_SET.has(o.method) ? o.method : undefined,
    periodMin: o.periodMin,
    sampleId: o.sampleId !== undefined ? c.samples.of(o.sampleId) : undefined,
  });
}

function infusion(i: InfusionInput, c: Context): InfusionInput {
  return defined({
    drug: i.drug,
    start: c.time(i.start) as string,
    end: c.time(i.end),
    rate: i.rate,
    rateUnit: i.rateUnit,
    route: i.route === undefined ? undefined : ROUTES_KEPT.has(i.route) ? i.route : c.routes.of(i.route),
  });
}

function bolus(b: BolusInput, c: Context): BolusInput {
  return defined({ drug: b.drug, time: c.time(b.time) as string, dose: b.dose, doseUnit: b.doseUnit, context: b.context });
}

function purge(p: PurgeInput, c: Context): PurgeInput {
  return defined({
    deviceId: p.deviceId !== undefined ? c.devices.of(p.deviceId) : undefined,
    start: c.time(p.start) as string,
    end: c.time(p.end),
    solution: p.solution,
    heparin_IU_mL: p.heparin_IU_mL,
    flow_mL_h: p.flow_mL_h,
    bicarbonate_meq_L: p.bicarbonate_meq_L,
  });
}

function device(d: DeviceInput, index: number, c: Context): DeviceInput {
  // parseEpisode names a device without an id '<kind>-<index>' and purge records may refer to that name, so the
  // pseudonym is keyed on the id the parser would use.
  const common = {
    id: c.devices.of(d.id ?? `${d.kind}-${index}`),
    insertion: c.time(d.insertion) as string,
    removal: c.time(d.removal),
    accessSite: d.accessSite,
    side: d.side,
    placement: d.placement,
    selectionReasons: d.selectionReasons === undefined ? undefined : [...d.selectionReasons],
    removalReason: d.removalReason,
    settings: d.settings === undefined
      ? undefined
      : list(d.settings).map((s) =>
          defined({
            time: c.time(s.time) as string,
            pLevel: s.pLevel,
            speed_rpm: s.speed_rpm,
            flow_L_min: s.flow_L_min,
            iabpRatio: s.iabpRatio,
            positionChecked: s.positionChecked,
            positionOk: s.positionOk,
          }),
        ),
    // selectionNote, closure (free text) and note are dropped.
  };
  switch (d.kind) {
    case 'iabp':
      return defined({ kind: d.kind, ...common, size_mL: d.size_mL });
    case 'microaxial':
      return defined({ kind: d.kind, ...common, model: d.model }); // modelOther is free text
    case 'va_ecmo':
      return defined({ kind: d.kind, ...common, cannulation: d.cannulation, distalPerfusionCannula: d.distalPerfusionCannula });
    case 'other':
      return defined({ kind: d.kind, ...common, description: OTHER_DEVICE_DESCRIPTION });
  }
}

type HbInput = NonNullable<BleedingFactsInput['hbBaseline']>;
type HctInput = NonNullable<BleedingFactsInput['hctBaseline']>;

function hb(m: HbInput | undefined, c: Context): HbInput | undefined {
  return m === undefined ? undefined : defined({ value: m.value, unit: m.unit, time: c.time(m.time) });
}

function hct(m: HctInput | undefined, c: Context): HctInput | undefined {
  return m === undefined ? undefined : defined({ value_pct: m.value_pct, time: c.time(m.time) });
}

function bleedingFacts(f: BleedingFactsInput, c: Context): BleedingFactsInput {
  const ac = f.onAnticoagulation;
  return defined({
    site: f.site,
    accessVessel: f.accessVessel,
    relatedDevice: f.relatedDevice,
    // description is free text: dropped.
    overt: f.overt,
    imagingConfirmed: f.imagingConfirmed,
    autopsyConfirmed: f.autopsyConfirmed,
    lumbarPunctureConfirmed: f.lumbarPunctureConfirmed,
    microbleedOrHemorrhagicTransformation: f.microbleedOrHemorrhagicTransformation,
    visionCompromised: f.visionCompromised,
    tamponade: f.tamponade,
    pericardiocentesis: f.pericardiocentesis,
    compartmentSyndrome: f.compartmentSyndrome,
    hbBaseline: hb(f.hbBaseline, c),
    hbNadir: hb(f.hbNadir, c),
    hctBaseline: hct(f.hctBaseline, c),
    hctNadir: hct(f.hctNadir, c),
    hemodilutionSuspected: f.hemodilutionSuspected,
    rbcUnitsWithin48h: f.rbcUnitsWithin48h,
    wholeBloodUnits: f.wholeBloodUnits,
    unitsBetweenBaselineAndNadir: f.unitsBetweenBaselineAndNadir,
    vasoactiveStartedForBleeding: f.vasoactiveStartedForBleeding,
    hemodynamicCompromise: f.hemodynamicCompromise,
    surgicalOrEndovascularControl: f.surgicalOrEndovascularControl,
    causedHospitalizationOrHigherCare: f.causedHospitalizationOrHigherCare,
    medicalInterventionByProfessional: f.medicalInterventionByProfessional,
    promptedEvaluation: f.promptedEvaluation,
    anticoagulationInterrupted: f.anticoagulationInterrupted,
    discomfortOrImpairedActivities: f.discomfortOrImpairedActivities,
    permanentInjury: f.permanentInjury,
    fatal: f.fatal,
    deathCertainty: f.deathCertainty,
    cabgRelated: f.cabgRelated,
    withinHoursOfCabg: f.withinHoursOfCabg,
    chestTubeOutputMl24h: f.chestTubeOutputMl24h,
    reoperationForBleeding: f.reoperationForBleeding,
    onAnticoagulation:
      ac === undefined
        ? undefined
        : defined({
            // The drug is a free string in the facts: kept only when it is one of the format's drug names.
            drug: ac.drug !== undefined && DRUG_SET.has(ac.drug) ? ac.drug : undefined,
            aptt_s: ac.aptt_s,
            antiXa_IU_mL: ac.antiXa_IU_mL,
            act_s: ac.act_s,
            time: c.time(ac.time),
          }),
  });
}

function event(e: EventInput, c: Context): EventInput {
  const time = c.time(e.time) as string;
  switch (e.kind) {
    case 'cardiac_arrest':
      return defined({
        kind: e.kind, time, setting: e.setting, rhythm: e.rhythm, rosc: e.rosc, durationMin: e.durationMin, ecpr: e.ecpr,
        comaAfterArrest: e.comaAfterArrest, gcsAfter: e.gcsAfter,
      });
    case 'bleeding':
      return { kind: e.kind, time, facts: bleedingFacts(e.facts, c) };
    case 'hemolysis':
      return defined({
        kind: e.kind, time,
        relatedDeviceId: e.relatedDeviceId !== undefined ? c.devices.of(e.relatedDeviceId) : undefined,
        relatedDevice: e.relatedDevice, hemoglobinuria: e.hemoglobinuria, transfusionForHemolysis: e.transfusionForHemolysis,
        akiAttributed: e.akiAttributed, actions: e.actions === undefined ? undefined : [...e.actions],
      });
    case 'limb_ischemia':
      return defined({
        kind: e.kind, time, side: e.side,
        relatedDeviceId: e.relatedDeviceId !== undefined ? c.devices.of(e.relatedDeviceId) : undefined,
        intervention: e.intervention,
      });
    case 'stroke':
      return defined({ kind: e.kind, time, type: e.type, imagingConfirmed: e.imagingConfirmed });
    case 'transfusion':
      return defined({ kind: e.kind, time, product: e.product, units: e.units, forBleedingEvent: e.forBleedingEvent });
    case 'death':
      return defined({ kind: e.kind, time, cause: e.cause });
  }
}

/** The episode with every date shifted, ids replaced, free text dropped and age grouped. */
function deidentifyEpisode(episode: EpisodeInput, pseudonym: string): EpisodeInput {
  const c: Context = {
    time: timeShifter(episode),
    devices: new Pseudonyms('device'),
    samples: new Pseudonyms('sample'),
    routes: new Pseudonyms('route'),
  };
  // Devices first, so their pseudonyms follow the device list whatever order the references come in.
  const devices = list(episode.devices).map((d, i) => device(d, i, c));
  const demo = episode.demographics ?? {};
  const clinical = episode.clinical;
  const times = episode.times;
  const bc = clinical?.baselineCreatinine;
  const followUp = episode.followUp;
  return defined({
    formatVersion: episode.formatVersion,
    id: pseudonym,
    site: episode.site,
    anchor: { kind: episode.anchor?.kind, time: c.time(episode.anchor?.time) as string },
    times:
      times === undefined
        ? undefined
        : defined({
            admission: c.time(times.admission),
            cicuAdmission: c.time(times.cicuAdmission),
            shockOnset: c.time(times.shockOnset),
            pciStart: c.time(times.pciStart),
            discharge: c.time(times.discharge),
          }),
    demographics: defined({
      age_years: typeof demo.age_years === 'number' ? safeHarborAge(demo.age_years) : undefined,
      sex: demo.sex,
      weight: quantity(demo.weight),
      height: quantity(demo.height),
    }),
    clinical:
      clinical === undefined
        ? undefined
        : defined({
            etiology: clinical.etiology,
            mixedShock: clinical.mixedShock,
            mixedComponent: clinical.mixedComponent,
            infarctLocation: clinical.infarctLocation,
            stemi: clinical.stemi,
            clinicianReportedCS: clinical.clinicianReportedCS,
            baselineSbp_mmHg: clinical.baselineSbp_mmHg,
            baselineCreatinine: bc === undefined ? undefined : defined({ value: bc.value, unit: bc.unit, time: c.time(bc.time), source: bc.source }),
            chronicKidneyReplacement: clinical.chronicKidneyReplacement,
            ldhUpperLimitOfNormal_U_L: clinical.ldhUpperLimitOfNormal_U_L,
            altUpperLimitOfNormal_U_L: clinical.altUpperLimitOfNormal_U_L,
            // notes: free text, dropped.
          }),
    observations: list(episode.observations).map((o) => observation(o, c)),
    infusions: list(episode.infusions).map((i) => infusion(i, c)),
    boluses: list(episode.boluses).map((b) => bolus(b, c)),
    purge: list(episode.purge).map((p) => purge(p, c)),
    devices,
    supports: list(episode.supports).map((s) => defined({ kind: s.kind, start: c.time(s.start) as string, end: c.time(s.end) })),
    events: list(episode.events).map((e) => event(e, c)),
    anticoagulation: list(episode.anticoagulation).map((a) =>
      defined({
        from: c.time(a.from) as string,
        protocolId: a.protocolId,
        target: a.target === undefined ? undefined : Array.isArray(a.target) ? a.target.map((b) => ({ ...b })) : { ...a.target },
      }),
    ),
    followUp: followUp === undefined ? undefined : defined({ lastKnownAlive: c.time(followUp.lastKnownAlive), source: followUp.source }),
  }) as EpisodeInput;
}

/**
 * One record de-identified under HIPAA Safe Harbor (45 CFR 164.514(b)(2)): the identity becomes `{sourceId: pseudonym}`
 * (no MRN, name, birth date, postal code), the episode id becomes the pseudonym, every date-time is shifted so the
 * anchor falls at 2000-01-01T00:00:00Z (intervals unchanged; times written in UTC), ages of 90 and over become 90,
 * free text is dropped, device / sample / route ids are replaced, and the source row numbers are dropped. Pure and
 * total: a record parseEpisode accepts gives a record parseEpisode accepts, with the same rule results.
 */
export function deidentifyRecord(record: RegistryRecord, pseudonym: string): RegistryRecord {
  const episode = deidentifyEpisode(record.episode, pseudonym);
  return { site: record.site, patient: { sourceId: pseudonym }, episode };
}

/** The pseudonym of the n-th record (1-based) in site / episode order: 'P000001', 'P000002', ... */
export function pseudonymFor(n: number): string {
  return `P${String(n).padStart(6, '0')}`;
}

/**
 * De-identify a set of records with deterministic pseudonyms: records are numbered in (site, episode id) order (code
 * unit order, input order for ties) as P000001, P000002, ...; the result keeps the input order.
 */
export function deidentifyRecords(records: readonly RegistryRecord[]): RegistryRecord[] {
  const order = records.map((r, i) => i);
  const key = (r: RegistryRecord): [string, string] => [String(r.site ?? ''), String(r.episode?.id ?? '')];
  order.sort((a, b) => {
    const [sa, ea] = key(records[a]);
    const [sb, eb] = key(records[b]);
    return sa < sb ? -1 : sa > sb ? 1 : ea < eb ? -1 : ea > eb ? 1 : a - b;
  });
  const pseudonyms = new Array<string>(records.length);
  order.forEach((index, rank) => {
    pseudonyms[index] = pseudonymFor(rank + 1);
  });
  return records.map((r, i) => deidentifyRecord(r, pseudonyms[i]));
}
