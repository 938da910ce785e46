// The registry commands end to end, on the embedded database and (when configured) a PostgreSQL server:
// synth -> import -> dataset -> export -> re-import elsewhere, idempotency, all-or-nothing on bad input, and an
// import killed midway leaving all of the file or none of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/support/cli.js';
import { repoRoot } from '../../test/support/paths.js';
import { registryTargets, type RegistryTarget } from '../../test/support/registry.js';
import { openRegistry, type RegistryLocation } from '../registry/db/registry-connection.js';
import { recordsToCsvTables } from '../registry/csv/native-write.js';
import { recordsToFhirBundle } from '../registry/fhir/record-to-fhir.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { synthParameters } from '../synth/synth-parameters.js';

const TABLES = ['sites', 'imports', 'patients', 'episodes', 'observations', 'infusions', 'devices', 'events', 'audit_log'] as const;

async function tableCounts(location: RegistryLocation): Promise<Record<string, number>> {
  const registry = await openRegistry(location);
  try {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const row = await registry.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    return out;
  } finally {
    await registry.close();
  }
}

function cli(env: Record<string, string>, args: string[]) {
  return runCli(args, { env: { ...env, STRATUM_PROGRESS: '0', STRATUM_ACTOR: 'test-runner' } });
}

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

async function withTarget(target: RegistryTarget, body: (env: Record<string, string>, location: RegistryLocation) => Promise<void>): Promise<void> {
  const fresh = await target.fresh();
  try {
    await body(fresh.env, fresh.location);
  } finally {
    await fresh.dispose();
  }
}

for (const target of registryTargets()) {
  test(`${target.name}: synth -> import fhir -> dataset; re-import changes nothing; export csv and fhir re-import losslessly`, { timeout: 300_000 }, async () => {
    const out = tmp('stratum-synth-');
    try {
      const synth = cli({}, ['synth', '--patients', '60', '--sites', '3', '--seed', '7', '--out', out]);
      assert.equal(synth.status, 0, synth.stderr);
      const bundles = readdirSync(out).filter((f) => f.endsWith('.json')).map((f) => join(out, f));
      assert.equal(bundles.length, 3, 'one Bundle per site');
      const truth = JSON.parse(readFileSync(join(out, 'ground-truth', 'ground-truth.json'), 'utf8')) as Record<string, unknown>;
      assert.ok(truth !== null && typeof truth === 'object');

      await withTarget(target, async (env, location) => {
        const first = cli(env, ['import', 'fhir', ...bundles]);
        assert.equal(first.status, 0, first.stderr + first.stdout);
        assert.match(first.stdout, /import #1: \d+ new episode/);
        const counts = await tableCounts(location);
        assert.equal(counts['episodes'], 60);
        assert.equal(counts['imports'], 3);

        const again = cli(env, ['import', 'fhir', ...bundles]);
        assert.equal(again.status, 0, again.stderr);
        assert.equal((again.stdout.match(/already imported/g) ?? []).length, 3);
        assert.deepEqual(await tableCounts(location), counts, 're-importing the same files changes nothing');

        const cohort = join(out, 'cohort.csv');
        const dataset = cli(env, ['dataset', '--out', cohort]);
        assert.equal(dataset.status, 0, dataset.stderr + dataset.stdout);
        const lines = readFileSync(cohort, 'utf8').trim().split('\n');
        assert.equal(lines.length, 61, 'header + one row per patient');
        assert.ok(!readFileSync(cohort, 'utf8').includes('MRN'), 'no identifiers in the analysis table');

        const verify = cli(env, ['audit', 'verify', '--deep']);
        assert.equal(verify.status, 0, verify.stdout + verify.stderr);
        assert.match(verify.stdout, /audit chain intact/);

        // Export as CSV and FHIR; import each into an empty registry; exporting that again gives the same files.
        for (const format of ['csv', 'fhir'] as const) {
          const exported = join(out, `export-${format}`);
          const ex = cli(env, ['export', format, '--out', exported]);
          assert.equal(ex.status, 0, ex.stderr);
          await withTarget(target, async (env2) => {
            const files = readdirSync(exported).map((f) => join(exported, f));
            const imp = cli(env2, ['import', format, ...(format === 'csv' ? [exported] : files)]);
            assert.equal(imp.status, 0, imp.stdout + imp.stderr);
            const reexported = join(out, `reexport-${format}`);
            const ex2 = cli(env2, ['export', format, '--out', reexported]);
            assert.equal(ex2.status, 0, ex2.stderr);
            for (const f of readdirSync(exported)) {
              assert.equal(readFileSync(join(reexported, f), 'utf8'), readFileSync(join(exported, f), 'utf8'), `${format}/${f} identical after a round trip through a second registry`);
            }
          });
        }
        const omop = cli(env, ['export', 'omop', '--deidentify', '--out', join(out, 'omop')]);
        assert.equal(omop.status, 0, omop.stderr);
        assert.ok(readdirSync(join(out, 'omop')).includes('person.csv'));
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test(`${target.name}: a file with any bad entry is rejected whole, reported row by row, and leaves the registry unchanged`, { timeout: 300_000 }, async () => {
    const dir = tmp('stratum-bad-');
    try {
      const params = synthParameters({ patients: 6, sites: 1, seed: 3 });
      const records = [...generateRegistry(params)].map((p) => p.record);
      const good = recordsToFhirBundle(records.slice(0, 3)) as unknown as { entry: { resource: Record<string, unknown> }[] };
      const goodFile = join(dir, 'good.json');
      writeFileSync(goodFile, JSON.stringify(good));
      const mutate = (name: string, change: (b: { entry: { resource: Record<string, unknown> }[] }) => void): string => {
        const copy = JSON.parse(JSON.stringify(recordsToFhirBundle(records.slice(3)))) as { entry: { resource: Record<string, unknown> }[] };
        change(copy);
        const file = join(dir, name);
        writeFileSync(file, JSON.stringify(copy));
        return file;
      };
      const firstObservation = (b: { entry: { resource: Record<string, unknown> }[] }) => b.entry.find((e) => e.resource['resourceType'] === 'Observation' && (e.resource['valueQuantity'] as { unit?: string } | undefined)?.unit === 'mmol/L')!.resource;
      const bad: Record<string, string> = {
        truncated: (() => {
          const text = JSON.stringify(recordsToFhirBundle(records.slice(3)));
          const file = join(dir, 'truncated.json');
          writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
          return file;
        })(),
        latin1: (() => {
          const file = join(dir, 'latin1.json');
          writeFileSync(file, Buffer.concat([Buffer.from('{"resourceType":"Bundle","type":"collection","entry":[],"x":"'), Buffer.from([0xe9]), Buffer.from('"}')]));
          return file;
        })(),
        unknownType: mutate('unknown-type.json', (b) => b.entry.push({ resource: { resourceType: 'Claim', id: 'c1' } })),
        missingPatient: mutate('missing-patient.json', (b) => {
          firstObservation(b)['subject'] = { reference: 'Patient/does-not-exist' };
        }),
        duplicateId: mutate('duplicate-id.json', (b) => {
          const obs = b.entry.filter((e) => e.resource['resourceType'] === 'Observation');
          obs[1]!.resource['id'] = obs[0]!.resource['id'];
        }),
        badUnit: mutate('bad-unit.json', (b) => {
          const q = firstObservation(b)['valueQuantity'] as Record<string, unknown>;
          q['unit'] = 'furlong';
          q['code'] = 'furlong';
        }),
        futureDate: mutate('future-date.json', (b) => {
          firstObservation(b)['effectiveDateTime'] = '2999-01-01T00:00:00Z';
        }),
      };
      await withTarget(target, async (env, location) => {
        const ok = cli(env, ['import', 'fhir', goodFile]);
        assert.equal(ok.status, 0, ok.stdout + ok.stderr);
        const before = await tableCounts(location);
        for (const [name, file] of Object.entries(bad)) {
          const report = join(dir, `${name}.rejections.csv`);
          const res = cli(env, ['import', 'fhir', file, '--report', report]);
          assert.equal(res.status, 1, `${name}: exit 1 (${res.stdout}${res.stderr})`);
          assert.match(res.stdout + res.stderr, /not imported|nothing imported/, `${name}: says nothing was imported`);
          assert.deepEqual(await tableCounts(location), before, `${name}: registry unchanged`);
        }
        // The report names row, field, value and reason.
        const report = readFileSync(join(dir, 'badUnit.rejections.csv'), 'utf8');
        assert.match(report.split('\n')[0]!, /^file,row,field,value,reason/);
        assert.match(report, /furlong/);
        assert.match(readFileSync(join(dir, 'unknownType.rejections.csv'), 'utf8'), /Claim/);
        assert.match(readFileSync(join(dir, 'futureDate.rejections.csv'), 'utf8'), /2999/);

        // --partial imports the valid entries and records the rejected ones with the import.
        const partial = cli(env, ['import', 'fhir', bad['badUnit']!, '--partial', '--report', join(dir, 'partial.csv')]);
        assert.equal(partial.status, 0, partial.stdout + partial.stderr);
        assert.match(partial.stdout, /rejected and recorded/);
        const after = await tableCounts(location);
        assert.equal(after['episodes'], before['episodes']! + 3);
        assert.equal(after['observations'], before['observations']! + records.slice(3).reduce((n, r) => n + (r.episode.observations?.length ?? 0), 0) - 1, 'exactly the one bad observation left out');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${target.name}: an import killed midway leaves all of the file or none of it`, { timeout: 600_000 }, async () => {
    const dir = tmp('stratum-kill-');
    try {
      const params = synthParameters({ patients: 1500, sites: 1, seed: 11 });
      const records = [...generateRegistry(params)].map((p) => p.record);
      const file = join(dir, 'big.json');
      writeFileSync(file, JSON.stringify(recordsToFhirBundle(records)));
      await withTarget(target, async (env, location) => {
        const before = await tableCounts(location);
        // Kill the import while it writes: wait for its "save" progress line, then SIGKILL.
        const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'import', 'fhir', file], {
          env: { ...process.env, ...env, STRATUM_PROGRESS_LINES: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // Settles however the child ends, also when it ended before anyone waited (a child that fails at once).
        const closed = new Promise((r) => child.once('close', r));
        let stderr = '';
        const killed = await new Promise<boolean>((resolve) => {
          child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
            if (/save: /.test(stderr) && child.exitCode === null) {
              child.kill('SIGKILL');
              resolve(true);
            }
          });
          child.on('exit', () => resolve(false));
        });
        await closed;
        const after = await tableCounts(location);
        if (killed) assert.deepEqual(after, before, 'killed mid-save: nothing of the file is in the registry');
        else assert.equal(after['episodes'], before['episodes']! + records.length, 'finished before the kill: all of it');
        assert.ok(killed, `the import was killed while saving (stderr: ${stderr.slice(0, 300)})`);
        // The registry still opens and the file imports cleanly afterwards.
        const retry = cli(env, ['import', 'fhir', file]);
        assert.equal(retry.status, 0, retry.stdout + retry.stderr);
        assert.equal((await tableCounts(location))['episodes'], records.length);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const target of registryTargets()) {
  test(`${target.name}: REDCap and mapped CSV imports through the CLI; a mismatched REDCap export and broken CSV files change nothing`, { timeout: 300_000 }, async () => {
    const dir = tmp('stratum-formats-');
    try {
      // The fixture's 1-year follow-up (2027-02-10) lies after today's date; the CLI imports with the real clock,
      // so move it to a past date for this test.
      const fixtureText = readFileSync(join(repoRoot, 'src', 'registry', 'redcap', '__fixtures__', 'longitudinal-export.csv'), 'utf8').replace('2027-02-10', '2026-11-01');
      const redcapFixture = join(dir, 'redcap-export.csv');
      writeFileSync(redcapFixture, fixtureText);
      // An export that does not match its dictionary: one extra column.
      const lines = fixtureText.split('\n');
      const mismatched = join(dir, 'mismatched-redcap.csv');
      writeFileSync(mismatched, [lines[0] + ',not_in_dictionary', ...lines.slice(1).map((l) => (l === '' ? l : l + ',x'))].join('\n'));
      // A Stratum CSV set whose observations file is cut in the middle of a row, and one in Latin-1.
      const params = synthParameters({ patients: 4, sites: 1, seed: 5 });
      const records = [...generateRegistry(params)].map((p) => p.record);
      const tables = recordsToCsvTables(records);
      const truncatedDir = join(dir, 'truncated');
      const latinDir = join(dir, 'latin1');
      for (const d of [truncatedDir, latinDir]) {
        mkdirSync(d);
        for (const [name, text] of tables) writeFileSync(join(d, name), text);
      }
      const obs = tables.get('observations.csv')!;
      writeFileSync(join(truncatedDir, 'observations.csv'), obs.slice(0, Math.floor(obs.length * 0.6)));
      const episodesText = tables.get('episodes.csv')!;
      writeFileSync(join(latinDir, 'episodes.csv'), Buffer.concat([Buffer.from(episodesText), Buffer.from([0xe4, 0x0a])]));

      await withTarget(target, async (env, location) => {
        const redcap = cli(env, ['import', 'redcap', redcapFixture, '--site', 'site-rc']);
        assert.equal(redcap.status, 0, redcap.stdout + redcap.stderr);
        assert.match(redcap.stdout, /new episode/);
        const long = cli(env, ['import', 'csv', join(repoRoot, 'examples', 'mappings', 'long-observations.csv'), '--mapping', join(repoRoot, 'examples', 'mappings', 'long-observations.json'), '--site', 'site-long']);
        assert.equal(long.status, 0, long.stdout + long.stderr);
        const wide = cli(env, ['import', 'csv', join(repoRoot, 'examples', 'mappings', 'wide-patients.csv'), '--mapping', join(repoRoot, 'examples', 'mappings', 'wide-patients.json'), '--site', 'site-wide']);
        assert.equal(wide.status, 0, wide.stdout + wide.stderr);
        const before = await tableCounts(location);
        assert.ok(before['episodes']! >= 3);

        const bad = cli(env, ['import', 'redcap', mismatched, '--site', 'site-rc2']);
        assert.equal(bad.status, 1, bad.stdout + bad.stderr);
        assert.match(bad.stdout + bad.stderr, /not_in_dictionary/);
        const truncated = cli(env, ['import', 'csv', truncatedDir, '--report', join(dir, 'trunc.csv')]);
        assert.equal(truncated.status, 1, truncated.stdout + truncated.stderr);
        const latin = cli(env, ['import', 'csv', latinDir]);
        assert.equal(latin.status, 1, latin.stdout + latin.stderr);
        assert.match(latin.stdout + latin.stderr, /UTF-8/i);
        assert.deepEqual(await tableCounts(location), before, 'bad files leave the registry unchanged');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
