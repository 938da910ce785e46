// `stratum study run` and `stratum demo` end to end in a child process: spec errors listed with their paths, an
// unknown column named, a CSV-source study writing every output, and the demo's synthetic registry -> report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/support/cli.js';
import { examplePath } from '../../test/support/paths.js';
import { ARTIFACTS, browserSkip, checkReportInBrowser, chromiumMissing } from '../../test/support/report-browser.js';
import { parseEpisode } from '../clinical/episode/episode.js';
import { analysisRow, analysisTableCsv } from '../registry/dataset/index.js';
import { generateRegistry } from '../synth/generate-registry.js';
import type { StudyResults } from '../study/study-results.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { resultsJson } from '../study/results-json.js';

// No registry of the environment: the demo must make its own, the CSV study must not touch one.
const ENV = { STRATUM_PROGRESS: '0', STRATUM_ACTOR: 'test-runner', STRATUM_DATA_DIR: undefined, STRATUM_DATABASE_URL: undefined };

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An analysis-table CSV of a small synthetic registry, as `stratum dataset` would write it. */
function syntheticAnalysisCsv(patients: number): string {
  const rows = [];
  for (const { record } of generateRegistry(synthParameters({ patients, sites: 4, seed: 3 }))) {
    const parsed = parseEpisode(record.episode);
    assert.ok(parsed.ok);
    rows.push(analysisRow(record, parsed.episode));
  }
  return analysisTableCsv(rows);
}

/** The bundled example with a CSV source instead of the registry. */
function exampleWithCsvSource(csv: string): string {
  const text = readFileSync(examplePath('studies', 'pump-vs-iabp.yaml'), 'utf8');
  const replaced = text.replace(/^source:\n  registry: true$/m, `source:\n  csv: ${csv}`);
  assert.notEqual(replaced, text, 'the example has the registry source block');
  return replaced;
}

test('study run: every spec problem is listed with its path (exit 1), nothing is written', () => {
  const dir = tmp('stratum-study-bad-');
  try {
    const spec = join(dir, 'bad.yaml');
    writeFileSync(
      spec,
      [
        'title: Bad',
        'source: { csv: table.csv }',
        'timeZero: { definition: device start }',
        'treatment: { column: device_group_t0, target: microaxial, comparator: microaxial, targetLabel: Pump, comparatorLabel: IABP }',
        'outcomes:',
        '  - { name: death_1y, label: Death, type: time_to_event, event: death, eventTime: death_d, horizon_d: 0 }',
        'covariates: { published: [], critique: [scai_stage_t0] }',
        'adjustment: { method: match, caliperSd: -1 }',
      ].join('\n'),
    );
    const out = runCli(['study', 'run', spec, '--out', join(dir, 'out')], { env: ENV });
    assert.equal(out.status, 1, out.stderr);
    assert.match(out.stderr, /study spec '.*bad\.yaml' has 5 problems; nothing was run:/);
    for (const path of ['outcomes[0].horizon_d: ', 'covariates.published: ', 'adjustment.caliperSd: ', 'outcomes: exactly one outcome must be primary', 'treatment.comparator: ']) {
      assert.ok(out.stderr.includes(`\n  ${path}`), `${path} in:\n${out.stderr}`);
    }
    assert.equal(existsSync(join(dir, 'out')), false);
    const usage = runCli(['study', 'run', spec], { env: ENV });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--out DIR is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('study run on a CSV source: an unknown column is named (exit 1); a missing CSV is named (exit 1)', () => {
  const dir = tmp('stratum-study-col-');
  try {
    writeFileSync(join(dir, 'table.csv'), syntheticAnalysisCsv(40));
    const spec = join(dir, 'study.yaml');
    writeFileSync(spec, exampleWithCsvSource('table.csv').replace('    - creatinine_t0_mg_dL\n', '    - creatinine_t0_mg_dL\n    - lactate_peak_mmol_L\n'));
    const unknown = runCli(['study', 'run', spec, '--out', join(dir, 'out'), '--no-pdf'], { env: ENV });
    assert.equal(unknown.status, 1, unknown.stderr);
    assert.match(unknown.stderr, /lactate_peak_mmol_L/);
    assert.doesNotMatch(unknown.stderr, /internal error/);

    const missing = join(dir, 'missing.yaml');
    writeFileSync(missing, exampleWithCsvSource('no-such-table.csv'));
    const noCsv = runCli(['study', 'run', missing, '--out', join(dir, 'out'), '--no-pdf'], { env: ENV });
    assert.equal(noCsv.status, 1, noCsv.stderr);
    assert.match(noCsv.stderr, /no-such-table\.csv' cannot be read \(no such file\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('study run on a CSV source writes results.json, report.html, tables and the PDF (or says why not)', { timeout: 120_000 }, () => {
  const dir = tmp('stratum-study-csv-');
  try {
    writeFileSync(join(dir, 'table.csv'), syntheticAnalysisCsv(600));
    const spec = join(dir, 'study.yaml');
    writeFileSync(spec, exampleWithCsvSource('table.csv'));
    const outDir = join(dir, 'out');
    const out = runCli(['study', 'run', spec, '--out', outDir], { env: { ...ENV, STRATUM_PROGRESS: '1' } });
    assert.equal(out.status, 0, out.stderr);
    const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as {
      format: string;
      dataSha256: string;
      spec: { source: unknown };
      comparison: Array<{ outcome: string; set: string }>;
    };
    assert.equal(results.format, 'stratum-study-results/1');
    assert.match(results.dataSha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(results.spec.source, { csv: 'table.csv' });
    assert.deepEqual(results.comparison.filter((c) => c.outcome === 'death_1y').map((c) => c.set), ['crude', 'published', 'critique']);
    assert.match(readFileSync(join(outDir, 'report.html'), 'utf8'), /<html/i);
    const tables = readdirSync(join(outDir, 'tables'));
    assert.ok(tables.length > 0 && tables.every((t) => t.endsWith('.csv')), tables.join(', '));
    if (existsSync(join(outDir, 'report.pdf'))) assert.equal(readFileSync(join(outDir, 'report.pdf')).subarray(0, 5).toString('latin1'), '%PDF-');
    else assert.match(out.stderr, /report\.pdf not written: /);
    // Progress per pipeline step on stderr; the summary on stdout.
    assert.match(out.stderr, /study: cohort and attrition/);
    assert.match(out.stdout, /^cohort: \d+ patients \(Microaxial flow pump \d+, IABP \d+\)$/m);
    assert.match(out.stdout, /^ {2}crude: HR \d/m);
    assert.match(out.stdout, /^ {2}critique-adjusted: HR \d/m);
    assert.match(out.stdout, /^balance \(critique covariates\): (passed|FAILED)/m);
    assert.match(out.stdout, /^strength of evidence: (moderate|low|very low)/m);
    assert.ok(out.stdout.includes(join(outDir, 'results.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo (the README main command, default size) builds its own registry, reproduces the claims-study pattern, recovers the truth, and its report shows every section in Chromium', { timeout: 300_000 }, async () => {
  const dir = tmp('stratum-demo-');
  try {
    const out = runCli(['demo', '--out', dir], { env: ENV });
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stderr, new RegExp(`registry: a fresh embedded database in ${join(dir, 'registry').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const f of ['report.html', 'results.json', 'analysis-table.csv', 'ground-truth.json', 'tables/comparison.csv']) assert.ok(existsSync(join(dir, f)), f);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines[0], `report: ${join(dir, 'report.html')}`);
    assert.match(out.stdout, /^crude +HR \d/m);
    assert.match(out.stdout, /^published-style +HR \d/m);
    assert.match(out.stdout, /^critique-adjusted +HR \d/m);
    assert.match(out.stdout, /^ground truth +HR 1\.00 /m);
    // The demo's argument, on its default registry: the crude and published-style analyses find the pump harmful
    // (CI above 1); the analysis adjusted as the critique asks covers the generator's true within-stage HR.
    const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as { trueEffects: { death: { hazardRatio: Record<string, number> } } };
    const trueHr = truth.trueEffects.death.hazardRatio['microaxial'];
    assert.equal(trueHr, 1);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as StudyResults;
    const death = (set: string) => results.comparison.find((c) => c.outcome === 'death_1y' && c.set === set)!.ratio;
    assert.ok(death('crude').lower > 1, `crude HR ${death('crude').estimate} (${death('crude').lower}-${death('crude').upper})`);
    assert.ok(death('published').lower > 1, `published HR ${death('published').lower}`);
    assert.ok(death('critique').lower <= trueHr && trueHr <= death('critique').upper, `critique CI ${death('critique').lower}-${death('critique').upper} misses ${trueHr}`);
    // ...and the audit shows what a claims dataset would have lacked.
    assert.ok(results.completeness.some((c) => c.id === 'scai-stage-t0' && !c.inClaimsData && c.status === 'complete'));
    if (!chromiumMissing) assert.ok(readFileSync(join(dir, 'report.pdf')).subarray(0, 5).toString() === '%PDF-', 'report.pdf');
    if (browserSkip === false) await checkReportInBrowser(join(dir, 'report.html'), join(ARTIFACTS, 'demo-report.png'), 11);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo refuses to replace a registry folder it did not make', () => {
  const dir = tmp('stratum-demo-foreign-');
  try {
    mkdirSync(join(dir, 'registry'));
    writeFileSync(join(dir, 'registry', 'PG_VERSION'), '17\n');
    const out = runCli(['demo', '--patients', '10', '--out', dir, '--no-pdf'], { env: ENV });
    assert.equal(out.status, 2, out.stderr);
    assert.match(out.stderr, /registry exists and was not made by stratum demo; choose another --out/);
    assert.equal(readFileSync(join(dir, 'registry', 'PG_VERSION'), 'utf8'), '17\n', 'left alone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('results.json refuses NaN and Infinity, naming where they are', () => {
  // A fragment is enough: the check walks whatever it is given.
  const ratio = { estimate: 1.2, lower: NaN, upper: Infinity };
  const results = { format: 'stratum-study-results/1', outcomes: [{ ratio }] } as unknown as StudyResults;
  assert.throws(() => resultsJson(results), /2 non-finite number\(s\); results\.json was not written: outcomes\[0\]\.ratio\.lower = NaN, outcomes\[0\]\.ratio\.upper = Infinity/);
  ratio.lower = 0.9;
  ratio.upper = 1.5;
  assert.equal(resultsJson(results), '{\n  "format": "stratum-study-results/1",\n  "outcomes": [\n    {\n      "ratio": {\n        "estimate": 1.2,\n        "lower": 0.9,\n        "upper": 1.5\n      }\n    }\n  ]\n}\n');
});
