// The sites of a synthetic registry: size, case mix (shift of the latent severity), device preferences and
// anticoagulation practice (aPTT-only titration or the parallel anti-Xa/aPTT protocol, reference 7.3; whether the purge
// heparin is subtracted from the IV rate, reference 7.1). Drawn once per seed from the site stream.
import type { BundledProtocolId } from '../clinical/anticoagulation/protocol.js';
import { siteRng } from './prng.js';
import { DEVICE_GROUPS, type AnticoagulationPractice, type DeviceGroup, type SynthParameters } from './synth-parameters.js';

export interface SiteProfile {
  /** 'site-01', 'site-02', ... */
  readonly code: string;
  /** Relative size; patients are allocated in proportion. */
  readonly size: number;
  /** Shift of the latent severity mean of this site's patients. */
  readonly severityShift: number;
  /** Multiplier of the device-choice weights (practice variation). */
  readonly devicePreference: Readonly<Record<DeviceGroup, number>>;
  readonly anticoagulationPractice: AnticoagulationPractice;
  /** The protocol the site runs (parallel sites switch coagulopathic patients to the low band). */
  readonly protocolId: BundledProtocolId;
  /** False: the IV heparin rate ignores the heparin delivered by the pump purge (reference 7.1, Reed 2019). */
  readonly purgeHeparinCounted: boolean;
  /** Purge heparin concentration the site uses, IU/mL. */
  readonly purgeHeparin_IU_mL: number;
}

const cache = new WeakMap<SynthParameters, readonly SiteProfile[]>();

/** The site profiles of a parameter set (deterministic in the seed; memoised per parameter object). */
export function siteProfiles(params: SynthParameters): readonly SiteProfile[] {
  const hit = cache.get(params);
  if (hit) return hit;
  const rng = siteRng(params.seed);
  const m = params.siteMix;
  // A fixed number of parallel-protocol sites (rounded share, at least one when the share is positive and > 1 site),
  // placed at random, so "sites differ in practice" holds for every seed.
  const nParallel = Math.min(params.sites, Math.round(m.parallelProtocolShare * params.sites) || (m.parallelProtocolShare > 0 && params.sites > 1 ? 1 : 0));
  const order = Array.from({ length: params.sites }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const parallel = new Set(order.slice(0, nParallel));
  const concentrations = Object.fromEntries(Object.entries(m.purgeConcentrationWeights)) as Record<'12.5' | '25' | '50', number>;
  const sites: SiteProfile[] = [];
  for (let i = 0; i < params.sites; i++) {
    const practice: AnticoagulationPractice = parallel.has(i) ? 'parallel_antixa_aptt' : 'aptt_only';
    const devicePreference = {} as Record<DeviceGroup, number>;
    for (const g of DEVICE_GROUPS) devicePreference[g] = Math.exp(rng.normal(0, m.devicePreferenceSd));
    sites.push({
      code: `site-${String(i + 1).padStart(2, '0')}`,
      size: rng.logNormal(1, m.sizeSdLog),
      severityShift: rng.normal(0, m.caseMixSd),
      devicePreference,
      anticoagulationPractice: practice,
      protocolId: practice === 'parallel_antixa_aptt' ? m.parallelProtocolId : rng.pick(m.apttProtocolIds),
      purgeHeparinCounted: !rng.chance(m.purgeNotCountedShare[practice]),
      purgeHeparin_IU_mL: Number(rng.weighted(concentrations)),
    });
  }
  cache.set(params, sites);
  return sites;
}

/** Cumulative size shares, for allocating a patient to a site with one uniform draw. */
export function siteAllocation(sites: readonly SiteProfile[]): Float64Array {
  const cum = new Float64Array(sites.length);
  let total = 0;
  for (const s of sites) total += s.size;
  let acc = 0;
  sites.forEach((s, i) => {
    acc += s.size / total;
    cum[i] = acc;
  });
  cum[sites.length - 1] = 1;
  return cum;
}
