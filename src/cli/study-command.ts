// `stratum study run SPEC --out DIR [--no-pdf]`: runs a comparative study (docs/study-spec.md) on the registry's
// analysis table or on an analysis-table CSV, and writes results.json, report.html, tables/*.csv and, when Chromium
// is installed, report.pdf. Progress per pipeline step goes to stderr; a short summary to stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Table } from '../data/table.js';
import { analysisTableCsv } from '../registry/dataset/index.js';
import type { Registry } from '../registry/db/registry-connection.js';
import { loadStudySpec } from '../study/load-study-spec.js';
import type { EffectEstimate, StudyResults } from '../study/study-results.js';
import type { StudySpec } from '../study/study-spec.js';
import { analysisTableFromCsvFile, analysisTableFromCsvText } from '../study/study-table.js';
import { resultsJson, stratumVersion } from '../study/results-json.js';
import { terminalProgress } from './progress.js';
import { readRegistryAnalysisRows } from './registry-analysis-rows.js';
import { actorName, withRegistry } from './registry-options.js';
import { auditRead } from './registry-read.js';
import { UsageError } from './usage-error.js';

export function studyUsage(): string {
  return [
    'usage: stratum study run SPEC.yaml --out DIR [--no-pdf] [--site S[,S...]] [--actor NAME]',
    '',
    '  Runs the study SPEC (YAML or JSON, docs/study-spec.md) on its source: the registry (source: {registry: true},',
    '  the table `stratum dataset` writes) or an analysis-table CSV (source: {csv: FILE}, relative to the spec).',
    '  Writes DIR/results.json, DIR/report.html, DIR/tables/*.csv and DIR/report.pdf (when Chromium is installed).',
    '',
    '  --no-pdf       skip the PDF',
    '  --site S       registry source: only these sites',
    '  --actor NAME   who reads the registry, for the audit trail (default $STRATUM_ACTOR or the OS user)',
    '',
    'example: stratum study run examples/studies/pump-vs-iabp.yaml --out study-out',
  ].join('\n');
}

/**
 * The pipeline and the report, loaded when a study runs: they pull in the statistics and the plotting library
 * (vega), which the other commands need not load.
 */
export async function studyPipeline() {
  const [{ runStudy, studyTableColumns }, { renderStudyReport }, { studyTables }, { writeReportPdf }] = await Promise.all([
    import('../study/run-study.js'),
    import('../report/study-report.js'),
    import('../report/study-tables.js'),
    import('../report/report-pdf.js'),
  ]);
  return { runStudy, studyTableColumns, renderStudyReport, studyTables, writeReportPdf };
}

/** One stderr line per pipeline step, with the time since the start; silent when STRATUM_PROGRESS=0. */
export function stepProgress(prefix: string, env: NodeJS.ProcessEnv = process.env): (step: string) => void {
  if (env['STRATUM_PROGRESS'] === '0') return () => undefined;
  const started = Date.now();
  return (step) => process.stderr.write(`${prefix}: ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** The registry's analysis table, as `stratum dataset` builds it, with the read recorded in the audit trail. */
export async function registryAnalysisTable(
  registry: Registry,
  options: { sites: readonly string[] | undefined; actor: string; what: string; spec: StudySpec },
): Promise<{ table: Table; sha256: string; problems: string[] }> {
  const { rows, records, problems } = await readRegistryAnalysisRows(registry, options.sites, terminalProgress());
  const { table, sha256 } = analysisTableFromCsvText(analysisTableCsv(rows), `analysis table of ${registry.where}`);
  await auditRead(registry, options.actor, options.what, { records, rows: rows.length, sites: options.sites ?? 'all', study: options.spec.title, dataSha256: sha256 });
  return { table, sha256, problems };
}

/** Writes every output of a study into `out`; returns the files written and notes for stderr (e.g. no Chromium). */
export async function writeStudyOutputs(results: StudyResults, out: string, options: { pdf: boolean }): Promise<{ files: string[]; notes: string[] }> {
  const { renderStudyReport, studyTables, writeReportPdf } = await studyPipeline();
  const json = resultsJson(results);
  mkdirSync(join(out, 'tables'), { recursive: true });
  const files: string[] = [];
  const notes: string[] = [];
  const write = (path: string, text: string) => {
    writeFileSync(path, text);
    files.push(path);
  };
  write(join(out, 'results.json'), json);
  const html = join(out, 'report.html');
  write(html, await renderStudyReport(results));
  for (const t of studyTables(results)) write(join(out, 'tables', t.file), t.csv);
  if (options.pdf) {
    const pdf = join(out, 'report.pdf');
    const written = await writeReportPdf(html, pdf);
    if (written.written) files.push(pdf);
    else notes.push(`report.pdf not written: ${written.reason}`);
  }
  return { files, notes };
}

/** "1.42 (1.21-1.66)" */
export function formatEstimate(e: EffectEstimate): string {
  const f = (x: number) => (e.measure === 'RD' ? `${(100 * x).toFixed(1)}%` : x.toFixed(2));
  return `${e.measure} ${f(e.estimate)} (95% CI ${f(e.lower)} to ${f(e.upper)})`;
}

/** The crude, published-style and critique estimates of the primary outcome, one line each (missing ones say so). */
export function primaryComparisonLines(results: StudyResults): string[] {
  const primary = results.spec.outcomes.find((o) => o.primary);
  if (!primary) return [];
  const labels = { crude: 'crude', published: 'published-style', critique: 'critique-adjusted' } as const;
  return (['crude', 'published', 'critique'] as const).map((set) => {
    const row = results.comparison.find((c) => c.outcome === primary.name && c.set === set);
    const covariates = set === 'crude' ? '' : ` [${results.spec.covariates[set].join(', ')}]`;
    return `  ${labels[set]}: ${row ? formatEstimate(row.ratio) : 'not estimable (see warnings)'}${covariates}`;
  });
}

/** The short summary `study run` prints. */
export function studySummary(results: StudyResults, files: readonly string[]): string {
  const n = results.tableOne.nBefore;
  const primary = results.spec.outcomes.find((o) => o.primary);
  const balance = results.balance.find((b) => b.set === 'critique');
  const lines = [
    `${results.spec.title}`,
    `cohort: ${n.target + n.comparator} patients (${results.labels.target} ${n.target}, ${results.labels.comparator} ${n.comparator})`,
    `primary outcome: ${primary?.label ?? '?'}`,
    ...primaryComparisonLines(results),
    balance
      ? `balance (critique covariates): ${balance.pass ? 'passed' : 'FAILED'}, max |SMD| after adjustment ${balance.maxAbsSmdAfter.toFixed(3)}`
      : 'balance: not assessed',
    `strength of evidence: ${results.evidence.strength}${results.evidence.downgrades.length > 0 ? ` (${results.evidence.downgrades.join('; ')})` : ''}`,
  ];
  if (results.warnings.length > 0) lines.push(`${results.warnings.length} warning(s) (in the report and results.json), e.g. ${results.warnings[0]}`);
  lines.push('wrote:', ...files.map((f) => `  ${f}`));
  return lines.join('\n');
}

async function runStudyRun(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'no-pdf': { type: 'boolean', default: false },
      site: { type: 'string' },
      actor: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return { stdout: studyUsage(), exitCode: 0 };
  if (positionals.length !== 1) throw new UsageError(`study run: expected one spec file, got ${positionals.length}`);
  if (!values.out) throw new UsageError('study run: --out DIR is required');
  const out = resolve(values.out);
  const specFile = positionals[0]!;
  const { spec, csvPath } = loadStudySpec(specFile);
  const sites = values.site?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (csvPath !== null && sites !== undefined) throw new UsageError('study run: --site applies to a registry source only');
  const progress = stepProgress('study');
  let data: { table: Table; sha256: string; problems: string[] };
  if (csvPath !== null) {
    progress(`reading ${csvPath}`);
    // Only the columns this study reads: at a million rows, typing every column of a wide table costs more than the study.
    const { studyTableColumns } = await studyPipeline();
    data = { ...analysisTableFromCsvFile(csvPath, studyTableColumns(spec)), problems: [] };
  } else {
    const actor = actorName(values.actor);
    data = await withRegistry(async (registry) => {
      progress(`reading the registry (${registry.kind}: ${registry.where})`);
      return registryAnalysisTable(registry, { sites, actor, what: 'study', spec });
    });
  }
  if (data.problems.length > 0) {
    process.stderr.write(`${data.problems.length} episode(s) could not be assessed and are not in the table:\n${data.problems.slice(0, 20).map((p) => `  ${p}\n`).join('')}`);
  }
  const { runStudy } = await studyPipeline();
  const results = runStudy(spec, data.table, { dataSha256: data.sha256, stratumVersion: stratumVersion(), onProgress: progress });
  progress('writing the report');
  const { files, notes } = await writeStudyOutputs(results, out, { pdf: !values['no-pdf'] });
  for (const note of notes) process.stderr.write(`${note}\n`);
  return { stdout: studySummary(results, files), exitCode: 0 };
}

export async function runStudyCommand(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return { stdout: studyUsage(), exitCode: 0 };
  if (sub === 'run') return runStudyRun(rest);
  throw new UsageError(`study: unknown subcommand '${sub}' (expected run)`);
}
