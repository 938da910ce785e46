// `stratum demo [--out DIR] [--patients N] [--sites N] [--seed N] [--no-pdf]`: the whole argument of Stratum in one
// command. A synthetic registry whose true within-stage device effect on death is known (docs/synthetic-data.md) is
// generated in memory, saved into a registry through the same path as an import (clinical-engine validation,
// saveRecords, audit trail), and the bundled study examples/studies/pump-vs-iabp.yaml is run on it. The summary puts
// the crude, published-style and critique-adjusted hazard ratios next to the ground truth.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appendAudit } from '../registry/db/audit-log.js';
import { saveRecords } from '../registry/db/episode-store.js';
import { locationFromEnv, openRegistry, type Registry, type RegistryLocation } from '../registry/db/registry-connection.js';
import { analysisTableCsv } from '../registry/dataset/index.js';
import { validateRecords } from '../registry/import/validate-records.js';
import type { RegistryRecord } from '../registry/record.js';
import { loadStudySpec } from '../study/load-study-spec.js';
import { analysisTableFromCsvText } from '../study/study-table.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { summarizeTruth } from '../synth/ground-truth.js';
import type { PatientTruth } from '../synth/patient-truth.js';
import type { SynthParameters } from '../synth/synth-parameters.js';
import { packageRoot } from '../package-root.js';
import { terminalProgress } from './progress.js';
import { readRegistryAnalysisRows } from './registry-analysis-rows.js';
import { actorName } from './registry-options.js';
import { auditRead } from './registry-read.js';
import { formatEstimate, stepProgress, studyPipeline, writeStudyOutputs } from './study-command.js';
import { stratumVersion } from '../study/results-json.js';
import { synthParametersFromFlags } from './synth-flags.js';
import { UsageError } from './usage-error.js';

/** Written next to a registry folder the demo made, so a later run may replace that folder (and no other). */
const DEMO_MARKER = 'demo-registry.txt';

export function demoUsage(): string {
  return [
    'usage: stratum demo [--out DIR] [--patients N] [--sites N] [--seed N] [--no-pdf] [--actor NAME]',
    '',
    '  Generates a synthetic registry (default 2000 patients at 12 sites, seed 1; the true within-stage effect of the',
    '  pump on death is null), saves it into a registry, runs examples/studies/pump-vs-iabp.yaml on it and writes the',
    '  report into DIR (default ./stratum-demo). The registry is DIR/registry, a fresh embedded database, unless',
    '  $STRATUM_DATA_DIR or $STRATUM_DATABASE_URL names one.',
  ].join('\n');
}


/** The demo's registry: the one the environment names, else a fresh DIR/registry (replacing one an earlier demo made). */
function demoLocation(out: string, env: NodeJS.ProcessEnv): { location: RegistryLocation; note: string } {
  if (env['STRATUM_DATABASE_URL'] || env['STRATUM_DATA_DIR']) {
    return {
      location: locationFromEnv(env),
      note: 'registry: the one named by the environment ($STRATUM_DATABASE_URL or $STRATUM_DATA_DIR); the study reads every record in it',
    };
  }
  const dir = join(out, 'registry');
  const marker = join(out, DEMO_MARKER);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(marker)) throw new UsageError(`demo: ${dir} exists and was not made by stratum demo; choose another --out`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, `${dir} is the synthetic registry of \`stratum demo\`; the next demo run into ${out} replaces it.\n`);
  return { location: { dataDir: dir }, note: `registry: a fresh embedded database in ${dir} (synthetic data only)` };
}

/** Validates the generated records with the clinical engine and saves them with their audit trail, as an import does. */
export async function saveSynthetic(registry: Registry, records: readonly RegistryRecord[], params: SynthParameters, actor: string): Promise<number> {
  const label = `synthetic registry (stratum demo: ${params.patients} patients, ${params.sites} sites, seed ${params.seed})`;
  const validated = validateRecords(label, records, { dropBadItems: false });
  if (validated.rejections.length > 0) {
    const first = validated.rejections[0]!;
    throw new Error(`the synthetic generator produced ${validated.rejections.length} record(s) the clinical engine rejects, e.g. ${first.field}: ${first.reason}`);
  }
  const now = new Date();
  const progress = terminalProgress();
  const saved = await registry.db.transaction().execute(async (trx) => {
    const counts = await saveRecords(trx, validated.accepted, {
      actor,
      reason: label,
      importId: null,
      now,
      onProgress: (done, total) => progress.update('saving synthetic records', done, total),
    });
    await appendAudit(trx, actor, [{ action: 'import', entity: 'synthetic-registry', entityKey: `demo-seed-${params.seed}`, before: null, after: { patients: params.patients, sites: params.sites, seed: params.seed, ...counts }, reason: label }], now);
    return counts;
  });
  progress.done();
  return saved.inserted + saved.corrected + saved.unchanged;
}

export async function runDemoCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; exitCode: number }> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      patients: { type: 'string' },
      sites: { type: 'string' },
      seed: { type: 'string' },
      'no-pdf': { type: 'boolean', default: false },
      actor: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return { stdout: demoUsage(), exitCode: 0 };
  const out = resolve(values.out ?? 'stratum-demo');
  const params = synthParametersFromFlags('demo', values);
  const { spec } = loadStudySpec(join(packageRoot(), 'examples', 'studies', 'pump-vs-iabp.yaml'));
  mkdirSync(out, { recursive: true });
  const actor = actorName(values.actor, env);
  const step = stepProgress('demo', env);
  const { location, note } = demoLocation(out, env);
  process.stderr.write(`${note}\n`);

  step(`generating ${params.patients} synthetic patients at ${params.sites} sites (seed ${params.seed})`);
  const records: RegistryRecord[] = [];
  const truths: PatientTruth[] = [];
  for (const p of generateRegistry(params)) {
    records.push(p.record);
    truths.push(p.truth);
  }
  const truth = summarizeTruth(params, truths);
  writeFileSync(join(out, 'ground-truth.json'), JSON.stringify(truth, null, 2) + '\n');

  step('opening the registry');
  const registry = await openRegistry(location);
  let data: { table: ReturnType<typeof analysisTableFromCsvText>['table']; sha256: string; rows: number };
  try {
    step('saving into the registry (clinical-engine validation, audit trail)');
    await saveSynthetic(registry, records, params, actor);
    step('building the analysis table (stratum dataset)');
    const { rows, records: read, problems } = await readRegistryAnalysisRows(registry, undefined, terminalProgress());
    if (problems.length > 0) throw new Error(`${problems.length} synthetic episode(s) could not be assessed, e.g. ${problems[0]}`);
    const csv = analysisTableCsv(rows);
    writeFileSync(join(out, 'analysis-table.csv'), csv);
    const { table, sha256 } = analysisTableFromCsvText(csv, 'analysis table of the demo registry');
    await auditRead(registry, actor, 'demo', { records: read, rows: rows.length, study: spec.title, dataSha256: sha256 });
    data = { table, sha256, rows: rows.length };
  } finally {
    await registry.close();
  }

  const { runStudy } = await studyPipeline();
  const results = runStudy(spec, data.table, { dataSha256: data.sha256, stratumVersion: stratumVersion(), onProgress: (s) => step(`study: ${s}`) });
  step('writing the report');
  const { notes } = await writeStudyOutputs(results, out, { pdf: !values['no-pdf'] });
  for (const n of notes) process.stderr.write(`${n}\n`);

  const primary = spec.outcomes.find((o) => o.primary)!;
  const line = (set: 'crude' | 'published' | 'critique', label: string) => {
    const row = results.comparison.find((c) => c.outcome === primary.name && c.set === set);
    return `${label.padEnd(22)} ${row ? formatEstimate(row.ratio) : 'not estimable (see the report)'}`;
  };
  const trueHr = truth.trueEffects.death.hazardRatio.microaxial;
  const n = results.tableOne.nBefore;
  return {
    stdout: [
      `report: ${join(out, 'report.html')}`,
      `${primary.label}, ${results.labels.target} (n = ${n.target}) vs ${results.labels.comparator} (n = ${n.comparator}):`,
      line('crude', 'crude'),
      line('published', 'published-style'),
      line('critique', 'critique-adjusted'),
      `${'ground truth'.padEnd(22)} HR ${trueHr.toFixed(2)} (the generator's within-stage effect of the pump on death)`,
    ].join('\n'),
    exitCode: 0,
  };
}
