// Device complications after time zero: limb ischemia requiring intervention and stroke (episode-format event kinds
// `limb_ischemia` and `stroke`). Each occurs with its 30-day risk for the patient's device group
// (synth-parameters.ts ComplicationParameters), independently of stage, severity and everything else, so the true risk
// ratio against IABP is the ratio of the parameters, crude and within any stratum. The event is placed in hospital
// before death or discharge, so death never pre-empts it: the 30-day cumulative incidence of each group is exactly its
// parameter. Complications do not change death (the outcome is fixed before the course is written).
//
// Draws come from the patient's complications sub-stream (prng.ts PATIENT_SUBSTREAM.complications), a fixed number per
// patient (8), so changing one risk parameter moves neither the other complication nor any existing variable.
import type { Rng } from './prng.js';
import type { ComplicationParameters, DeviceGroup } from './synth-parameters.js';

const DAY = 1440;
/** Limb ischemia appears while the large-bore access is in place or within half a day of its removal [D]. */
const LIMB_AFTER_REMOVAL_MIN = 720;
/** Limb ischemia without a device (diagnostic femoral access) within 2 days; stroke within 14 days [D]. */
const LIMB_WITHOUT_DEVICE_MIN = 2 * DAY;
const STROKE_HORIZON_MIN = 14 * DAY;

export type LimbIntervention = 'distal_perfusion_cannula' | 'endovascular' | 'surgical' | 'fasciotomy' | 'amputation';

/** The device whose access a limb ischemia is attributed to. */
export interface AccessDevice {
  readonly id: string;
  readonly kind: 'iabp' | 'microaxial' | 'va_ecmo';
  readonly side: 'left' | 'right' | null;
  /** VA-ECMO already has a distal perfusion cannula (it cannot be the intervention then). */
  readonly distalPerfusionCannula: boolean;
  readonly to: number;
}

export interface PlannedComplications {
  readonly limbIschemia: { readonly t: number; readonly side: 'left' | 'right'; readonly relatedDeviceId: string | null; readonly intervention: LimbIntervention } | null;
  readonly stroke: { readonly t: number; readonly type: 'ischemic' | 'hemorrhagic'; readonly imagingConfirmed: boolean } | null;
}

export interface ComplicationFrame {
  readonly deviceGroup: DeviceGroup;
  /** The large-bore device of the group (ECMO for a combination), or null without a device. */
  readonly access: AccessDevice | null;
  /** Death (minutes after time zero) and discharge alive (Infinity when the patient dies in hospital). */
  readonly deathMin: number;
  readonly dischargeMin: number;
}

/** Intervention weights for limb ischemia requiring intervention [D]. */
const INTERVENTIONS: Readonly<Record<'ecmo' | 'sheath' | 'none', readonly (readonly [LimbIntervention, number])[]>> = {
  ecmo: [['distal_perfusion_cannula', 0.4], ['endovascular', 0.15], ['surgical', 0.27], ['fasciotomy', 0.14], ['amputation', 0.04]],
  sheath: [['endovascular', 0.45], ['surgical', 0.45], ['fasciotomy', 0.08], ['amputation', 0.02]],
  none: [['endovascular', 0.5], ['surgical', 0.5]],
};

function pickWeighted(items: readonly (readonly [LimbIntervention, number])[], u: number): LimbIntervention {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = u * total;
  for (const [k, w] of items) {
    x -= w;
    if (x < 0) return k;
  }
  return items[items.length - 1][0];
}

/** Onset in (lo, hi): after time zero, before death and discharge; `shape` > 1 puts it early. */
function onset(hi: number, u: number, shape: number): number {
  const lo = Math.min(30, hi / 2);
  return Math.round(lo + (hi - lo) * Math.pow(u, shape));
}

/** Whether and when each complication occurs. */
export function planComplications(p: ComplicationParameters, f: ComplicationFrame, rng: Rng): PlannedComplications {
  // Fixed draw order and count (see the header).
  const uLimb = rng.next();
  const uLimbTime = rng.next();
  const uLimbSide = rng.next();
  const uLimbIntervention = rng.next();
  const uStroke = rng.next();
  const uStrokeTime = rng.next();
  const uStrokeType = rng.next();
  const uStrokeImaging = rng.next();

  const inHospitalEnd = Math.min(f.deathMin, f.dischargeMin) - 1;
  let limbIschemia: PlannedComplications['limbIschemia'] = null;
  if (uLimb < p.limbIschemiaRisk30d[f.deviceGroup]) {
    const a = f.access;
    const hi = Math.max(1, Math.min(inHospitalEnd, a ? Math.max(a.to + LIMB_AFTER_REMOVAL_MIN, DAY) : LIMB_WITHOUT_DEVICE_MIN));
    const options = !a ? INTERVENTIONS.none : a.kind === 'va_ecmo' ? (a.distalPerfusionCannula ? INTERVENTIONS.ecmo.slice(1) : INTERVENTIONS.ecmo) : INTERVENTIONS.sheath;
    limbIschemia = {
      t: onset(hi, uLimbTime, 1.5),
      side: a?.side ?? (uLimbSide < 0.5 ? 'right' : 'left'),
      relatedDeviceId: a?.id ?? null,
      intervention: pickWeighted(options, uLimbIntervention),
    };
  }
  let stroke: PlannedComplications['stroke'] = null;
  if (uStroke < p.strokeRisk30d[f.deviceGroup]) {
    stroke = {
      t: onset(Math.max(1, Math.min(inHospitalEnd, STROKE_HORIZON_MIN)), uStrokeTime, 2),
      type: uStrokeType < p.hemorrhagicStrokeShare ? 'hemorrhagic' : 'ischemic',
      imagingConfirmed: uStrokeImaging < 0.95,
    };
  }
  return { limbIschemia, stroke };
}
