// A fixed synthetic cohort shaped like a cardiogenic-shock registry extract, for benchmarks only.
// Deterministic for a given seed (mulberry32), so every run times the same data. Not clinical truth:
// the effects below just give the models realistic work (confounding by stage, 200 sites, ~50% deaths).

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COHORT_HEADER = 'id,site,age,sex,scai,lactate,map,creatinine,arrest,stemi,diabetes,prior_mi,vis,bmi,treatment,time,death';

/** Returns the cohort as CSV text with `n` rows. */
export function syntheticCohortCsv(n: number, seed = 20261124): string {
  const random = mulberry32(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const siteEffect = Array.from({ length: 200 }, () => 0.5 * normal());
  const stages = ['B', 'C', 'D', 'E'];
  const chunks: string[] = [COHORT_HEADER];
  for (let i = 0; i < n; i++) {
    const site = Math.floor(random() * 200);
    const age = Math.round(Math.min(95, Math.max(18, 65 + 12 * normal())));
    const sex = random() < 0.28 ? 1 : 0;
    const u = random();
    const stage = u < 0.15 ? 0 : u < 0.6 ? 1 : u < 0.9 ? 2 : 3;
    const lactate = Math.round(Math.exp(0.4 + 0.45 * stage + 0.5 * normal()) * 10) / 10;
    const map = Math.round(75 - 6 * stage + 8 * normal());
    const creatinine = Math.round(Math.exp(0.1 + 0.15 * stage + 0.35 * normal()) * 100) / 100;
    const arrest = random() < 0.15 + 0.15 * stage ? 1 : 0;
    const stemi = random() < 0.6 ? 1 : 0;
    const diabetes = random() < 0.35 ? 1 : 0;
    const priorMi = random() < 0.2 ? 1 : 0;
    const vis = Math.round(Math.max(0, 5 + 12 * stage + 8 * normal()));
    const bmi = Math.round((28 + 5 * normal()) * 10) / 10;
    const treatLogit = -1.2 + 0.6 * stage + 0.15 * (lactate - 3) + 0.4 * arrest + siteEffect[site];
    const treatment = random() < 1 / (1 + Math.exp(-treatLogit)) ? 1 : 0;
    const linear = -6.2 + 0.03 * age + 0.5 * stage + 0.08 * lactate + 0.4 * arrest + 0.1 * treatment + 0.2 * sex;
    const eventTime = -Math.log(Math.max(random(), 1e-300)) / Math.exp(linear);
    const time = Math.min(365, Math.max(0.5, Math.round(eventTime * 2) / 2));
    const death = eventTime <= 365 ? 1 : 0;
    chunks.push(`${i + 1},S${site + 1},${age},${sex},${stages[stage]},${lactate},${map},${creatinine},${arrest},${stemi},${diabetes},${priorMi},${vis},${bmi},${treatment},${time},${death}`);
  }
  return chunks.join('\n') + '\n';
}
