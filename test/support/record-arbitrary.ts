// fast-check arbitrary of registry records whose episodes parseEpisode accepts, covering every section and every
// optional field of the episode format (docs/episode-format.md), for the round-trip property tests of each
// importer/exporter pair. Values are drawn in the canonical unit inside the plausibility reject range (with a margin
// so unit conversion never pushes them out), then written in a randomly chosen accepted input unit; times are drawn
// around the anchor with mixed UTC offsets; cross-field rules (end after start, DBP <= SBP at one instant, one death,
// purge on a microaxial device, transfusion pointing at a bleeding, unique device ids) hold by construction.
import fc from 'fast-check';
import { BUNDLED_PROTOCOL_IDS, MONITORING_TESTS } from '../../src/clinical/anticoagulation/protocol.js';
import { ACCESS_VESSELS, BLEEDING_RELATED_DEVICES, BLEEDING_SITES, HB_UNIT_TO_G_DL } from '../../src/clinical/bleeding/bleeding-facts.js';
import {
  ACCESS_SITES,
  ANCHOR_KINDS,
  BOLUS_DRUGS,
  DEVICE_KINDS,
  ETIOLOGIES,
  FOLLOW_UP_SOURCES,
  HEIGHT_UNITS,
  INFARCT_LOCATIONS,
  MICROAXIAL_MODELS,
  MIXED_COMPONENTS,
  PURGE_SOLUTIONS,
  SELECTION_REASONS,
  SEXES,
  SPECIMENS,
  SUPPORT_KINDS,
  TRANSFUSION_PRODUCTS,
  WEIGHT_UNITS,
  type EpisodeInput,
} from '../../src/clinical/episode/episode-schema.js';
import { INFUSION_DRUG_DEFS, INFUSION_DRUGS } from '../../src/clinical/episode/infusion-drugs.js';
import { OBSERVATION_CODE_NAMES, OBSERVATION_CODES, type ObservationCode } from '../../src/clinical/episode/observation-codes.js';
import type { RegistryRecord } from '../../src/registry/record.js';

type Input = EpisodeInput;
type Obs = NonNullable<Input['observations']>[number];
type Device = NonNullable<Input['devices']>[number];
type Event = NonNullable<Input['events']>[number];

// ---------------------------------------------------------------- times

/** UTC offsets the times are written with (FHIR allows -12:00..+14:00; all valid ISO 8601). */
const OFFSETS = ['Z', '+01:00', '-05:00', '+05:30', '+14:00', '-09:30'] as const;

/** `ms` (an instant) written in the offset `off`, with or without milliseconds. */
export function isoAt(ms: number, off: string, millis: boolean): string {
  const sign = off === 'Z' ? 0 : off.startsWith('-') ? -1 : 1;
  const offMin = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)) || 0);
  const local = new Date(ms + offMin * 60_000).toISOString();
  return `${millis ? local.slice(0, 23) : local.slice(0, 19)}${off}`;
}

/** A time `minutes` after the anchor instant, in a random offset, sometimes with a seconds/milliseconds part. */
function timeAfter(anchorMs: number, minutes: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc
    .record({ m: minutes, s: fc.integer({ min: 0, max: 59 }), msPart: fc.integer({ min: 0, max: 999 }), off: fc.constantFrom(...OFFSETS), millis: fc.boolean() })
    .map(({ m, s, msPart, off, millis }) => isoAt(anchorMs + m * 60_000 + s * 1000 + (millis ? msPart : 0), off, millis));
}

/** A [start, end?] pair of times with end >= start. */
function interval(anchorMs: number, startMin: fc.Arbitrary<number>): fc.Arbitrary<{ start: string; end?: string }> {
  return fc
    .record({ start: startMin, dur: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }), off: fc.constantFrom(...OFFSETS), off2: fc.constantFrom(...OFFSETS) })
    .map(({ start, dur, off, off2 }) => ({
      start: isoAt(anchorMs + start * 60_000, off, false),
      ...(dur !== undefined ? { end: isoAt(anchorMs + (start + dur) * 60_000, off2, false) } : {}),
    }));
}

// ---------------------------------------------------------------- values

const text = fc.string({ minLength: 1, maxLength: 12 });
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });

/** A double in [min, max] shrunk by a margin of 1% of the span on each side. */
function inside(min: number, max: number): fc.Arbitrary<number> {
  const m = (max - min) * 0.01;
  return fc.double({ min: min + m, max: max - m, noNaN: true, noDefaultInfinity: true });
}

function pick<T>(list: readonly T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...list);
}

function subset<T>(list: readonly T[]): fc.Arbitrary<T[]> {
  return fc.subarray([...list]);
}

/** Drops keys whose value is undefined (fc.record with optional keys already omits them; this is for spreads). */
function defined<T extends object>(o: T): T {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) r[k] = v;
  return r as T;
}

// ---------------------------------------------------------------- sections

function quantityIn(units: Readonly<Record<string, number>>, canonical: string, min: number, max: number): fc.Arbitrary<number | { value: number; unit: string }> {
  return fc.oneof(
    inside(min, max),
    fc.record({ unit: pick(Object.keys(units)), c: inside(min, max) }).map(({ unit, c }) => ({ value: c / units[unit], unit })),
    inside(min, max).map((c) => ({ value: c, unit: canonical })),
  );
}

function weightKg(w: number | { value: number; unit: string } | undefined): number | undefined {
  if (w === undefined) return undefined;
  return typeof w === 'number' ? w : w.value * WEIGHT_UNITS[w.unit as keyof typeof WEIGHT_UNITS];
}

function observation(anchorMs: number, index: number): fc.Arbitrary<Obs> {
  return pick(OBSERVATION_CODE_NAMES).chain((code: ObservationCode) => {
    const def = OBSERVATION_CODES[code];
    const value = def.integer ? fc.integer({ min: def.reject.min, max: def.reject.max }) : inside(def.reject.min, def.reject.max);
    // Distinct minutes per observation: no two values share an instant, so the same-instant cross checks never fire.
    const minutes = fc.integer({ min: 0, max: 16 }).map((j) => -600 + index * 17 + j);
    return fc
      .record(
        {
          time: timeAfter(anchorMs, minutes),
          unit: pick(def.inputUnits.map((u) => u.unit)),
          canonical: value,
          censored: def.censorable ? pick(['gt', 'lt'] as const) : fc.constant(undefined),
          specimen: pick(SPECIMENS),
          method: text,
          periodMin: fc.double({ min: 0.5, max: 1440, noNaN: true }),
          sampleId: text,
          note: text,
          unitGiven: fc.boolean(),
        },
        { requiredKeys: ['time', 'unit', 'canonical', 'unitGiven'] },
      )
      .map(({ time, unit, canonical, unitGiven, ...rest }): Obs => {
        const u = def.inputUnits.find((x) => x.unit === unit)!;
        // Integer codes (GCS) take only their canonical unit as entered: a converted value would not be whole.
        const useUnit = def.integer ? def.unit : unit;
        const v = def.integer ? canonical : (canonical - (u.offset ?? 0)) / u.factor;
        return defined({ time, code, value: v, ...(unitGiven || useUnit !== def.unit ? { unit: useUnit } : {}), ...rest });
      });
  });
}

function infusions(anchorMs: number, weight: number | undefined): fc.Arbitrary<NonNullable<Input['infusions']>> {
  const one = pick(INFUSION_DRUGS).chain((drug) => {
    const def = INFUSION_DRUG_DEFS[drug];
    const units = def.inputUnits.filter((u) => weight !== undefined || !u.divideByWeight);
    return fc
      .record({
        unit: pick(units),
        perKg: inside(0, def.rejectMax ?? 10),
        when: interval(anchorMs, fc.integer({ min: -600, max: 8000 })),
        route: opt(pick(['iv', 'ecmo_circuit', 'central line'])),
        note: opt(text),
      })
      .map(({ unit, perKg, when, route, note }) => {
        const absoluteHeparin = drug === 'ufh' && unit.unit.includes('/h') && !unit.unit.includes('/kg');
        const perPatient = unit.divideByWeight || absoluteHeparin;
        const rate = (perPatient ? perKg * (weight ?? 60) : perKg) / unit.factor;
        return defined({ drug, ...when, rate, rateUnit: unit.unit, route, note });
      });
  });
  return fc.array(one, { maxLength: 4 });
}

const BOLUS_UNITS = { ufh: ['[IU]', '[IU]/kg', 'IU', 'U/kg'], bivalirudin: ['mg', 'mg/kg'], argatroban: ['ug', 'ug/kg', 'mcg'] } as const;

function boluses(anchorMs: number): fc.Arbitrary<NonNullable<Input['boluses']>> {
  const one = pick(BOLUS_DRUGS).chain((drug) =>
    fc
      .record({
        time: timeAfter(anchorMs, fc.integer({ min: -300, max: 6000 })),
        dose: fc.double({ min: 0, max: 10000, noNaN: true }),
        doseUnit: pick(BOLUS_UNITS[drug]),
        context: opt(pick(['protocol', 'procedural', 'flush', 'other'] as const)),
        note: opt(text),
      })
      .map((b) => defined({ drug, ...b })),
  );
  return fc.array(one, { maxLength: 3 });
}

function deviceSettings(anchorMs: number): fc.Arbitrary<NonNullable<Device['settings']>> {
  const one = fc.record(
    {
      time: timeAfter(anchorMs, fc.integer({ min: 0, max: 8000 })),
      pLevel: fc.integer({ min: 0, max: 9 }),
      speed_rpm: inside(0, 60000),
      flow_L_min: inside(0, 10),
      iabpRatio: fc.integer({ min: 1, max: 3 }),
      positionChecked: fc.boolean(),
      positionOk: fc.boolean(),
      note: text,
    },
    { requiredKeys: ['time'] },
  );
  return fc.array(one, { maxLength: 3 });
}

const PLACEMENTS = ['before_pci', 'during_pci', 'after_pci', 'no_pci', 'icu', 'operating_room', 'other'] as const;
const REMOVAL_REASONS = ['recovery', 'escalation', 'complication', 'death', 'transfer', 'other'] as const;

function device(anchorMs: number, index: number): fc.Arbitrary<Device> {
  const common = fc.record(
    {
      id: text.map((t) => `${t}#${index}`),
      accessSite: pick(ACCESS_SITES),
      side: pick(['left', 'right'] as const),
      placement: pick(PLACEMENTS),
      selectionReasons: subset(SELECTION_REASONS),
      selectionNote: text,
      closure: text,
      removalReason: pick(REMOVAL_REASONS),
      note: text,
    },
    { requiredKeys: [] },
  );
  const specific = fc.oneof(
    fc.record({ kind: fc.constant('iabp' as const), size_mL: inside(20, 60) }, { requiredKeys: ['kind'] }),
    fc.record({ kind: fc.constant('microaxial' as const), model: pick(MICROAXIAL_MODELS), modelOther: text }, { requiredKeys: ['kind', 'model'] }),
    fc.record({ kind: fc.constant('va_ecmo' as const), cannulation: pick(['peripheral', 'central'] as const), distalPerfusionCannula: fc.boolean() }, { requiredKeys: ['kind'] }),
    fc.record({ kind: fc.constant('other' as const), description: text }),
  );
  return fc
    .record({ common, specific, when: interval(anchorMs, fc.integer({ min: -120, max: 3000 })), settings: deviceSettings(anchorMs) })
    .map(({ common, specific, when, settings }) => ({ ...common, ...specific, insertion: when.start, ...(when.end ? { removal: when.end } : {}), settings }) as Device);
}

function hb(anchorMs: number): fc.Arbitrary<{ value: number; unit?: 'g/dL' | 'g/L' | 'mmol/L'; time?: string }> {
  return fc
    .record({ g_dL: inside(1, 25), unit: opt(pick(['g/dL', 'g/L', 'mmol/L'] as const)), time: opt(timeAfter(anchorMs, fc.integer({ min: -600, max: 6000 }))) })
    .map(({ g_dL, unit, time }) => defined({ value: g_dL / HB_UNIT_TO_G_DL[unit ?? 'g/dL'], unit, time }));
}

function bleedingFacts(anchorMs: number): fc.Arbitrary<Extract<Event, { kind: 'bleeding' }>['facts']> {
  const yes = fc.boolean();
  const units = fc.integer({ min: 0, max: 200 });
  const hct = fc.record({ value_pct: inside(3, 75), time: opt(timeAfter(anchorMs, fc.integer({ min: -600, max: 6000 }))) }).map(defined);
  const snapshot = fc.record(
    { drug: text, aptt_s: inside(0, 300), antiXa_IU_mL: inside(0, 3), act_s: inside(0, 1000), time: timeAfter(anchorMs, fc.integer({ min: 0, max: 6000 })) },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      site: pick(BLEEDING_SITES),
      accessVessel: pick(ACCESS_VESSELS),
      relatedDevice: pick(BLEEDING_RELATED_DEVICES),
      description: text,
      overt: yes,
      imagingConfirmed: yes,
      autopsyConfirmed: yes,
      lumbarPunctureConfirmed: yes,
      microbleedOrHemorrhagicTransformation: yes,
      visionCompromised: yes,
      tamponade: yes,
      pericardiocentesis: yes,
      compartmentSyndrome: yes,
      hbBaseline: hb(anchorMs),
      hbNadir: hb(anchorMs),
      hctBaseline: hct,
      hctNadir: hct,
      hemodilutionSuspected: yes,
      rbcUnitsWithin48h: units,
      wholeBloodUnits: units,
      unitsBetweenBaselineAndNadir: units,
      vasoactiveStartedForBleeding: yes,
      hemodynamicCompromise: yes,
      surgicalOrEndovascularControl: yes,
      causedHospitalizationOrHigherCare: yes,
      medicalInterventionByProfessional: yes,
      promptedEvaluation: yes,
      anticoagulationInterrupted: yes,
      discomfortOrImpairedActivities: yes,
      permanentInjury: yes,
      fatal: yes,
      deathCertainty: pick(['definite', 'probable'] as const),
      cabgRelated: yes,
      withinHoursOfCabg: inside(0, 200),
      chestTubeOutputMl24h: inside(0, 50000),
      reoperationForBleeding: yes,
      onAnticoagulation: snapshot,
    },
    { requiredKeys: ['site'] },
  );
}

function event(anchorMs: number): fc.Arbitrary<Event> {
  const time = timeAfter(anchorMs, fc.integer({ min: -600, max: 10000 }));
  const yes = fc.boolean();
  return fc.oneof(
    fc.record(
      {
        kind: fc.constant('cardiac_arrest' as const), time, setting: pick(['OHCA', 'IHCA'] as const),
        rhythm: pick(['VF', 'VT', 'PEA', 'asystole', 'unknown'] as const), rosc: yes, durationMin: inside(0, 600), ecpr: yes,
        comaAfterArrest: yes, gcsAfter: fc.integer({ min: 3, max: 15 }), note: text,
      },
      { requiredKeys: ['kind', 'time'] },
    ),
    fc.record({ kind: fc.constant('bleeding' as const), time, facts: bleedingFacts(anchorMs), note: text }, { requiredKeys: ['kind', 'time', 'facts'] }),
    fc.record(
      {
        kind: fc.constant('hemolysis' as const), time, relatedDeviceId: text, relatedDevice: pick(DEVICE_KINDS), hemoglobinuria: yes,
        transfusionForHemolysis: yes, akiAttributed: yes,
        actions: subset(['device_exchange', 'repositioning', 'speed_reduction', 'none', 'other'] as const), note: text,
      },
      { requiredKeys: ['kind', 'time'] },
    ),
    fc.record(
      {
        kind: fc.constant('limb_ischemia' as const), time, side: pick(['left', 'right'] as const), relatedDeviceId: text,
        intervention: pick(['none', 'distal_perfusion_cannula', 'device_removal', 'endovascular', 'surgical', 'fasciotomy', 'amputation'] as const),
        note: text,
      },
      { requiredKeys: ['kind', 'time'] },
    ),
    fc.record(
      { kind: fc.constant('stroke' as const), time, type: pick(['ischemic', 'hemorrhagic', 'unknown'] as const), imagingConfirmed: yes, note: text },
      { requiredKeys: ['kind', 'time'] },
    ),
    fc.record(
      { kind: fc.constant('transfusion' as const), time, product: pick(TRANSFUSION_PRODUCTS), units: fc.integer({ min: 0, max: 100 }), forBleedingEvent: fc.nat(), note: text },
      { requiredKeys: ['kind', 'time', 'product', 'units'] },
    ),
    fc.record(
      { kind: fc.constant('death' as const), time, cause: pick(['cardiovascular', 'bleeding', 'neurologic', 'multiorgan_failure', 'infection', 'other', 'unknown'] as const), note: text },
      { requiredKeys: ['kind', 'time'] },
    ),
  );
}

/** At most one death; a transfusion's forBleedingEvent points at a bleeding event (or is dropped when there is none). */
function consistentEvents(list: Event[]): Event[] {
  let deaths = 0;
  const kept = list.filter((e) => e.kind !== 'death' || deaths++ === 0);
  const bleedings = kept.flatMap((e, i) => (e.kind === 'bleeding' ? [i] : []));
  return kept.map((e) => {
    if (e.kind !== 'transfusion' || e.forBleedingEvent === undefined) return e;
    const { forBleedingEvent, ...rest } = e;
    return bleedings.length > 0 ? { ...rest, forBleedingEvent: bleedings[forBleedingEvent % bleedings.length] } : rest;
  });
}

const band = fc
  .record({ test: pick(MONITORING_TESTS), low: fc.double({ min: 0, max: 100, noNaN: true }), width: fc.double({ min: 0.01, max: 100, noNaN: true }) })
  .map(({ test, low, width }) => ({ test, low, high: low + width }));

function anticoagulation(anchorMs: number): fc.Arbitrary<NonNullable<Input['anticoagulation']>> {
  const one = fc.record(
    {
      from: timeAfter(anchorMs, fc.integer({ min: -60, max: 6000 })),
      protocolId: fc.oneof(pick(BUNDLED_PROTOCOL_IDS), text),
      target: fc.oneof(band, fc.array(band, { minLength: 1, maxLength: 3 })),
      note: text,
    },
    { requiredKeys: ['from', 'protocolId'] },
  );
  return fc.array(one, { maxLength: 3 });
}

function clinical(anchorMs: number): fc.Arbitrary<NonNullable<Input['clinical']>> {
  const creatinineUnits = OBSERVATION_CODES.creatinine_mg_dL.inputUnits;
  const baselineCreatinine = fc
    .record({
      unit: opt(pick(creatinineUnits)),
      mg_dL: inside(0.05, 30),
      time: opt(timeAfter(anchorMs, fc.integer({ min: -500000, max: -60 }))),
      source: opt(pick(['prior_7_days', 'outpatient_365_days', 'other'] as const)),
    })
    .map(({ unit, mg_dL, time, source }) => defined({ value: mg_dL / (unit?.factor ?? 1), unit: unit?.unit, time, source }));
  return fc.record(
    {
      etiology: pick(ETIOLOGIES),
      mixedShock: fc.boolean(),
      mixedComponent: pick(MIXED_COMPONENTS),
      infarctLocation: pick(INFARCT_LOCATIONS),
      stemi: fc.boolean(),
      clinicianReportedCS: fc.boolean(),
      baselineSbp_mmHg: inside(0, 300),
      baselineCreatinine,
      chronicKidneyReplacement: fc.boolean(),
      ldhUpperLimitOfNormal_U_L: fc.double({ min: 1, max: 1000, noNaN: true }),
      altUpperLimitOfNormal_U_L: fc.double({ min: 1, max: 1000, noNaN: true }),
      notes: text,
    },
    { requiredKeys: [] },
  );
}

const identity = fc.record(
  {
    sourceId: text,
    mrn: text,
    familyName: text,
    givenName: text,
    birthDate: fc.date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2005-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    postalCode: fc.stringMatching(/^[0-9]{5}$/),
  },
  { requiredKeys: ['sourceId'] },
);

// ---------------------------------------------------------------- the record

/** 2020-01-01 .. 2025-12-31: episodes in the past of any test's `now`. */
const ANCHOR_MIN_MS = Date.UTC(2020, 0, 1);
const ANCHOR_MAX_MS = Date.UTC(2025, 11, 31);

/** Registry records (identity + episode) that parseEpisode accepts, every optional field present in some. */
export function registryRecordArbitrary(): fc.Arbitrary<RegistryRecord> {
  const anchorMs = fc.integer({ min: ANCHOR_MIN_MS / 60_000, max: ANCHOR_MAX_MS / 60_000 }).map((m) => m * 60_000);
  return fc
    .record({ anchorMs, weight: opt(quantityIn(WEIGHT_UNITS, 'kg', 20, 400)) })
    .chain(({ anchorMs: a, weight }) => {
      const w = weightKg(weight);
      const devices = fc.array(fc.nat(), { maxLength: 3 }).chain((ns) => fc.tuple(...ns.map((_, i) => device(a, i))));
      return fc.record({
        site: fc.oneof(pick(['site-01', 'site-02', 'site-12']), text),
        patient: identity,
        id: text,
        anchorKind: pick(ANCHOR_KINDS),
        anchorOff: pick(OFFSETS),
        times: fc.record(
          {
            admission: timeAfter(a, fc.integer({ min: -2000, max: 0 })),
            cicuAdmission: timeAfter(a, fc.integer({ min: -1000, max: 600 })),
            shockOnset: timeAfter(a, fc.integer({ min: -1000, max: 600 })),
            pciStart: timeAfter(a, fc.integer({ min: -600, max: 600 })),
            discharge: timeAfter(a, fc.integer({ min: 10000, max: 60000 })),
          },
          { requiredKeys: [] },
        ),
        demographics: fc.record(
          { age_years: fc.oneof(fc.integer({ min: 18, max: 100 }), inside(0, 120)), sex: pick(SEXES), height: quantityIn(HEIGHT_UNITS, 'cm', 100, 250) },
          { requiredKeys: [] },
        ),
        clinical: opt(clinical(a)),
        observations: fc.array(fc.nat(), { maxLength: 12 }).chain((ns) => fc.tuple(...ns.map((_, i) => observation(a, i)))),
        infusions: infusions(a, w),
        boluses: boluses(a),
        devices,
        purgeRaw: fc.array(
          fc.record({
            when: interval(a, fc.integer({ min: 0, max: 3000 })),
            solution: opt(pick(PURGE_SOLUTIONS)),
            heparin_IU_mL: fc.oneof(pick([0, 12.5, 25, 50]), inside(0, 100)),
            flow_mL_h: inside(0, 60),
            bicarbonate_meq_L: opt(inside(0, 100)),
            note: opt(text),
            onDevice: fc.boolean(),
          }),
          { maxLength: 3 },
        ),
        supports: fc.array(
          fc.record({ kind: pick(SUPPORT_KINDS), when: interval(a, fc.integer({ min: -600, max: 6000 })), note: opt(text) }).map(({ kind, when, note }) => defined({ kind, ...when, note })),
          { maxLength: 3 },
        ),
        events: fc.array(event(a), { maxLength: 6 }).map(consistentEvents),
        anticoagulation: anticoagulation(a),
        followUp: opt(
          fc.record(
            { lastKnownAlive: timeAfter(a, fc.integer({ min: 20000, max: 525600 })), source: pick(FOLLOW_UP_SOURCES), note: text },
            { requiredKeys: [] },
          ),
        ),
      }).map((g): RegistryRecord => {
        // A purge belongs to a microaxial device of the episode (its id, or the '<kind>-<index>' parseEpisode gives it).
        const microaxialIds = g.devices.flatMap((d, i) => (d.kind === 'microaxial' ? [d.id ?? `microaxial-${i}`] : []));
        const purge = g.purgeRaw.map(({ when, onDevice, ...p }, k) =>
          defined({ ...(onDevice && microaxialIds.length > 0 ? { deviceId: microaxialIds[k % microaxialIds.length] } : {}), ...when, ...p }),
        );
        const episode: Input = defined({
          id: g.id,
          site: g.site,
          anchor: { kind: g.anchorKind, time: isoAt(a, g.anchorOff, false) },
          times: g.times,
          demographics: defined({ ...g.demographics, weight }),
          clinical: g.clinical,
          observations: g.observations,
          infusions: g.infusions,
          boluses: g.boluses,
          purge,
          devices: g.devices,
          supports: g.supports,
          events: g.events,
          anticoagulation: g.anticoagulation,
          followUp: g.followUp,
        });
        return { site: g.site, patient: g.patient, episode };
      });
    });
}
