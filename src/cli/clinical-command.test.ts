import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../test/support/cli.js';
import { examplePath, fixturePath, repoRoot } from '../../test/support/paths.js';
import { runClinicalCommand } from './clinical-command.js';
import { WIDTH } from './clinical-format.js';

const example = (name: string): string => examplePath('episodes', `${name}.json`);
const fixture = (name: string): string => fixturePath('episodes', `${name}.json`);

function ok(args: string[]): string {
  const out = runCli(['clinical', ...args]);
  assert.equal(out.status, 0, `exit ${out.status}: ${out.stderr}`);
  return out.stdout;
}

function json(args: string[]): Record<string, unknown> {
  return JSON.parse(ok([...args, '--json'])) as Record<string, unknown>;
}

/** The lines of one section of the `assess` summary, from its title line to the next blank line. */
function section(text: string, title: string): string {
  const start = text.split('\n').findIndex((l) => l.startsWith(title));
  assert.ok(start >= 0, `section '${title}' not found in:\n${text}`);
  const lines = text.split('\n').slice(start);
  const end = lines.indexOf('');
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}

// Hand derivation from the example and docs/clinical/scai.md: lactate 9.5 then 11.8 mmol/L (≥ 8, SCAI 2022 extremis),
// pH 7.12 (≤ 7.2), three vasoactives (> 2), VA-ECMO at 90 min: hypoperfusion plus refractory shock from the first
// hour on → E at admission, at the ECMO start, in every block and as the maximum; mean 5 (E = 5).
test('assess scai-e-extremis: stage E at admission, at device start, maximum, mean 5, every block', () => {
  const out = ok(['assess', '--input', example('scai-e-extremis')]);
  const scai = section(out, 'SCAI SHOCK stage');
  assert.match(scai, /at admission\s+E \(Jentzer windows/);
  assert.match(scai, /at device start\s+VA-ECMO at 2026-02-02 10:30 \(\+1\.5 h\): E/);
  assert.match(scai, /maximum, first 24 h\s+E /);
  assert.match(scai, /mean, first 24 h\s+5 /);
  assert.match(scai, /0–24 h\s+E\s+24 blocks/);
  assert.match(section(out, 'Phenotype'), /SHARC category\s+HF-CS/);
});

// Bleeding hand derivation (docs/clinical/bleeding.md), example bleeding-gi-retroperitoneal (anchor 03-02 08:00):
// #0 gastrointestinal at +12 h: baseline Hb 13.0 (18:00), nadir 9.8 (03-03 14:00, before the next bleed), no units
//    in between → corrected drop 3.2 g/dL, overt → BARC 3a; no transfusion or compromise → GUSTO mild; ISTH major
//    (uncorrected fall ≥ 2); TIMI minor (3 ≤ 3.2 < 5); VARC-2 major (≥ 3).
// #1 retroperitoneal at +54 h: baseline 10.2 (12:00), nadir 8.4 (20:00), 2 RBC units at 16:00 in between →
//    corrected 1.8 + 2 = 3.8; vasoactive started for the bleed → BARC 3b; compromise + intervention → GUSTO severe;
//    TIMI minor; retroperitoneal = ISTH critical site → major; compromise with vasoactives → VARC-2 life-threatening.
test('assess bleeding-gi-retroperitoneal: each event under BARC, GUSTO, TIMI, ISTH, VARC-2, and the patient summary', () => {
  const out = ok(['assess', '--input', example('bleeding-gi-retroperitoneal')]);
  const bleeding = section(out, 'Bleeding');
  assert.match(bleeding, /event\s+onset\s+site\s+Hb drop\s+BARC\s+GUSTO\s+TIMI\s+ISTH\s+VARC-2/);
  assert.match(bleeding, /#0\s+\+12\.0 h\s+gastrointestinal\s+3\.2\s+3a\s+mild\s+minor\s+major\s+major/);
  assert.match(bleeding, /#1\s+\+54\.0 h\s+retroperitoneal\s+3\.8\s+3b\s+severe\s+minor\s+major\s+life-threatening/);
  assert.match(bleeding, /worst class\s+3b\s+severe\s+minor\s+major\s+life-threatening/);
  // first major: BARC ≥ 3a at #0; GUSTO ≥ moderate only at #1; TIMI never major
  assert.match(bleeding, /first major bleed\s+\+12\.0 h\s+\+54\.0 h\s+none\s+\+12\.0 h\s+\+12\.0 h/);
});

// Anticoagulation hand derivation, example anticoag-ecpella (band anti-Xa 0.31–0.50): anti-Xa 0.78 (16:00) → 0.56
// (22:30) → 0.45 (04:30) → 0.41 (10:30) → 0.38 (22:30 next day). Rosendaal: 6.5 h above; 0.56 → 0.45 over 6 h
// crosses 0.50 after 6/11 of the interval (3.27 h above, 2.73 h in); then 18 h in. In range 20.73 / 30.5 h = 68.0 %.
// The last anti-Xa 0.38 is in the band: no change, recheck in 12 h after two in-range values.
test('assess anticoag-ecpella: pairs, TTR per test, next step labelled decision support', () => {
  const out = ok(['assess', '--input', example('anticoag-ecpella')]);
  const ac = section(out, 'Anticoagulation');
  assert.match(ac, /pairs \(anti-Xa\/aPTT within ±15 min\): 5, discordant 0/);
  assert.match(ac, /anti-Xa 0\.78 \(high\)\s+aPTT 102 \(high\)\s+concordant_high/);
  assert.match(ac, /TTR anti_xa_IU_mL \(Rosendaal\): 68\.0 % in range, 0\.0 % below, 32\.0 % above over 30\.5 h/);
  assert.match(ac, /TTR aptt_s \(Rosendaal\): \d+\.\d % in range/);
  assert.match(ac, /next step \(vandenbriele-2022-standard\) — Decision support for a clinician, not an order/);
  assert.match(ac, /anti-Xa 0\.38 \[IU\]\/mL in .*no change/);
  // the other sections are present even where data are sparse
  for (const title of ['Input warnings: none', 'SCAI SHOCK stage', 'Phenotype at', 'Hemodynamics at', 'Organ function at', 'Hemolysis up to', 'Bleeding:']) {
    assert.ok(out.includes(title), title);
  }
  assert.match(section(out, 'Bleeding'), /no bleeding event recorded: BARC 0/);
});

// Organ hand derivation, example organ-multiorgan-failure (docs/clinical/organ.md): PaO2/FiO2 68/0.8 = 85 on the
// ventilator → 4; platelets 41 → 3; bilirubin 3.1 → 2; norepinephrine 0.35 > 0.1 → 4; GCS 9 → 3; creatinine 3.6 → 3
// (urine output incomplete: renal up to 4). Total 19, up to 20. KRT started → KDIGO stage 3.
// Lactate 9.2 → 6.1 at 6 h: (9.2 − 6.1) / 9.2 = 33.7 %.
test('assess organ-multiorgan-failure: SOFA with components, KDIGO stage, lactate clearance', () => {
  const organ = section(ok(['assess', '--input', example('organ-multiorgan-failure')]), 'Organ function');
  assert.match(organ, /19 proven, up to 20/);
  assert.match(organ, /respiration\s+4\s+PaO2\/FiO2 85/);
  assert.match(organ, /coagulation\s+3\s/);
  assert.match(organ, /liver\s+2\s/);
  assert.match(organ, /cardiovascular\s+4\s/);
  assert.match(organ, /CNS\s+3\s/);
  assert.match(organ, /renal\s+3–4\s+highest creatinine 3\.6/);
  assert.match(organ, /KDIGO AKI\s+stage 3 \(creatinine 3, urine output 2, KRT yes\)/);
  assert.match(organ, /6 h: 33\.7% \(→ 6\.1\)/);
});

// Hemolysis: PFHb 44 and 48 mg/dL 9 h apart on the Impella (> 40 twice ≥ 8 h apart → significant) with hemoglobinuria,
// repositioning and speed reduction → severe (docs/clinical/hemolysis.md). Phenotype of rv-failure: SBP 78 < 90,
// lactate 3.8 ≥ 2 → hypotensive CS; RAP/PCWP 13/10 = 1.3 ≥ 0.8 → RV involvement.
test('assess hemolysis-impella and phenotype-rv-failure: hemolysis grade and phenotype', () => {
  const hemolysis = section(ok(['assess', '--input', example('hemolysis-impella')]), 'Hemolysis');
  assert.match(hemolysis, /: severe/);
  assert.match(hemolysis, /worst plasma free Hb 48 mg\/dL/);
  assert.match(hemolysis, /consequences\s+hemoglobinuria, repositioning, speed reduction/);
  const phenotype = section(ok(['assess', '--input', example('phenotype-rv-failure')]), 'Phenotype');
  assert.match(phenotype, /blood pressure\s+hypotensive CS/);
  assert.match(phenotype, /involvement RV/);
  assert.match(phenotype, /RAP\/PCWP 1\.3 ≥ 0\.8/);
});

test('input warnings (extreme but accepted values) are printed at the top, before the rules', () => {
  const out = ok(['assess', '--input', fixture('warning-extreme-lactate')]);
  const warn = out.indexOf('Input warnings: 1 value');
  assert.ok(warn > 0 && warn < out.indexOf('SCAI SHOCK stage'), out);
  assert.match(out, /observations\[3\]\.value: Lactate 24 mmol\/L is outside the usual range/);
  const j = json(['scai', '--input', fixture('warning-extreme-lactate')]);
  assert.deepEqual((j.warnings as Array<{ path: string }>).map((w) => w.path), ['observations[3].value']);
});

test('each family subcommand runs with --json and returns the family fields', () => {
  const cases: Array<[string, string, (r: Record<string, unknown>) => void]> = [
    ['scai', 'scai-d-deteriorating', (r) => {
      const s = r.result as Record<string, unknown>;
      assert.equal(s.ruleSetId, 'scai2022');
      assert.equal((s.at as { label: string }).label, 'D');
      assert.equal(((s.trajectory as { blocks: unknown[] }).blocks).length, 24);
      assert.deepEqual(r.missing, []);
    }],
    ['hemodynamics', 'phenotype-rv-failure', (r) => {
      assert.equal((r.rapPcwp as { result: number }).result, 1.3);
      assert.ok('map' in r && 'cardiacIndex' in r && 'cpo' in r && 'papi' in r && 'svr' in r && 'vasoactives' in r);
    }],
    ['organ', 'organ-multiorgan-failure', (r) => {
      assert.equal((r.sofa as { total: number }).total, 19);
      assert.equal((r.aki as { result: number }).result, 3);
      assert.ok('lactate' in r && 'liver' in r);
    }],
    ['phenotype', 'phenotype-rv-failure', (r) => {
      assert.equal((r.sharc as { result: { category: string } }).result.category, 'AMI-CS');
      assert.equal((r.bloodPressure as { result: { phenotype: string } }).result.phenotype, 'hypotensive_cs');
      assert.equal((r.ventricular as { result: { involvement: string } }).result.involvement, 'RV');
    }],
    ['hemolysis', 'hemolysis-impella', (r) => {
      assert.equal((r.result as { grade: string }).grade, 'severe');
      assert.ok(Array.isArray(r.reasons) && Array.isArray(r.missing));
    }],
    ['bleeding', 'bleeding-cabg', (r) => {
      const events = r.events as Array<{ classification: { barc: { result: string } } }>;
      assert.equal(events[0].classification.barc.result, '4');
      assert.equal((r.summary as { eventCount: number }).eventCount, 1);
    }],
    ['anticoag', 'anticoag-raschke-iabp', (r) => {
      const a = r.result as Record<string, unknown>;
      assert.equal((a.pairs as unknown[]).length, 0);
      assert.ok((a.ttr as Record<string, unknown>).aptt_s);
      assert.match(a.decisionSupportLabel as string, /Decision support for a clinician/);
      assert.equal((a.latestNextStep as { result: { protocolId: string } }).result.protocolId, 'raschke-1993-aptt');
    }],
    ['assess', 'anticoag-ecpella', (r) => {
      assert.deepEqual(Object.keys(r).sort(), ['anticoagulation', 'bleeding', 'hemodynamics', 'hemolysis', 'organ', 'phenotype', 'scai']);
    }],
  ];
  for (const [rule, name, check] of cases) {
    const out = json([rule, '--input', example(name)]);
    assert.equal(out.rule, rule);
    assert.equal(typeof out.episodeId, 'string');
    assert.deepEqual(out.warnings, []);
    assert.equal((out.at as { default: boolean }).default, true);
    check(out.result as Record<string, unknown>);
  }
});

// scai-d-deteriorating (anchor 2026-02-02 09:00+01:00): lactate 2.6 at admission (≥ 2 → C); the rise to 4.8 with
// every value ≥ 2 and the added dobutamine come later (deterioration → D). At 10:00 only the first values exist → C;
// at the last record (+24 h) → D. The anticoagulation record of anticoag-coagulopathy at 19:30 holds one pair only.
test('--at changes a point-in-time result', () => {
  const early = json(['scai', '--input', example('scai-d-deteriorating'), '--at', '2026-02-02T10:00:00+01:00']);
  assert.deepEqual(early.at, { time: '2026-02-02T10:00:00+01:00', t_min: 60, default: false });
  assert.equal(((early.result as { result: { at: { label: string } } }).result.at).label, 'C');
  const late = json(['scai', '--input', example('scai-d-deteriorating')]);
  assert.equal(((late.result as { result: { at: { label: string } } }).result.at).label, 'D');
  const text = ok(['scai', '--input', example('scai-d-deteriorating'), '--at', '2026-02-02T10:00:00+01:00']);
  assert.match(text, /assessed at\s+2026-02-02 10:00 \(\+1\.0 h\)\n/);
  assert.match(text, /at assessment time\s+C /);
  const all = (at?: string) => json(['anticoag', '--input', example('anticoag-coagulopathy'), ...(at ? ['--at', at] : [])]);
  const pairs = (r: Record<string, unknown>) => ((r.result as { result: { pairs: unknown[] } }).result.pairs).length;
  assert.equal(pairs(all('2026-04-10T19:30:00+01:00')), 1);
  assert.ok(pairs(all()) > 1);
});

test('an invalid episode exits 1 and lists every problem with its path, value and expectation', () => {
  const out = runCli(['clinical', 'assess', '--input', fixture('invalid-values')]);
  assert.equal(out.status, 1, out.stderr);
  assert.equal(out.stdout, '');
  const lines = out.stderr.trim().split('\n');
  assert.match(lines[0], /episode file '.*invalid-values\.json' has 3 problems; nothing was assessed/);
  assert.deepEqual(lines.slice(1), [
    'observations[0].value: 50 -> 0–35 mmol/L',
    'observations[2].value: 95 -> ≤ SBP 80 mmHg at 2026-05-01T08:00:00+02:00',
    'infusions[0].rateUnit: "ug/min" -> a weight in demographics, or a rate in ug/kg/min',
  ]);
});

test('an episode missing a required field lists that field and the out-of-range value', () => {
  const out = runCli(['clinical', 'scai', '--input', fixture('invalid-three-problems')]);
  assert.equal(out.status, 1, out.stderr);
  assert.match(out.stderr, /^id: \(missing\) -> a value of type string$/m);
  assert.match(out.stderr, /^observations\[0\]\.value: 50 -> 0–35 mmol\/L$/m);
});

// Every problem is listed even when the structure is invalid: a missing `id` must not hide the DBP > SBP check.
test('an episode missing a required field also lists the DBP > SBP problem', () => {
  const out = runCli(['clinical', 'scai', '--input', fixture('invalid-three-problems')]);
  assert.match(out.stderr, /^observations\[2\]\.value: 95 -> ≤ SBP 80 mmHg/m);
});

test('usage errors: unknown rule, missing --input, bad --at, unknown flag; file errors name the file', () => {
  const cases: Array<[string[], number, RegExp]> = [
    [['sofa', '--input', example('scai-c-classic')], 2, /unknown clinical rule 'sofa'; expected one of scai, hemodynamics, organ, phenotype, hemolysis, bleeding, anticoag, assess/],
    [['assess'], 2, /--input is required/],
    [['scai', '--input', example('scai-c-classic'), '--at', 'yesterday'], 2, /--at 'yesterday' is not an ISO 8601 time with offset/],
    [['scai', '--input', example('scai-c-classic'), '--at', '2026-02-02T10:00:00'], 2, /--at '2026-02-02T10:00:00' is not an ISO 8601 time with offset/],
    [['scai', '--input', example('scai-c-classic'), '--bogus'], 2, /Unknown option '--bogus'/],
    [['scai', '--input', 'no/such/episode.json'], 1, /cannot read episode file 'no\/such\/episode\.json'/],
    [['scai', '--input', fixture('invalid-not-json')], 1, /episode file '.*invalid-not-json\.json' is not valid JSON/],
  ];
  for (const [args, status, pattern] of cases) {
    const out = runCli(['clinical', ...args]);
    assert.equal(out.status, status, `${args.join(' ')}: ${out.stderr}`);
    assert.match(out.stderr.split('\n')[0], pattern, `${args.join(' ')}: ${out.stderr}`);
  }
  assert.match(ok(['--help']), /usage: stratum clinical <rule> --input episode\.json \[--at TIME\] \[--json\]/);
  assert.match(runCli(['--help']).stdout, /clinical\s+clinical rules on one episode/);
});

test('assess runs on every example episode (at least 20), within 100 columns, with JSON that round-trips', () => {
  const files = readdirSync(examplePath('episodes')).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 20, `${files.length} example episodes`);
  for (const f of files) {
    const path = examplePath('episodes', f);
    const text = runClinicalCommand(['assess', '--input', path]);
    for (const title of ['Input warnings', 'SCAI SHOCK stage', 'Phenotype at', 'Organ function at', 'Hemolysis up to', 'Bleeding:', 'Anticoagulation up to']) {
      assert.ok(text.includes(title), `${f}: ${title}`);
    }
    const long = text.split('\n').filter((l) => l.length > WIDTH);
    assert.deepEqual(long, [], `${f}: lines over ${WIDTH} columns`);
    const parsed = JSON.parse(runClinicalCommand(['assess', '--input', path, '--json'])) as { result: Record<string, unknown> };
    assert.equal(Object.keys(parsed.result).length, 7, f);
  }
});

// docs/clinical-rules.md merges docs/clinical/*.md (headings one level down, links re-rooted at docs/): every line of
// every per-family page must be in it, so the combined page cannot drift from the pages it merges.
test('docs/clinical-rules.md holds every per-family page and the current assess example', () => {
  const docs = join(repoRoot, 'docs');
  const combined = readFileSync(join(docs, 'clinical-rules.md'), 'utf8');
  const have = new Set(combined.split('\n'));
  for (const f of readdirSync(join(docs, 'clinical')).filter((x) => x.endsWith('.md'))) {
    let fence = false;
    for (const raw of readFileSync(join(docs, 'clinical', f), 'utf8').split('\n')) {
      if (raw.startsWith('```')) fence = !fence;
      const line = (!fence && /^#{1,5} /.test(raw) ? `#${raw}` : raw).replaceAll('](../', '](');
      assert.ok(have.has(line), `docs/clinical/${f}: line missing from docs/clinical-rules.md (merge the page again):\n${line}`);
    }
    assert.ok(combined.includes(`(clinical/${f})`), `docs/clinical-rules.md links ${f}`);
  }
  const block = /stratum clinical assess --input examples\/episodes\/(\S+)\.json`[^\n]*\n[^`]*```text\n([\s\S]*?)\n```/.exec(combined);
  assert.ok(block, 'assess example block');
  assert.equal(block[2], runClinicalCommand(['assess', '--input', examplePath('episodes', `${block[1]}.json`)]), 'the documented assess output is current');
});
