// Readable terminal layouts for the stats commands, modelled on what R prints (summary(coxph), survdiff,
// summary(glm), summary(matchit)).
import type { CoxAnalysis } from '../study/cox-analysis.js';
import type { LogisticAnalysis } from '../study/logistic-analysis.js';
import type { MatchingAnalysis } from '../study/matching-analysis.js';
import type { KmResult, LogRankAnalysis } from '../study/survival-analysis.js';
import type { WeightingAnalysis } from '../study/weighting-analysis.js';
import { formatNumber, formatP, textTable } from './text-table.js';

function dropped(n: number, droppedRows: number, missing?: ReadonlyArray<{ column: string; missing: number }>): string {
  if (droppedRows === 0) return `n = ${n}`;
  const detail = missing && missing.length > 0 ? ` (missing ${missing.map((m) => `${m.column}: ${m.missing}`).join(', ')})` : '';
  return `n = ${n}, ${droppedRows} row${droppedRows === 1 ? '' : 's'} dropped${detail}`;
}

export function formatKm(result: KmResult): string {
  const parts = [`Kaplan-Meier estimate (95% CI, log type); ${dropped(result.n, result.droppedRows)}`, ''];
  parts.push(
    textTable(
      ['stratum', 'n', 'events', 'median', '0.95LCL', '0.95UCL'],
      result.strata.map((s) => [s.name, s.n, s.events, s.median, s.medianLower, s.medianUpper]),
    ),
  );
  for (const s of result.strata) {
    parts.push('', `${s.name}:`);
    parts.push(
      textTable(
        ['time', 'n.risk', 'n.event', 'survival', 'std.err', 'lower 95% CI', 'upper 95% CI'],
        s.time.map((t, i) => [t, s.nRisk[i], s.nEvent[i], s.surv[i], s.stdErr[i], s.lower[i], s.upper[i]]),
      ),
    );
  }
  return parts.join('\n');
}

export function formatLogRank(result: LogRankAnalysis): string {
  return [
    `Log-rank test; ${dropped(result.n, result.droppedRows)}`,
    '',
    textTable(
      ['group', 'observed', 'expected', '(O-E)^2/E'],
      result.groups.map((g, i) => [g, result.observed[i], result.expected[i], (result.observed[i] - result.expected[i]) ** 2 / result.expected[i]]),
    ),
    '',
    `Chisq = ${formatNumber(result.chisq, 5)} on ${result.df} degrees of freedom, p = ${formatP(result.p)}`,
  ].join('\n');
}

export function formatCox(result: CoxAnalysis): string {
  const robust = result.clusters !== null;
  const header = ['term', 'coef', 'exp(coef)', 'se(coef)', ...(robust ? ['robust se'] : []), 'z', 'p', 'lower .95', 'upper .95'];
  const rows = result.terms.map((t) => [t.term, t.coef, t.hr, t.se, ...(robust ? [t.robustSe] : []), t.z, formatP(t.p), t.hrLower, t.hrUpper]);
  const lines = [
    `Cox proportional hazards model (${result.ties} ties); ${dropped(result.n, result.droppedRows, result.missingByColumn)}, events = ${result.events}`,
  ];
  if (result.strata) lines.push(`stratified by ${result.strata.length} strata`);
  if (robust) lines.push(`robust (sandwich) SE over ${result.clusters} clusters; z, p and CI use the robust SE`);
  lines.push('', textTable(header, rows), '');
  lines.push(`Log-likelihood: initial ${formatNumber(result.loglik[0], 8)}, final ${formatNumber(result.loglik[1], 8)}`);
  lines.push(`Likelihood ratio test = ${formatNumber(2 * (result.loglik[1] - result.loglik[0]), 5)} on ${result.terms.length} df`);
  lines.push(`Concordance = ${formatNumber(result.concordance, 4)}`);
  return lines.join('\n');
}

export function formatLogistic(result: LogisticAnalysis): string {
  return [
    `Logistic regression (outcome = ${result.outcomeLevel}); ${dropped(result.n, result.droppedRows, result.missingByColumn)}`,
    '',
    textTable(['term', 'estimate', 'std. error', 'z value', 'Pr(>|z|)', 'odds ratio', 'lower .95', 'upper .95'], result.terms.map((t) => [t.term, t.coef, t.se, t.z, formatP(t.p), t.or, t.orLower, t.orUpper])),
    '',
    `Null deviance: ${formatNumber(result.nullDeviance, 6)};  residual deviance: ${formatNumber(result.deviance, 6)};  AIC: ${formatNumber(result.aic, 6)};  IRLS iterations: ${result.iterations}`,
  ].join('\n');
}

export function formatMatching(result: MatchingAnalysis): string {
  return [
    `Nearest-neighbour matching 1:${result.ratio}, largest propensity (linear logit) first, without replacement; ${dropped(result.n, result.droppedRows)}`,
    `caliper: ${result.caliper === null ? 'none' : `${formatNumber(result.caliper, 6)} (logit units)`}`,
    '',
    textTable(['', 'control', 'treated'], [['all', result.nControl, result.nTreated], ['matched', result.nControlMatched, result.nTreatedMatched], ['unmatched', result.nControl - result.nControlMatched, result.nTreated - result.nTreatedMatched]]),
    '',
    'Standardized mean differences (treated SD in the full sample):',
    textTable(['covariate', 'before', 'after'], [['distance', result.distanceBalance.smdBefore, result.distanceBalance.smdAfter], ...result.balance.map((b) => [b.covariate, b.smdBefore, b.smdAfter] as [string, number, number])]),
    '',
    `${result.pairs.length} pairs (treated row, control row); use --json to list them`,
  ].join('\n');
}

export function formatWeighting(result: WeightingAnalysis): string {
  const s = result.weightSummary;
  return [
    `Propensity-score weights, estimand ${result.estimand.toUpperCase()}; ${dropped(result.n, result.droppedRows)}`,
    '',
    textTable(
      ['group', 'n', 'ESS', 'min weight', 'mean weight', 'max weight'],
      [
        ['treated', result.nTreated, result.effectiveSampleSize.treated, s.treated.min, s.treated.mean, s.treated.max],
        ['control', result.nControl, result.effectiveSampleSize.control, s.control.min, s.control.mean, s.control.max],
      ],
    ),
    '',
    'Standardized mean differences:',
    textTable(['covariate', 'before', 'after'], result.balance.map((b) => [b.covariate, b.smdBefore, b.smdAfter])),
    '',
    'Per-row weights: use --json',
  ].join('\n');
}

export function formatEValue(result: { estimate: number; lower?: number; upper?: number; measure: string; point: number; confidenceBound: number | null }): string {
  const ci = result.lower !== undefined || result.upper !== undefined ? ` (95% CI ${formatNumber(result.lower ?? null)} to ${formatNumber(result.upper ?? null)})` : '';
  return [
    `E-value (VanderWeele & Ding 2017) for ${result.measure.toUpperCase()} ${formatNumber(result.estimate)}${ci}`,
    `  point estimate:   ${formatNumber(result.point, 4)}`,
    `  confidence bound: ${result.confidenceBound === null ? 'not computed (no CI given)' : formatNumber(result.confidenceBound, 4)}`,
    'The E-value is the minimum strength of association, on the risk-ratio scale, that an unmeasured confounder would need',
    'with both treatment and outcome to fully explain away the estimate (or move its CI to include 1).',
  ].join('\n');
}
