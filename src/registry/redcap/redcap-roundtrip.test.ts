// Round trip: canonical episodes (examples/episodes) -> REDCap export -> records, compared on every canonical field
// the shipped dictionary carries. What it does not carry is listed in NOT_CARRIED and in docs/redcap.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { examplePath } from '../../../test/support/paths.js';
import { parseEpisode, type Episode } from '../../clinical/episode/episode.js';
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import type { RegistryRecord } from '../record.js';
import { parseRedcapDictionary } from './redcap-dictionary.js';
import { redcapMappingSchema } from './redcap-mapping.js';
import { recordsToRedcapExport } from './redcap-export.js';
import { redcapExportToRecords } from './redcap-import.js';

const dictionary = parseRedcapDictionary(readFileSync(examplePath('redcap', 'stratum-cs-mcs-data-dictionary.csv'), 'utf8'), 'dict.csv');
const mapping = redcapMappingSchema.parse(JSON.parse(readFileSync(examplePath('redcap', 'stratum-cs-mcs-mapping.json'), 'utf8')));

/** Canonical fields the shipped REDCap dictionary does not carry (documented in docs/redcap.md). */
const NOT_CARRIED = new Set([
  'settings', // device settings over time (P-level, flow, IABP ratio, position checks)
  'censored', 'specimen', 'method', 'sampleId', // observation attributes
  'originalValue', 'originalUnit', 'originalRate', 'originalRateUnit', 'originalWeight', 'originalHeight', // converted on export
]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A parsed episode as comparable data: times as instants, uncarried fields dropped, events in time order. */
function comparable(episode: Episode): unknown {
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string' && ISO.test(value)) return Date.parse(value);
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k, v]) => !NOT_CARRIED.has(k) && !/^t_.*min$/.test(k) && v !== undefined).map(([k, v]) => [k, strip(v)]));
    }
    return value;
  };
  // Events keyed by time and kind; a transfusion's bleeding reference by the bleeding event's time.
  const events = episode.events.map((e) => ({ ...e, ...(e.kind === 'hemolysis' ? { actions: [...e.actions].sort() } : {}), ...('forBleedingEvent' in e && e.forBleedingEvent !== undefined ? { forBleedingEvent: episode.events[e.forBleedingEvent]?.time } : {}) }));
  const observations = [...episode.observations].sort((a, b) => a.t_min - b.t_min || a.code.localeCompare(b.code) || a.value - b.value);
  // Checkboxes are sets: REDCap keeps which boxes are ticked, not the order they were listed in.
  const devices = episode.devices.map((d) => ({ ...d, selectionReasons: [...d.selectionReasons].sort() }));
  return strip({
    ...episode,
    devices,
    observations: observations.map((o) => ({ ...o, note: undefined, periodMin: o.code === 'urine_output_mL_h' ? o.periodMin : undefined })),
    events: [...events].sort((a, b) => a.t_min - b.t_min || a.kind.localeCompare(b.kind)),
  });
}

function parsed(input: EpisodeInput): Episode {
  const result = parseEpisode(input);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.episode;
}

test('examples/episodes round-trip through a REDCap export without loss of any field the dictionary carries', () => {
  const files = readdirSync(examplePath('episodes')).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 20);
  const records: RegistryRecord[] = files.map((f) => {
    const episode = JSON.parse(readFileSync(examplePath('episodes', f), 'utf8')) as EpisodeInput;
    // A registry record writes its site to episode.site too (record.ts).
    return { site: 'example', patient: { sourceId: episode.id, mrn: `MRN-${episode.id}`, birthDate: '1960-01-31' }, episode: { ...episode, site: 'example' } };
  });
  const csv = recordsToRedcapExport(records, dictionary, mapping);
  const back = redcapExportToRecords(csv, dictionary, mapping, { file: 'roundtrip.csv', site: 'example', now: new Date('2030-01-01T00:00:00Z') });
  assert.deepEqual(back.rejections, []);
  assert.equal(back.records.length, records.length);
  for (const [i, original] of records.entries()) {
    const again = back.records[i];
    assert.equal(again.episode.id, original.episode.id);
    assert.deepEqual(again.patient, original.patient);
    assert.deepEqual(comparable(parsed(again.episode)), comparable(parsed(original.episode)), original.episode.id);
  }
});

test('the export is REDCap-shaped: record id first, event and repeat columns, checkbox columns, form status', () => {
  const episode = JSON.parse(readFileSync(examplePath('episodes', 'bleeding-access-site.json'), 'utf8')) as EpisodeInput;
  const csv = recordsToRedcapExport([{ site: 'x', patient: { sourceId: 'p1' }, episode }], dictionary, mapping);
  const [header, ...rows] = csv.trimEnd().split('\n');
  assert.match(header, /^record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,mrn,/);
  assert.ok(header.includes(',device_selection___lv_unloading,'));
  assert.ok(header.includes(',enrolment_complete,'));
  // Base row first, in the baseline event; a device instance carries its repeat columns.
  assert.match(rows[0], /^bleeding-access-site,baseline_arm_1,,,/);
  assert.ok(rows.some((r) => r.startsWith('bleeding-access-site,baseline_arm_1,device,1,')));
  // 08:00 at +01:00 is written in the site's clock (+01:00) without offset.
  assert.ok(rows.some((r) => r.includes(',2026-03-02 08:00,')));
});
