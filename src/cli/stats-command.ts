// `stratum stats <km|logrank|cox|logistic|match|weights|evalue>`: each subcommand parses its flags, reads
// the CSV, calls one analysis in src/study (or src/stats) and prints a readable table or, with --json, JSON.
import { parseArgs } from 'node:util';
import { readCsvFile } from '../data/csv.js';
import { parseReferenceLevels } from '../data/design.js';
import { eValue } from '../stats/evalue.js';
import type { WeightEstimand } from '../stats/weighting.js';
import { coxAnalysis } from '../study/cox-analysis.js';
import { logisticAnalysis } from '../study/logistic-analysis.js';
import { matchingAnalysis } from '../study/matching-analysis.js';
import { kaplanMeierAnalysis, logRankAnalysis } from '../study/survival-analysis.js';
import { weightingAnalysis } from '../study/weighting-analysis.js';
import { UsageError } from './usage-error.js';
import { formatCox, formatEValue, formatKm, formatLogistic, formatLogRank, formatMatching, formatWeighting } from './stats-format.js';

type Flags = Record<string, string | boolean | string[] | undefined>;

const common = {
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  ref: { type: 'string', multiple: true, default: [] as string[] },
} as const;

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function optional(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(flags: Flags, name: string): string[] {
  return required(flags, name).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function number(flags: Flags, name: string): number | undefined {
  const text = optional(flags, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} '${text}' is not a number`);
  return value;
}

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean | string[] }>): Flags {
  try {
    return parseArgs({ args, options: { ...common, ...options }, strict: true, allowPositionals: false }).values as Flags;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

interface Subcommand {
  readonly usage: string;
  readonly run: (args: string[]) => { json: unknown; text: string; asJson: boolean };
}

const subcommands: Record<string, Subcommand> = {
  km: {
    usage: 'km --data F --time C --event C [--group C] [--json]',
    run(args) {
      const f = parse(args, { time: { type: 'string' }, event: { type: 'string' }, group: { type: 'string' } });
      const result = kaplanMeierAnalysis(readCsvFile(required(f, 'data')), { time: required(f, 'time'), event: required(f, 'event'), group: optional(f, 'group') });
      return { json: result, text: formatKm(result), asJson: f.json === true };
    },
  },
  logrank: {
    usage: 'logrank --data F --time C --event C --group C [--json]',
    run(args) {
      const f = parse(args, { time: { type: 'string' }, event: { type: 'string' }, group: { type: 'string' } });
      const result = logRankAnalysis(readCsvFile(required(f, 'data')), { time: required(f, 'time'), event: required(f, 'event'), group: required(f, 'group') });
      return { json: result, text: formatLogRank(result), asJson: f.json === true };
    },
  },
  cox: {
    usage: 'cox --data F --time C --event C --covariates a,b,c [--strata C] [--cluster C] [--weights C] [--ties efron|breslow] [--ref C=LEVEL] [--json]',
    run(args) {
      const f = parse(args, {
        time: { type: 'string' }, event: { type: 'string' }, covariates: { type: 'string' }, strata: { type: 'string' },
        cluster: { type: 'string' }, weights: { type: 'string' }, ties: { type: 'string', default: 'efron' },
      });
      const ties = required(f, 'ties');
      if (ties !== 'efron' && ties !== 'breslow') throw new UsageError(`--ties '${ties}' is not supported; expected efron or breslow`);
      const result = coxAnalysis(readCsvFile(required(f, 'data')), {
        time: required(f, 'time'), event: required(f, 'event'), covariates: list(f, 'covariates'), strata: optional(f, 'strata'),
        cluster: optional(f, 'cluster'), weights: optional(f, 'weights'), ties, reference: parseReferenceLevels(f.ref as string[]),
      });
      return { json: result, text: formatCox(result), asJson: f.json === true };
    },
  },
  logistic: {
    usage: 'logistic --data F --outcome C --covariates a,b,c [--ref C=LEVEL] [--json]',
    run(args) {
      const f = parse(args, { outcome: { type: 'string' }, covariates: { type: 'string' } });
      const result = logisticAnalysis(readCsvFile(required(f, 'data')), { outcome: required(f, 'outcome'), covariates: list(f, 'covariates'), reference: parseReferenceLevels(f.ref as string[]) });
      return { json: result, text: formatLogistic(result), asJson: f.json === true };
    },
  },
  match: {
    usage: 'match --data F --treatment C --covariates a,b,c [--caliper SD] [--ratio k] [--ref C=LEVEL] [--compat matchit-4.5.1] [--json]',
    run(args) {
      const f = parse(args, { treatment: { type: 'string' }, covariates: { type: 'string' }, caliper: { type: 'string' }, ratio: { type: 'string' }, compat: { type: 'string', default: 'exact' } });
      const compat = required(f, 'compat');
      if (compat !== 'exact' && compat !== 'matchit-4.5.1') throw new UsageError(`--compat '${compat}' is not supported; expected exact or matchit-4.5.1`);
      const ratio = number(f, 'ratio') ?? 1;
      if (!Number.isInteger(ratio) || ratio < 1) throw new UsageError(`--ratio ${ratio} is not supported; expected a whole number >= 1`);
      const caliper = number(f, 'caliper') ?? null;
      if (caliper !== null && !(caliper > 0)) throw new UsageError(`--caliper ${caliper} is not supported; expected a positive number of SDs`);
      const result = matchingAnalysis(readCsvFile(required(f, 'data')), {
        treatment: required(f, 'treatment'), covariates: list(f, 'covariates'), caliperSd: caliper, ratio, compat, reference: parseReferenceLevels(f.ref as string[]),
      });
      return { json: result, text: formatMatching(result), asJson: f.json === true };
    },
  },
  weights: {
    usage: 'weights --data F --treatment C --covariates a,b,c --estimand ate|att|overlap [--ref C=LEVEL] [--json]',
    run(args) {
      const f = parse(args, { treatment: { type: 'string' }, covariates: { type: 'string' }, estimand: { type: 'string' } });
      const estimand = required(f, 'estimand');
      if (estimand !== 'ate' && estimand !== 'att' && estimand !== 'overlap') throw new UsageError(`--estimand '${estimand}' is not supported; expected ate, att or overlap`);
      const result = weightingAnalysis(readCsvFile(required(f, 'data')), {
        treatment: required(f, 'treatment'), covariates: list(f, 'covariates'), estimand: estimand as WeightEstimand, reference: parseReferenceLevels(f.ref as string[]),
      });
      return { json: result, text: formatWeighting(result), asJson: f.json === true };
    },
  },
  evalue: {
    usage: 'evalue --estimate X [--lower L] [--upper U] [--measure rr|hr|or] [--rare] [--json]',
    run(args) {
      const f = parse(args, { estimate: { type: 'string' }, lower: { type: 'string' }, upper: { type: 'string' }, measure: { type: 'string', default: 'rr' }, rare: { type: 'boolean', default: false } });
      const measure = required(f, 'measure');
      if (measure !== 'rr' && measure !== 'hr' && measure !== 'or') throw new UsageError(`--measure '${measure}' is not supported; expected rr, hr or or`);
      const estimate = number(f, 'estimate');
      if (estimate === undefined) throw new UsageError('--estimate is required');
      const input = { estimate, lower: number(f, 'lower'), upper: number(f, 'upper'), measure: measure as 'rr' | 'hr' | 'or', rareOutcome: f.rare === true };
      const result = { ...input, ...eValue(input) };
      return { json: result, text: formatEValue(result), asJson: f.json === true };
    },
  },
};

export function statsUsage(): string {
  return ['usage: stratum stats <subcommand> ...', ...Object.values(subcommands).map((s) => `  stratum stats ${s.usage}`)].join('\n');
}

/** Runs `stratum stats ...`; returns the text to print on stdout. */
export function runStatsCommand(args: string[]): string {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') return statsUsage();
  const sub = subcommands[name];
  if (!sub) throw new UsageError(`unknown stats subcommand '${name}'; expected one of ${Object.keys(subcommands).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) return `usage: stratum stats ${sub.usage}`;
  const out = sub.run(rest);
  return out.asJson ? JSON.stringify(out.json, null, 2) : out.text;
}
