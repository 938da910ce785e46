// `stratum clinical <rule> --input episode.json [--at TIME] [--json]`: reads one episode file, parses it with
// parseEpisode (every problem listed, or none assessed), runs one rule family of src/clinical (or all of them for
// `assess`) at a point in time, and prints a readable summary or, with --json, the rule results as they are.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assessAnticoagulation } from '../clinical/anticoagulation/index.js';
import { assessBleeding } from '../clinical/bleeding/index.js';
import { parseEpisode } from '../clinical/episode/episode.js';
import { isoAt, lastRecordedMin, tMinOf } from '../clinical/episode/series.js';
import { assessHemodynamics } from '../clinical/hemodynamics/assess-hemodynamics.js';
import { gradeHemolysis } from '../clinical/hemolysis/hemolysis-grade.js';
import { assessOrganFunction } from '../clinical/organ/assess-organ.js';
import { assessPhenotype } from '../clinical/phenotype/assess-phenotype.js';
import { assessScai } from '../clinical/scai/index.js';
import { DataError } from '../data/data-error.js';
import {
  formatAnticoagulation,
  formatBleeding,
  formatHeader,
  formatHemodynamics,
  formatHemolysis,
  formatOrgan,
  formatPatientSummary,
  formatPhenotype,
  formatScai,
  type ClinicalView,
  type PatientAssessment,
} from './clinical-format.js';
import { EpisodeInputError } from './episode-input-error.js';
import { UsageError } from './usage-error.js';

interface Family {
  readonly summary: string;
  /** Runs the rule at the view's time; returns the rule result (for --json) and its readable lines. */
  readonly run: (v: ClinicalView, atGiven: boolean) => { result: unknown; text: string[] };
}

const FAMILY_TITLES: Readonly<Record<string, string>> = {
  scai: 'SCAI SHOCK stage',
  hemodynamics: 'Hemodynamics',
  organ: 'Organ function',
  phenotype: 'Phenotype',
  hemolysis: 'Hemolysis',
  bleeding: 'Bleeding',
  anticoag: 'Anticoagulation',
};

const families: Record<string, Family> = {
  scai: {
    summary: 'SCAI SHOCK stage at --at, at admission and device start, 24-h trajectory (max, mean)',
    run: (v) => {
      const r = assessScai(v.episode, { atMin: v.atMin });
      return { result: r, text: formatScai(r, v) };
    },
  },
  hemodynamics: {
    summary: 'MAP, shock index, CI, CPO, PAPi, RAP/PCWP, SVR, VIS and NEE at --at',
    run: (v) => {
      const r = assessHemodynamics(v.episode, { atMin: v.atMin });
      return { result: r, text: formatHemodynamics(r, v) };
    },
  },
  organ: {
    summary: 'SOFA with components, KDIGO AKI stage, lactate clearance, liver markers at --at',
    run: (v) => {
      const r = assessOrganFunction(v.episode, { atMin: v.atMin });
      return { result: r, text: formatOrgan(r, v) };
    },
  },
  phenotype: {
    summary: 'SHARC category, normotensive vs hypotensive CS, ventricular phenotype at --at',
    run: (v) => {
      const r = assessPhenotype(v.episode, { atMin: v.atMin });
      return { result: r, text: formatPhenotype(r, v) };
    },
  },
  hemolysis: {
    summary: 'hemolysis grade from plasma free Hb and LDH up to --at',
    run: (v) => {
      const r = gradeHemolysis(v.episode, { toMin: v.atMin });
      return { result: r, text: formatHemolysis(r, v, v.atMin) };
    },
  },
  bleeding: {
    summary: 'every bleeding event under BARC, GUSTO, TIMI, ISTH, VARC-2, and the patient summary (whole record)',
    run: (v) => {
      const r = assessBleeding(v.episode);
      return { result: r, text: formatBleeding(r, v) };
    },
  },
  anticoag: {
    summary: 'anti-Xa/aPTT pairs, discordance, TTR, heparin exposure, next step (decision support) up to --at',
    run: (v, atGiven) => {
      // Without --at the rule assesses to its own end of record (which also counts purge and bolus records).
      const r = assessAnticoagulation(v.episode, atGiven ? { atMin: v.atMin } : {});
      return { result: r, text: formatAnticoagulation(r, v) };
    },
  },
  assess: {
    summary: 'all of the above: one patient summary',
    run: (v, atGiven) => {
      const e = v.episode;
      const result: PatientAssessment = {
        scai: assessScai(e, { atMin: v.atMin }),
        hemodynamics: assessHemodynamics(e, { atMin: v.atMin }),
        phenotype: assessPhenotype(e, { atMin: v.atMin }),
        organ: assessOrganFunction(e, { atMin: v.atMin }),
        hemolysis: gradeHemolysis(e, { toMin: v.atMin }),
        bleeding: assessBleeding(e),
        anticoagulation: assessAnticoagulation(e, atGiven ? { atMin: v.atMin } : {}),
      };
      return { result, text: [formatPatientSummary(result, v)] };
    },
  },
};

const USAGE = 'stratum clinical <rule> --input episode.json [--at TIME] [--json]';

export function clinicalUsage(): string {
  return [
    `usage: ${USAGE}`,
    '',
    'rules:',
    ...Object.entries(families).map(([name, f]) => `  ${name.padEnd(13)} ${f.summary}`),
    '',
    'options:',
    '  --input FILE  an episode in the canonical JSON format (docs/episode-format.md)',
    '  --at TIME     ISO 8601 time with offset, e.g. 2026-04-10T16:00:00+01:00; default: the last record',
    '  --json        print the rule results as JSON, with the input warnings',
  ].join('\n');
}

/** ISO 8601 date-time with an explicit offset; seconds optional. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseAt(text: string): string {
  if (!ISO_WITH_OFFSET.test(text) || !Number.isFinite(Date.parse(text))) {
    throw new UsageError(`--at '${text}' is not an ISO 8601 time with offset; expected e.g. 2026-04-10T16:00:00+01:00 or 2026-04-10T15:00Z`);
  }
  return text;
}

function readEpisodeJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`cannot read episode file '${file}'${code ? ` (${code})` : ''}`, { field: 'input', value: file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError(`episode file '${file}' is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { field: 'input', value: file });
  }
}

/** Runs `stratum clinical ...`; returns the text to print on stdout. */
export function runClinicalCommand(args: string[]): string {
  const [rule, ...rest] = args;
  if (rule === undefined || rule === '--help' || rule === '-h') return clinicalUsage();
  const family = families[rule];
  if (!family) throw new UsageError(`unknown clinical rule '${rule}'; expected one of ${Object.keys(families).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) return clinicalUsage();
  let flags: { input?: string; at?: string; json?: boolean };
  try {
    flags = parseArgs({ args: rest, options: { input: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (flags.input === undefined || flags.input === '') throw new UsageError('--input is required (an episode JSON file)');
  const at = flags.at === undefined ? undefined : parseAt(flags.at);

  const parsed = parseEpisode(readEpisodeJson(flags.input));
  if (!parsed.ok) throw new EpisodeInputError(flags.input, parsed.problems, parsed.warnings);
  const episode = parsed.episode;
  const view: ClinicalView = { episode, atMin: at === undefined ? lastRecordedMin(episode) : tMinOf(episode, at), atIsDefault: at === undefined, warnings: parsed.warnings };
  const out = family.run(view, at !== undefined);
  if (flags.json === true) {
    return JSON.stringify(
      { rule, input: flags.input, episodeId: episode.id, anchor: episode.anchor, at: { time: at ?? isoAt(episode, view.atMin), t_min: view.atMin, default: view.atIsDefault }, warnings: parsed.warnings, result: out.result },
      null,
      2,
    );
  }
  const header = rule === 'assess' ? [] : [...formatHeader(`Stratum clinical ${FAMILY_TITLES[rule] ?? rule}`, view), ''];
  return [...header, ...out.text].join('\n');
}
