// The synthetic CS-MCS registry: one patient at a time, each from its own seeded stream, in the canonical episode
// format, with the ground truth that generated it. Pure: no file or database I/O (the CLI writes the files).
// The causal structure is documented in docs/synthetic-data.md; the modules it calls each own one part of it.
import { BUNDLED_PROTOCOLS } from '../clinical/anticoagulation/protocols.js';
import type { BundledProtocolId } from '../clinical/anticoagulation/protocol.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import type { RegistryRecord } from '../registry/record.js';
import { planBleeds, type AccessLine, type PlannedBleed } from './bleeding-course.js';
import { clamp, EpisodeBuilder, round, type DeviceItem } from './episode-builder.js';
import { simulateHeparin, type PurgeSegment } from './heparin-course.js';
import { chartLabs, chartSupports, chartVitalsAndLactate, continueVasoactives, type CourseFrame } from './icu-course.js';
import { drawDeathDay, followUp } from './outcome.js';
import type { BleedingGrade, PatientTruth, SyntheticPatient } from './patient-truth.js';
import { planComplications } from './complications.js';
import { chartOrganFunction } from './organ-function-chart.js';
import { chartBeforeTimeZero } from './pre-device-chart.js';
import { drawPresentation, withinStage, type Presentation } from './presentation.js';
import { PATIENT_SUBSTREAM, patientRng, patientSubRng, type Rng } from './prng.js';
import { siteAllocation, siteProfiles, type SiteProfile } from './site-profiles.js';
import { syntheticIdentity } from './synthetic-identity.js';
import type { SynthParameters } from './synth-parameters.js';

const DAY = 1440;

/** Every patient of the registry, lazily, in index order. */
export function* generateRegistry(params: SynthParameters): Generator<SyntheticPatient> {
  const sites = siteProfiles(params);
  for (let i = 0; i < params.patients; i++) yield generatePatient(params, i, patientRng(params.seed, i), sites);
}

interface PlacedDevice {
  readonly item: DeviceItem;
  readonly kind: 'iabp' | 'microaxial' | 'va_ecmo';
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly access: readonly AccessLine[];
}

/** Selection reasons by device kind and stage (structured reasons, episode format) [D]. */
function selectionReasons(kind: 'iabp' | 'microaxial' | 'va_ecmo', stage: string, ecpr: boolean, rng: Rng): DeviceItem['selectionReasons'] {
  if (kind === 'va_ecmo') return ecpr ? ['cardiac_arrest_ecpr'] : [rng.pick(['hypoperfusion_despite_vasoactives', 'biventricular_failure', 'hypoxemia'] as const)];
  if (kind === 'microaxial') {
    const r: NonNullable<DeviceItem['selectionReasons']> = [stage === 'B' ? 'protected_pci' : rng.pick(['hypoperfusion_despite_vasoactives', 'lv_unloading'] as const)];
    if (rng.chance(0.2)) r.push('operator_preference');
    return r;
  }
  const r: NonNullable<DeviceItem['selectionReasons']> = [stage === 'B' ? 'protected_pci' : 'persistent_hypotension_despite_vasoactives'];
  if (rng.chance(0.25)) r.push(rng.pick(['device_availability', 'operator_preference', 'contraindication_to_alternative'] as const));
  return r;
}

/** The devices of a group, inserted at time zero (the second device of a combination within 12 h). */
function placeDevices(b: EpisodeBuilder, pres: Presentation, deathMin: number, placement: DeviceItem['placement'], rng: Rng): PlacedDevice[] {
  const out: PlacedDevice[] = [];
  const stage = pres.recordedStage;
  const ecpr = pres.arrest?.ecpr === true;
  const survivesUntil = (plannedDays: number): { to: number; died: boolean } => {
    const planned = Math.round(plannedDays * DAY);
    return planned < deathMin ? { to: planned, died: false } : { to: Math.round(deathMin), died: true };
  };
  const add = (kind: 'iabp' | 'microaxial' | 'va_ecmo', from: number, plannedDays: number, reasons: DeviceItem['selectionReasons']): void => {
    const id = `${kind}-${out.length + 1}`;
    const { to, died } = survivesUntil(plannedDays);
    const common = {
      id,
      insertion: b.iso(from),
      removal: b.iso(Math.max(from, to)),
      selectionReasons: reasons,
      removalReason: died ? ('death' as const) : ('recovery' as const),
      placement,
    };
    if (kind === 'iabp') {
      out.push({ kind, id, from, to, access: [{ device: 'iabp', french: 7.5, vessel: 'femoral', from, to, cannula: false }],
        item: { kind: 'iabp', ...common, accessSite: 'femoral', side: 'right', size_mL: pres.height_cm < 165 ? 34 : pres.height_cm < 183 ? 40 : 50, settings: [{ time: b.iso(from), iabpRatio: 1 }] } });
    } else if (kind === 'microaxial') {
      const u = rng.next();
      const model = u < 0.85 ? 'Impella CP' : u < 0.97 ? 'Impella 5.5' : 'Impella 2.5';
      const axillary = model === 'Impella 5.5';
      // Sheath sizes: Impella CP 14 Fr, Impella 2.5 13 Fr, Impella 5.5 via an axillary graft (19 Fr device) [R].
      const french = model === 'Impella CP' ? 14 : model === 'Impella 2.5' ? 13 : 19;
      const settings: NonNullable<DeviceItem['settings']> = [{ time: b.iso(from), pLevel: rng.int(6, 8), flow_L_min: round(rng.uniform(2.5, 3.8), 1) }];
      if (to - from > DAY) settings.push({ time: b.iso(from + DAY), pLevel: rng.int(4, 8), flow_L_min: round(rng.uniform(2.2, 3.6), 1), positionChecked: true, positionOk: rng.chance(0.9) });
      out.push({ kind, id, from, to, access: [{ device: 'microaxial', french, vessel: axillary ? 'axillary' : 'femoral', from, to, cannula: false }],
        item: { kind: 'microaxial', ...common, model, accessSite: axillary ? 'axillary' : 'femoral', side: axillary ? 'right' : 'left', settings } });
    } else {
      // Peripheral VA-ECMO: 17 Fr arterial and 23 Fr venous femoral cannulae [R].
      out.push({ kind, id, from, to, access: [
        { device: 'va_ecmo', french: 17, vessel: 'femoral', from, to, cannula: true },
        { device: 'va_ecmo', french: 23, vessel: 'femoral', from, to, cannula: true },
      ], item: { kind: 'va_ecmo', ...common, accessSite: 'femoral', cannulation: 'peripheral', distalPerfusionCannula: rng.chance(0.7), settings: [{ time: b.iso(from), flow_L_min: round(rng.uniform(3.2, 4.6), 1) }] } });
    }
  };
  switch (pres.deviceGroup) {
    case 'iabp': add('iabp', 0, rng.uniform(1, 4), selectionReasons('iabp', stage, ecpr, rng)); break;
    case 'microaxial': add('microaxial', 0, rng.uniform(1.5, 6), selectionReasons('microaxial', stage, ecpr, rng)); break;
    case 'va_ecmo': add('va_ecmo', 0, rng.uniform(3, 8), selectionReasons('va_ecmo', stage, ecpr, rng)); break;
    case 'combination': {
      const days = rng.uniform(3, 8);
      add('va_ecmo', 0, days, selectionReasons('va_ecmo', stage, ecpr, rng));
      // LV venting on ECMO (ECPELLA); simultaneous when the patient dies early.
      const second = deathMin < 70 ? 0 : Math.round(Math.min(rng.uniform(60, 720), deathMin - 10));
      add('microaxial', second, days - second / DAY, ['lv_distension_on_ecmo']);
      break;
    }
    case 'none': break;
  }
  for (const d of out) b.devices.push(d.item);
  return out;
}

const DEATH_CAUSES_LATE = { cardiovascular: 0.5, infection: 0.2, other: 0.15, unknown: 0.15 } as const;

/** One patient: record and truth. `sites` defaults to the parameter set's site profiles. */
export function generatePatient(params: SynthParameters, index: number, rng: Rng, sites: readonly SiteProfile[] = siteProfiles(params)): SyntheticPatient {
  // ---- site and presentation (roots of the graph)
  const alloc = allocationOf(sites);
  const u = rng.next();
  let si = 0;
  while (si < alloc.length - 1 && u >= alloc[si]) si++;
  const site = sites[si];
  const pres = drawPresentation(params, site, rng);
  const sevPos = withinStage(pres.severity, pres.trueStage, params.severity);
  const startMs = Date.parse(`${params.startDate}T00:00:00Z`);
  const t0Ms = startMs + Math.floor(rng.uniform(0, params.enrolmentDays * DAY)) * 60000;
  const b = new EpisodeBuilder(t0Ms);

  // ---- outcome first: the course below describes it, never changes it
  const deathDay = drawDeathDay(params.death, pres.trueStage, pres.ageYears, pres.deviceGroup, rng);
  const deathMin = Math.round(deathDay * DAY);

  // ---- before time zero
  const pre = chartBeforeTimeZero(b, pres, sevPos, rng);
  const etiology = rng.chance(0.8) ? 'AMI' : rng.chance(0.6) ? 'HF-acute-on-chronic' : 'HF-denovo';
  const ami = etiology === 'AMI';
  const pciRoll = rng.next();
  const placement: DeviceItem['placement'] = !ami ? (rng.chance(0.7) ? 'icu' : 'no_pci') : pciRoll < 0.5 ? 'before_pci' : pciRoll < 0.7 ? 'during_pci' : 'after_pci';
  const pciStart = !ami ? undefined : placement === 'before_pci' ? Math.round(rng.uniform(10, 45)) : placement === 'during_pci' ? -Math.round(rng.uniform(5, 20)) : -Math.round(rng.uniform(30, Math.min(150, -pre.obsStart - 30)));

  // ---- devices and stay
  const devices = placeDevices(b, pres, deathMin, placement, rng);
  const deviceEnd = devices.reduce((m, d) => Math.max(m, d.to), 0);
  const icuEnd = Math.min(deathMin, Math.round((devices.length > 0 ? deviceEnd : 0) + rng.uniform(1, 5) * DAY));
  const dischargeMin = icuEnd + Math.round(rng.uniform(3, 12) * DAY);
  const dischargedAlive = dischargeMin < deathMin;

  // ---- coagulation, heparin and purge
  const inr = Math.max(0.85, 1.1 * Math.exp(0.2 * pres.coagulopathy) * rng.logNormal(1, 0.05));
  let protocolId: BundledProtocolId | null = null;
  let meanTrueAntiXa: number | null = null;
  const purgeSegments: PurgeSegment[] = [];
  for (const d of devices) {
    if (d.kind !== 'microaxial' || d.to <= d.from) continue;
    const split = d.to - d.from > DAY ? d.from + DAY : d.to;
    for (const [from, to] of [[d.from, split], [split, d.to]] as const) {
      if (to <= from) continue;
      const flow = round(rng.uniform(7, 20), 1);
      b.purge.push({ deviceId: d.id, start: b.iso(from), end: b.iso(to), solution: 'heparin_d5w', heparin_IU_mL: site.purgeHeparin_IU_mL, flow_mL_h: flow });
      purgeSegments.push({ from, to, heparin_IU_kg_h: (site.purgeHeparin_IU_mL * flow) / pres.weight_kg });
    }
  }
  const heparinStart = devices.length > 0 ? 15 : Math.round(rng.uniform(30, 120));
  const heparinEnd = devices.length > 0 ? Math.min(deviceEnd, deathMin) : Math.min(deathMin, Math.round(rng.uniform(1, 3) * DAY));
  const onHeparin = (devices.length > 0 || rng.chance(params.heparinWithoutDevice)) && heparinEnd - heparinStart > 60;
  if (onHeparin) {
    const parallel = site.anticoagulationPractice === 'parallel_antixa_aptt';
    protocolId = parallel && inr >= params.siteMix.lowBandInrAtLeast ? params.siteMix.lowBandProtocolId : site.protocolId;
    b.anticoagulation.push({ from: b.iso(heparinStart), protocolId });
    const h = simulateHeparin(b, {
      protocol: BUNDLED_PROTOCOLS[protocolId],
      start: heparinStart,
      end: heparinEnd,
      weight_kg: pres.weight_kg,
      // anti-Xa per IU/kg/h [D]: 18 IU/kg/h → about 0.40 IU/mL; antithrombin consumption in sicker patients.
      sensitivity: 0.022 * rng.logNormal(1, 0.25) * Math.exp(-0.1 * pres.severity),
      baselineAptt_s: 29 * Math.pow(inr, 1.3) * rng.logNormal(1, 0.06),
      purge: purgeSegments,
      purgeCounted: site.purgeHeparinCounted,
      parallel,
    }, rng);
    meanTrueAntiXa = h.meanTrueAntiXa;
  }

  // ---- bleeding
  const exposureTo = devices.length > 0 ? Math.min(deviceEnd, deathMin) : Math.min(icuEnd, 3 * DAY);
  const planned = planBleeds(params.bleeding, {
    deviceGroup: pres.deviceGroup,
    from: 0,
    to: exposureTo,
    accesses: devices.flatMap((d) => d.access),
    coagulopathy: pres.coagulopathy,
    meanTrueAntiXa,
  }, rng);
  const hb0 = clamp(rng.normal(pres.sex === 'male' ? 13.4 : 12.2, 1.2) - 0.5 * Math.max(0, pres.severity), 8, 17);
  const transfusedAt = (bl: PlannedBleed): number => bl.t + 150;
  const hbAt = (t: number): number => {
    let hb = hb0 - 0.6 * clamp((t - pre.obsStart) / DAY, 0, 2);
    for (const bl of planned.bleeds) {
      if (t >= bl.t + 60) hb -= bl.hbDrop;
      if (t >= transfusedAt(bl)) hb += 0.9 * bl.rbcUnits;
    }
    return Math.max(5, hb);
  };

  // ---- the ICU course
  const frame: CourseFrame = {
    obsStart: pre.obsStart,
    deathMin,
    icuEnd,
    deviceGroup: pres.deviceGroup,
    deviceEnd,
    shearDevices: devices.filter((d) => d.kind !== 'iabp').map((d) => ({ kind: d.kind as 'microaxial' | 'va_ecmo', id: d.id, from: d.from, to: d.to })),
    severity: pres.severity,
  };
  continueVasoactives(b, pre.vasoactives, frame, rng);
  chartVitalsAndLactate(b, frame, pre, rng);
  const creatinine0 = rng.logNormal(1.0, 0.25);
  const aki = Math.max(0, 0.3 + 0.3 * pres.severity + rng.normal(0, 0.3));
  const hemolysisProne = frame.shearDevices.length > 0 && rng.chance(pres.deviceGroup === 'va_ecmo' ? 0.08 : 0.1);
  const labs = chartLabs(b, frame, {
    creatinine0,
    aki,
    alt0: 30 * Math.exp(1.2 * Math.max(0, pres.severity + 0.3) + rng.normal(0, 0.4)),
    bilirubin0: 0.8 * Math.exp(0.3 * pres.severity + rng.normal(0, 0.3)),
    platelets0: 230 * Math.exp(-0.25 * pres.coagulopathy + rng.normal(0, 0.2)),
    ldh0: 260 * Math.exp(0.4 * pres.severity + rng.normal(0, 0.3)),
    inr,
    hbAt,
    hemolysisProne,
  }, rng);
  const { ventilation } = chartSupports(b, frame, pres.recordedStage, pre.arrestTime, aki, rng);
  // Added later than the rest: its own sub-stream, so every draw above (and every variable) is unchanged.
  chartOrganFunction(b, { pres, sevPos, pre, aki, ventilation }, patientSubRng(params.seed, index, PATIENT_SUBSTREAM.organChart));

  // ---- events: bleeds with their transfusions, hemolysis, death
  const bleedTruth: { day: number; grade: BleedingGrade; site: string }[] = [];
  for (const bl of planned.bleeds) {
    const baseline = round(hbAt(bl.t - 1), 1);
    const nadir = round(Math.min(baseline - 0.1, hbAt(bl.t + 120)), 1);
    const major = bl.grade === 'major' || bl.grade === 'life_threatening';
    const idx = b.event({
      kind: 'bleeding',
      time: b.iso(bl.t),
      facts: {
        site: bl.site,
        ...(bl.vessel ? { accessVessel: bl.vessel } : {}),
        relatedDevice: bl.relatedDevice,
        overt: bl.site !== 'retroperitoneal',
        imagingConfirmed: bl.site === 'retroperitoneal' || bl.site === 'intracranial' ? true : undefined,
        hbBaseline: { value: baseline, unit: 'g/dL', time: b.iso(bl.t - 30) },
        hbNadir: { value: Math.max(5, nadir), unit: 'g/dL', time: b.iso(bl.t + 120) },
        rbcUnitsWithin48h: bl.rbcUnits,
        unitsBetweenBaselineAndNadir: 0,
        promptedEvaluation: bl.grade === 'minor' ? rng.chance(0.4) : true,
        medicalInterventionByProfessional: bl.grade === 'minor' ? rng.chance(0.4) : true,
        causedHospitalizationOrHigherCare: false,
        discomfortOrImpairedActivities: false,
        anticoagulationInterrupted: rng.chance(bl.grade === 'minor' ? 0.2 : bl.grade === 'moderate' ? 0.6 : 0.9),
        surgicalOrEndovascularControl: bl.grade === 'major' ? rng.chance(0.35) : bl.grade === 'life_threatening' ? rng.chance(0.5) : false,
        vasoactiveStartedForBleeding: bl.grade === 'major' ? rng.chance(0.25) : bl.grade === 'life_threatening' ? rng.chance(0.6) : false,
        hemodynamicCompromise: bl.grade === 'life_threatening',
        fatal: false,
      },
    });
    if (bl.rbcUnits > 0) b.event({ kind: 'transfusion', time: b.iso(transfusedAt(bl)), product: 'rbc', units: bl.rbcUnits, forBleedingEvent: idx });
    if (major && rng.chance(0.5)) b.event({ kind: 'transfusion', time: b.iso(transfusedAt(bl)), product: 'plasma', units: rng.int(2, 4), forBleedingEvent: idx });
    bleedTruth.push({ day: bl.t / DAY, grade: bl.grade, site: bl.site });
  }
  if (labs.firstHighPfhb !== null) {
    const dev = frame.shearDevices.find((d) => labs.firstHighPfhb! >= d.from && labs.firstHighPfhb! <= d.to);
    b.event({
      kind: 'hemolysis',
      time: b.iso(labs.firstHighPfhb),
      ...(dev ? { relatedDeviceId: dev.id, relatedDevice: dev.kind } : {}),
      hemoglobinuria: rng.chance(0.3),
      actions: [rng.pick(['repositioning', 'speed_reduction', 'none'] as const)],
    });
  }
  // Stroke and limb ischemia: own sub-stream, never pre-empted by death, no effect on it.
  const accessDevice = devices.find((d) => d.kind === 'va_ecmo') ?? devices[0];
  const complications = planComplications(params.complications, {
    deviceGroup: pres.deviceGroup,
    access: accessDevice
      ? { id: accessDevice.id, kind: accessDevice.kind, side: accessDevice.item.side ?? null, distalPerfusionCannula: accessDevice.item.kind === 'va_ecmo' && accessDevice.item.distalPerfusionCannula === true, to: accessDevice.to }
      : null,
    deathMin,
    dischargeMin,
  }, patientSubRng(params.seed, index, PATIENT_SUBSTREAM.complications));
  const limb = complications.limbIschemia;
  if (limb) b.event({ kind: 'limb_ischemia', time: b.iso(limb.t), side: limb.side, ...(limb.relatedDeviceId !== null ? { relatedDeviceId: limb.relatedDeviceId } : {}), intervention: limb.intervention });
  const stroke = complications.stroke;
  if (stroke) b.event({ kind: 'stroke', time: b.iso(stroke.t), type: stroke.type, imagingConfirmed: stroke.imagingConfirmed });
  const fu = followUp(params.death, deathDay, dischargeMin / DAY, rng);
  if (fu.observedDeath) {
    const lifeBleedBefore = planned.bleeds.some((bl) => bl.grade === 'life_threatening' && deathMin - bl.t < 2 * DAY);
    const cause = lifeBleedBefore && rng.chance(0.5)
      ? 'bleeding'
      : pres.arrest?.coma && deathDay < 7 && rng.chance(0.6)
        ? 'neurologic'
        : deathMin <= deviceEnd || deathMin <= icuEnd
          ? (rng.chance(0.6) ? 'cardiovascular' : 'multiorgan_failure')
          : rng.weighted(DEATH_CAUSES_LATE);
    b.event({ kind: 'death', time: b.iso(deathMin), cause });
  }

  // ---- identity and the episode
  const ageWhole = Math.floor(pres.ageYears);
  const identity = syntheticIdentity(rng, site.code, index, pres.ageYears, t0Ms);
  const episodeId = `EP${String(index + 1).padStart(6, '0')}`;
  const stageAtLeastC = pres.recordedStage !== 'B';
  const episode: EpisodeInput = {
    formatVersion: '1',
    id: episodeId,
    site: site.code,
    anchor: { kind: devices.length > 0 ? 'device_start' : 'shock_onset', time: b.iso(0) },
    times: {
      admission: b.iso(pre.obsStart),
      cicuAdmission: b.iso(pre.obsStart + Math.round(rng.uniform(30, 120))),
      shockOnset: b.iso(devices.length > 0 ? pre.obsStart + Math.round(rng.uniform(0, 60)) : 0),
      ...(pciStart !== undefined ? { pciStart: b.iso(pciStart) } : {}),
      ...(dischargedAlive ? { discharge: b.iso(dischargeMin) } : {}),
    },
    demographics: { age_years: ageWhole, sex: pres.sex, weight: pres.weight_kg, height: pres.height_cm },
    clinical: {
      etiology,
      ...(ami ? { stemi: rng.chance(0.75), infarctLocation: rng.weighted({ anterior: 55, inferior: 30, lateral: 10, posterior: 5 }) } : {}),
      clinicianReportedCS: stageAtLeastC,
      ...(rng.chance(0.5) ? { baselineCreatinine: { value: round(creatinine0, 2), unit: 'mg/dL', source: 'outpatient_365_days' as const } } : {}),
      ldhUpperLimitOfNormal_U_L: 240,
      altUpperLimitOfNormal_U_L: 40,
    },
    observations: b.observations,
    infusions: b.infusions,
    purge: b.purge,
    devices: b.devices,
    supports: b.supports,
    events: b.events,
    anticoagulation: b.anticoagulation,
    followUp: fu.observedDeath ? {} : { lastKnownAlive: b.iso(Math.floor(fu.observedDay * DAY)), source: fu.source },
  };
  const record: RegistryRecord = { site: site.code, patient: identity, episode };

  const truth: PatientTruth = {
    index,
    site: site.code,
    episodeId,
    severity: pres.severity,
    trueStage: pres.trueStage,
    recordedStage: pres.recordedStage,
    deviceGroup: pres.deviceGroup,
    ageYears: pres.ageYears,
    coagulopathy: pres.coagulopathy,
    cardiacArrest: pres.arrest !== null,
    comaAfterArrest: pres.arrest?.coma === true,
    anticoagulationPractice: site.anticoagulationPractice,
    protocolId,
    purgeHeparinCounted: site.purgeHeparinCounted,
    meanTrueAntiXa_IU_mL: meanTrueAntiXa,
    maxAccessFrench: devices.reduce((m, d) => Math.max(m, ...d.access.map((a) => a.french)), 0),
    bleedingRate: planned.rate,
    bleedingEvents: bleedTruth,
    limbIschemiaDay: limb ? limb.t / DAY : null,
    strokeDay: stroke ? stroke.t / DAY : null,
    strokeType: stroke ? stroke.type : null,
    deathDay,
    diedWithin1Year: deathDay <= 365,
    observedDay: fu.observedDay,
    observedDeath: fu.observedDeath,
    timeZero: b.iso(0),
  };
  return { record, truth };
}

const allocations = new WeakMap<readonly SiteProfile[], Float64Array>();
function allocationOf(sites: readonly SiteProfile[]): Float64Array {
  let a = allocations.get(sites);
  if (!a) allocations.set(sites, (a = siteAllocation(sites)));
  return a;
}
