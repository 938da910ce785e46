// A small, fast, seeded pseudo-random generator for the synthetic registry: xoshiro128** (Blackman & Vigna,
// "Scrambled linear pseudorandom number generators", ACM Trans Math Softw 2021) seeded through splitmix32.
// 32-bit integer arithmetic only (Math.imul), so it runs at full speed in V8 and gives the same stream on every
// platform. Each patient draws from its own stream (`patientRng(seed, index)`), so patient i does not depend on
// how many values patients 0..i-1 consumed: the registry is reproducible patient by patient.

/** splitmix32 step: returns the next 32-bit output and the advanced state (used only for seeding). */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [(z ^ (z >>> 16)) >>> 0, next];
}

/** Folds a (possibly > 32-bit) integer seed and a stream number into one 32-bit seeding state. */
function mixSeed(seed: number, stream: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = Math.imul(lo ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ hi, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13) ^ (stream >>> 0), 0xc2b2ae3d);
  return (h ^ (h >>> 16)) | 0;
}

/** Seeded generator with the draws the synthetic registry needs. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /**
   * `seed`: any non-negative integer up to 2^53; `stream`: an independent sub-stream (e.g. a patient index);
   * `substream`: a further independent stream of that stream (0, the default, is the stream itself, seeded exactly as
   * before sub-streams existed, so adding one never moves an existing draw).
   */
  constructor(seed: number, stream = 0, substream = 0) {
    if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`Rng: seed must be a non-negative integer, got ${seed}`);
    let state = mixSeed(seed, stream);
    if (substream !== 0) state = mixSeed(state >>> 0, substream ^ 0x5bd1e995);
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [v, next] = splitmix32(state);
      out.push(v | 0);
      state = next;
    }
    [this.s0, this.s1, this.s2, this.s3] = out;
    // xoshiro must not start from the all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform on [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer on [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Normal(mean, sd) by the Box–Muller transform (the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and standard deviation of the log. */
  logNormal(median: number, sdLog: number): number {
    return median * Math.exp(this.normal(0, sdLog));
  }

  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return -Math.log(u) / rate;
  }

  /** Poisson(mean) by Knuth's multiplication method (the means used here are small, < 10). */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** A key drawn with probability proportional to its (non-negative) weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = Object.keys(weights) as K[];
    let total = 0;
    for (const k of keys) total += weights[k];
    if (!(total > 0)) throw new RangeError(`Rng.weighted: weights must sum to a positive number, got ${JSON.stringify(weights)}`);
    let u = this.next() * total;
    for (const k of keys) {
      u -= weights[k];
      if (u < 0) return k;
    }
    return keys[keys.length - 1];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Stream numbers below this are patients; the sites use their own stream above every patient index. */
const SITE_STREAM = 0xfffffff0;

/** The generator of patient `index` under `seed`: independent of every other patient's draws. */
export function patientRng(seed: number, index: number): Rng {
  return new Rng(seed, index);
}

/**
 * Tags of the patient sub-streams. Everything added to a patient after the first release of the generator draws from
 * its own sub-stream, so the draws of the main stream, and with them every earlier variable of every patient, stay
 * exactly as they were (checked by a fingerprint test in generate-registry.test.ts).
 */
export const PATIENT_SUBSTREAM = {
  /** Organ function charted before time zero: PaO2/FiO2, GCS, urine output (organ-function-chart.ts). */
  organChart: 1,
  /** Stroke and limb ischemia after time zero (complications.ts). */
  complications: 2,
} as const;

/** Sub-stream `tag` of patient `index` under `seed`: independent of the patient's main stream and of other tags. */
export function patientSubRng(seed: number, index: number, tag: (typeof PATIENT_SUBSTREAM)[keyof typeof PATIENT_SUBSTREAM]): Rng {
  return new Rng(seed, index, tag);
}

/** The generator of the site profiles under `seed`. */
export function siteRng(seed: number): Rng {
  return new Rng(seed, SITE_STREAM);
}
