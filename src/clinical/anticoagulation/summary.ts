// A readable text summary of an anticoagulation assessment (for the CLI and the `assess` patient summary).
import type { AnticoagulationAssessment } from './assess.js';
import { DISCORDANT_PATTERNS } from './discordance.js';
import type { RuleResult } from '../rule-result.js';

const r1 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
const r0 = (x: number | undefined) => (x === undefined ? '–' : Math.round(x).toString());
const hours = (min: number) => `${(min / 60).toFixed(1)} h`;

/** Lines describing the anticoagulation course: protocols, pairs and discordance, TTR, exposure, resistance, next step. */
export function formatAnticoagulationSummary(assessment: RuleResult<AnticoagulationAssessment>): string[] {
  const a = assessment.result;
  const lines: string[] = [];
  lines.push('Anticoagulation');
  if (a.protocols.length === 0) lines.push('  protocol: none recorded');
  for (const p of a.protocols) {
    const bands = p.bands.map((b) => `${b.test} ${b.low}–${b.high}`).join(', ');
    lines.push(`  protocol ${p.protocolId} from ${p.time ?? `min ${p.from_min}`}${p.to_min !== undefined ? ` to min ${p.to_min}` : ''}: ${bands}`);
  }
  lines.push(`  pairs (anti-Xa/aPTT within ±${a.pairingWindow_min} min): ${a.pairs.length}, discordant ${a.discordantPairs}; unpaired anti-Xa ${a.unpaired.antiXa.length}, aPTT ${a.unpaired.aptt.length}`);
  for (const p of a.pairs) {
    const r = p.result;
    const c = (v: { value: number; censored?: 'gt' | 'lt' }) => `${v.censored === 'gt' ? '>' : v.censored === 'lt' ? '<' : ''}${v.value}`;
    const flag = DISCORDANT_PATTERNS.includes(r.pattern) ? 'DISCORDANT ' : '';
    const causes = r.causes.filter((c) => c.status === 'supported').map((c) => c.code);
    lines.push(
      `    ${r.time}  anti-Xa ${c(r.antiXa)} (${r.antiXa.status})  aPTT ${c(r.aptt)} (${r.aptt.status})  ${flag}${r.pattern}${causes.length ? `  causes: ${causes.join(', ')}` : ''}${r.coagulopathy === true ? '  [coagulopathy]' : ''}`,
    );
  }
  for (const [test, t] of Object.entries(a.ttr)) {
    if (!t) continue;
    const x = t.result;
    lines.push(
      `  TTR ${test} (Rosendaal): ${x.inRange_pct === undefined ? `not computable (${x.samples} sample(s)${x.noTarget_min > 0 ? ', no target band in force' : ''})` : `${r1(x.inRange_pct)} % in range, ${r1(x.below_pct)} % below, ${r1(x.above_pct)} % above over ${hours(x.assessed_min)}`}${x.unobservedGaps.length ? `; ${x.unobservedGaps.length} unobserved gap(s)` : ''}`,
    );
  }
  const d = a.discordanceTime.result;
  if (d.jointObserved_min > 0) {
    lines.push(`  discordance time: anti-Xa in range with aPTT out of band ${hours(d.discordant_min)} (${r1(d.discordant_pct_of_joint)} % of ${hours(d.jointObserved_min)} jointly observed)`);
  }
  const e = a.exposure.result;
  lines.push(
    `  heparin exposure: total ${r0(e.totals.total_IU)} IU (IV ${r0(e.totals.iv_IU)}, purge ${r0(e.totals.purge_IU)}, boluses ${r0(e.totals.bolus_IU)}); purge share ${r1(e.purgeShare_pct)} %`,
  );
  for (const day of e.days) lines.push(`    day ${day.day}: ${r0(day.total_IU)} IU (purge ${r0(day.purge_IU)})`);
  const res = a.resistance.result;
  lines.push(`  heparin resistance (> ${res.threshold_IU} IU/${res.window_min / 60} h with anti-Xa low): ${res.flag === true ? 'YES' : res.flag === false ? 'no' : 'unknown'}${res.antithrombin ? `; antithrombin ${res.antithrombin.value} %` : ''}`);
  lines.push(`  intrinsic coagulopathy signalled: ${a.coagulopathy === true ? 'yes' : a.coagulopathy === false ? 'no' : 'unknown'}`);
  if (a.dtiInfusions.length) lines.push(`  direct thrombin inhibitor infusions: ${a.dtiInfusions.map((i) => i.drug).join(', ')}`);
  if (a.latestNextStep) {
    const s = a.latestNextStep.result;
    lines.push(`  next step (${s.protocolId}) — ${a.decisionSupportLabel}`);
    lines.push(`    ${s.text}${s.recheckAt ? ` (recheck at ${s.recheckAt})` : ''}`);
    for (const c of s.cautions) lines.push(`    caution: ${c}`);
  }
  if (assessment.missing.length) lines.push(`  missing: ${assessment.missing.join('; ')}`);
  return lines;
}
