import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplePath } from '../../test/support/paths.js';
import { loadStudySpec, parseStudySpec, StudySpecError } from './load-study-spec.js';

const MINIMAL_YAML = `
title: Minimal
source: { csv: data/table.csv }
timeZero: { definition: device start }
treatment: { column: device_group_t0, target: microaxial, comparator: iabp, targetLabel: Pump, comparatorLabel: IABP }
outcomes:
  - { name: death_1y, label: Death, type: time_to_event, primary: true, event: death, eventTime: death_d, horizon_d: 365 }
covariates: { published: [age_years], critique: [scai_stage_t0, age_years] }
adjustment: { method: match }
`;

const MINIMAL_JSON = JSON.stringify({
  title: 'Minimal',
  source: { csv: 'data/table.csv' },
  timeZero: { definition: 'device start' },
  treatment: { column: 'device_group_t0', target: 'microaxial', comparator: 'iabp', targetLabel: 'Pump', comparatorLabel: 'IABP' },
  outcomes: [{ name: 'death_1y', label: 'Death', type: 'time_to_event', primary: true, event: 'death', eventTime: 'death_d', horizon_d: 365 }],
  covariates: { published: ['age_years'], critique: ['scai_stage_t0', 'age_years'] },
  adjustment: { method: 'match' },
});

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof StudySpecError) return e.problems;
    throw e;
  }
  assert.fail('expected a StudySpecError');
}

test('YAML and JSON give the same spec, with the schema defaults filled in', () => {
  const fromYaml = parseStudySpec(MINIMAL_YAML, 'study.yaml');
  const fromJson = parseStudySpec(MINIMAL_JSON, 'study.json');
  assert.deepEqual(fromYaml, fromJson);
  assert.deepEqual(fromYaml.adjustment, { method: 'match', estimand: 'att', ratio: 1, caliperSd: 0.2, subclasses: 5, trim: 0 });
  assert.deepEqual(fromYaml.timeZero, { definition: 'device start', column: 'time_zero_source' });
  assert.deepEqual(fromYaml.followUp, { death: 'death', deathTime: 'death_d', lastKnownAlive: 'last_known_alive_d' });
  assert.deepEqual(fromYaml.sensitivity, { eValues: true, bleedingDefinitions: true, calipers: [], trims: [], methods: [] });
  assert.equal(fromYaml.missingCovariates, 'indicator');
  assert.deepEqual(fromYaml.source, { csv: 'data/table.csv' }, 'the CSV path is kept as written');
  assert.equal(parseStudySpec(MINIMAL_YAML, 'STUDY.YML').title, 'Minimal', '.yml, any case');
});

test('every problem is listed with its path, not only the first', () => {
  const bad = MINIMAL_YAML.replace('horizon_d: 365', 'horizon_d: -1, color: red').replace('title: Minimal', 'title: ""').replace('method: match', 'method: magic');
  const problems = problemsOf(() => parseStudySpec(bad, 'bad.yaml'));
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('title: ')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('outcomes[0].horizon_d: ')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('outcomes[0]: ') && p.includes('color')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('adjustment.method: ')), problems.join('\n'));
});

test('cross-field rules of the schema are reported with their path', () => {
  const twoPrimaries = JSON.parse(MINIMAL_JSON) as { outcomes: unknown[]; treatment: { comparator: string } };
  twoPrimaries.outcomes.push({ name: 'death_1y', label: 'Again', type: 'binary', primary: true, column: 'death_1y' });
  twoPrimaries.treatment.comparator = 'microaxial';
  const problems = problemsOf(() => parseStudySpec(JSON.stringify(twoPrimaries), 'x.json'));
  assert.deepEqual(problems.sort(), [
    'outcomes: exactly one outcome must be primary: true (found 2)',
    "outcomes[1].name: duplicate outcome name 'death_1y'",
    'treatment.comparator: target and comparator must differ',
  ]);
});

test('YAML syntax errors name the line and column; JSON syntax errors are reported too', () => {
  const yamlProblems = problemsOf(() => parseStudySpec('title: x\noutcomes: [a,\nseed: 1\n', 'x.yaml'));
  assert.match(yamlProblems[0]!, /^line 3, column 1: /);
  const duplicate = problemsOf(() => parseStudySpec('title: a\ntitle: b\n', 'x.yaml'));
  assert.match(duplicate[0]!, /^line 2, column 1: Map keys must be unique/);
  assert.match(problemsOf(() => parseStudySpec('{"title": ', 'x.json'))[0]!, /^\(file\): not valid JSON/);
  assert.deepEqual(problemsOf(() => parseStudySpec('', 'x.yaml')), ['(spec): the file is empty; expected a study specification (docs/study-spec.md)']);
  assert.deepEqual(problemsOf(() => parseStudySpec('{}', 'x.toml')), ["(file): unknown extension '.toml'; expected .yaml, .yml or .json"]);
});

test('the error message lists every problem under the file name', () => {
  try {
    parseStudySpec('title: x\n', 'spec.yaml');
    assert.fail('expected a StudySpecError');
  } catch (e) {
    assert.ok(e instanceof StudySpecError);
    assert.equal(e.file, 'spec.yaml');
    assert.ok(e.problems.length >= 5, e.message);
    assert.equal(e.message.split('\n')[0], `study spec 'spec.yaml' has ${e.problems.length} problems; nothing was run:`);
    for (const p of e.problems) assert.ok(e.message.includes(`\n  ${p}`));
  }
});

test('loadStudySpec resolves a CSV source against the spec folder; a registry source has none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-spec-'));
  try {
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'specs', 'study.yaml'), MINIMAL_YAML);
    const loaded = loadStudySpec(join(dir, 'specs', 'study.yaml'));
    assert.equal(loaded.csvPath, join(dir, 'specs', 'data', 'table.csv'));
    assert.deepEqual(problemsOf(() => loadStudySpec(join(dir, 'missing.yaml'))), ['(file): cannot read the spec (no such file)']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled example spec is valid', () => {
  const { spec, csvPath } = loadStudySpec(examplePath('studies', 'pump-vs-iabp.yaml'));
  assert.equal(csvPath, null);
  assert.deepEqual(spec.source, { registry: true });
  assert.equal(spec.outcomes.filter((o) => o.primary).length, 1);
  assert.deepEqual(spec.sensitivity.calipers, [0.1, 0.05]);
});
