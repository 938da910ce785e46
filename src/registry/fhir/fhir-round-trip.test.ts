// Round trip: export -> FHIR Bundle -> import gives back every canonical field (docs/fhir.md: the mapping is
// lossless), for every example episode and for 200 generated records covering every section and optional field.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseEpisode, type Episode } from '../../clinical/episode/episode.js';
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import type { RegistryRecord } from '../record.js';
import { assertEpisodesEquivalent, assertIdentitiesEqual } from '../../../test/support/episode-equivalence.js';
import { examplePath } from '../../../test/support/paths.js';
import { registryRecordArbitrary } from '../../../test/support/record-arbitrary.js';
import { fhirBundleToRecords } from './fhir-to-records.js';
import { recordsToFhirBundle } from './record-to-fhir.js';

/** Later than every generated and example time. */
const NOW = new Date('2030-01-01T00:00:00Z');

function parsed(e: EpisodeInput, label: string): Episode {
  const r = parseEpisode(e);
  if (!r.ok) assert.fail(`${label}: parseEpisode rejected it: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.episode;
}

/** Exports `records` as one Bundle (through JSON text, as a file would carry it), imports it, checks every record. */
function roundTrip(records: readonly RegistryRecord[], type: 'collection' | 'transaction' = 'collection'): void {
  const text = JSON.stringify(recordsToFhirBundle(records, { type }));
  const result = fhirBundleToRecords(text, { file: 'round-trip.json', now: NOW });
  assert.deepEqual(result.rejections, [], 'no entry of our own export is rejected');
  assert.equal(result.records.length, records.length, 'one record per episode');
  records.forEach((original, i) => {
    const back = result.records[i];
    const label = `record ${i} (${original.episode.id})`;
    assert.equal(back.site, original.site, `${label}: site`);
    assertIdentitiesEqual(back.patient, original.patient, label);
    assertEpisodesEquivalent(parsed(original.episode, `${label} original`), parsed(back.episode, `${label} imported`), label);
  });
}

const exampleFiles = readdirSync(examplePath('episodes')).filter((f) => f.endsWith('.json'));

function exampleRecord(file: string, i: number): RegistryRecord {
  const episode = JSON.parse(readFileSync(examplePath('episodes', file), 'utf8')) as EpisodeInput;
  const site = episode.site ?? 'example';
  return {
    site,
    patient: { sourceId: `patient ${i}/${file}`, mrn: `MRN-${1000 + i}`, familyName: 'Synthetic', givenName: 'Pat Q', birthDate: '1961-05-17', postalCode: '02139' },
    episode: { ...episode, site },
  };
}

describe('FHIR round trip: example episodes', () => {
  it('has example episodes to check', () => assert.ok(exampleFiles.length >= 20, `${exampleFiles.length} examples`));
  exampleFiles.forEach((file, i) => {
    it(file, () => roundTrip([exampleRecord(file, i)]));
  });
  it('all examples in one transaction Bundle', () => roundTrip(exampleFiles.map(exampleRecord), 'transaction'));
});

describe('FHIR round trip: generated records', () => {
  it('200 generated records, each in its own Bundle, come back equivalent', () => {
    fc.assert(fc.property(registryRecordArbitrary(), (r) => roundTrip([r])), { numRuns: 200, seed: 20260410 });
  });

  it('many records in one Bundle keep their order, identities and episodes', () => {
    const records = fc.sample(registryRecordArbitrary(), { numRuns: 60, seed: 7 }).map((r, i) => ({
      ...r,
      // Unique per Bundle: two records with one (site, sourceId) are one patient, exported once.
      patient: { ...r.patient, sourceId: `${i}:${r.patient.sourceId}` },
    }));
    roundTrip(records);
  });

  it('two episodes of one patient share one Patient resource and both come back', () => {
    const [a, b] = fc.sample(registryRecordArbitrary(), { numRuns: 2, seed: 11 });
    const patient = { sourceId: 'same-patient', familyName: 'Twice' };
    const records: RegistryRecord[] = [
      { site: 'site-01', patient, episode: { ...a.episode, id: 'episode-a', site: 'site-01' } },
      { site: 'site-01', patient, episode: { ...b.episode, id: 'episode-b', site: 'site-01', demographics: { ...b.episode.demographics, sex: a.episode.demographics.sex } } },
    ];
    const bundle = recordsToFhirBundle(records);
    assert.equal(bundle.entry.filter((e) => e.resource.resourceType === 'Patient').length, 1);
    // Patient.deceasedDateTime is shared; a death in either episode stays with that episode only.
    roundTrip(records);
  });
});
