// Times of anticoagulation steps relative to a sample, keeping the sample's UTC offset (episode/iso-time.ts).

import { addMinutesIso } from '../episode/iso-time.js';

export { addMinutesIso };

/** Time of a minute offset relative to a reference record, e.g. a recheck time, or undefined when not computable. */
export function isoAt(ref: { time?: string; t_min: number } | undefined, t_min: number): string | undefined {
  if (!ref?.time) return undefined;
  return addMinutesIso(ref.time, t_min - ref.t_min);
}
