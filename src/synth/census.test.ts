// The active census: every census record parses, nothing in it happens after `now`, no discharge, death or device
// removal after `now`, the board counts every patient as active, and the census is seeded and spread over the sites.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEpisode } from '../clinical/episode/episode.js';
import { isActive } from '../server/patient-board.js';
import { activeCensus, CENSUS_HOURS_ON_SUPPORT, demoCensus } from './census.js';
import { generateRegistry } from './generate-registry.js';
import type { SyntheticPatient } from './patient-truth.js';
import { synthParameters } from './synth-parameters.js';

const NOW = new Date('2031-03-04T10:17:00Z');
const params = synthParameters({ patients: 80, sites: 4, seed: 7 });
const patients: SyntheticPatient[] = [...generateRegistry(params)];

/** Every ISO time in a JSON value. */
function timesIn(value: unknown): string[] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(timesIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(timesIn);
  return [];
}

test('activeCensus: every record parses, holds nothing after now and is active on the board', () => {
  const census = activeCensus(patients, NOW, { seed: 1 });
  const withDevice = patients.filter((p) => (p.record.episode.devices ?? []).length > 0).length;
  assert.ok(census.length >= withDevice * 0.9 && census.length <= withDevice, `${census.length} of ${withDevice} patients with a device`);
  // The input must have had things to cut, or this test proves nothing.
  assert.ok(patients.some((p) => p.record.episode.times?.discharge !== undefined));
  for (const record of census) {
    const where = `${record.site}/${record.episode.id}`;
    const parsed = parseEpisode(record.episode);
    assert.ok(parsed.ok, `${where}: ${parsed.ok ? '' : parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const late = timesIn(record.episode).filter((t) => Date.parse(t) > NOW.getTime());
    assert.deepEqual(late, [], `${where}: nothing after now`);
    assert.equal(record.episode.times?.discharge, undefined, `${where}: no discharge`);
    assert.ok(!(record.episode.events ?? []).some((e) => e.kind === 'death'), `${where}: no death`);
    assert.ok((record.episode.devices ?? []).some((d) => d.removal === undefined), `${where}: a device in place`);
    assert.deepEqual(record.episode.followUp, {}, `${where}: no follow-up`);
    assert.equal(isActive(parsed.episode), true, `${where}: active on the board`);
    const t0 = Math.min(...(record.episode.devices ?? []).map((d) => Date.parse(d.insertion)));
    const hours = (NOW.getTime() - t0) / 3_600_000;
    assert.ok(hours > 0 && hours <= CENSUS_HOURS_ON_SUPPORT.max + 12, `${where}: ${hours.toFixed(1)} h on support`);
    assert.ok((record.episode.observations ?? []).length > 0, `${where}: keeps the charting up to now`);
  }
});

test('activeCensus is seeded and keeps the source identity apart from the source registry only by time', () => {
  const a = activeCensus(patients.slice(0, 10), NOW, { seed: 3 });
  assert.deepEqual(activeCensus(patients.slice(0, 10), NOW, { seed: 3 }), a);
  assert.notDeepEqual(activeCensus(patients.slice(0, 10), NOW, { seed: 4 }), a);
  const first = a[0]!;
  const source = patients.find((p) => p.record.episode.id === first.episode.id)!;
  assert.equal(first.patient.sourceId, source.record.patient.sourceId);
  assert.notEqual(first.episode.anchor.time, source.record.episode.anchor.time);
});

test('demoCensus: seeded patients at every site, ids after the registry', () => {
  const census = demoCensus(params, NOW, 2);
  assert.equal(census.length, 8);
  const perSite = new Map<string, number>();
  for (const r of census) perSite.set(r.site, (perSite.get(r.site) ?? 0) + 1);
  assert.deepEqual([...perSite.values()], [2, 2, 2, 2]);
  const registryIds = new Set(patients.map((p) => p.record.episode.id));
  assert.ok(census.every((r) => !registryIds.has(r.episode.id)), 'no id of the registry itself');
  assert.deepEqual(demoCensus(params, NOW, 2), census);
});
