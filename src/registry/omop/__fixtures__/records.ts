// Synthetic registry records for the OMOP export tests: one hand-built worked case and every example episode.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { examplePath } from '../../../../test/support/paths.js';
import type { EpisodeInput } from '../../../clinical/episode/episode-schema.js';
import type { RegistryRecord } from '../../record.js';

/**
 * A female patient in AMI cardiogenic shock with an Impella CP, a lactate entered in mg/dL, an aPTT above the
 * assay's cap, a heparin infusion and a death. Times are at +02:00 and chosen so that the UTC date differs from
 * the local date for the anchor (01:30 local = 23:30 UTC the day before).
 */
export const WORKED_RECORD: RegistryRecord = {
  site: 'site-01',
  patient: { sourceId: 'p-001', birthDate: '1958-03-14', familyName: 'Synthetic' },
  episode: {
    id: 'ep-001',
    anchor: { kind: 'device_start', time: '2026-03-02T01:30:00+02:00' },
    times: { admission: '2026-03-01T22:00:00+02:00', shockOnset: '2026-03-01T23:00:00+02:00' },
    demographics: { age_years: 67, sex: 'female', weight: 70 },
    clinical: { etiology: 'AMI' },
    observations: [
      { time: '2026-03-02T01:00:00+02:00', code: 'lactate_mmol_L', value: 36, unit: 'mg/dL' },
      { time: '2026-03-02T07:00:00+02:00', code: 'aptt_s', value: 150, unit: 's', censored: 'gt' },
    ],
    infusions: [{ drug: 'ufh', start: '2026-03-02T02:00:00+02:00', end: '2026-03-03T02:00:00+02:00', rate: 12, rateUnit: '[IU]/kg/h' }],
    devices: [
      {
        kind: 'microaxial', id: 'cp-1', model: 'Impella CP', insertion: '2026-03-02T01:30:00+02:00', removal: '2026-03-05T10:00:00+02:00',
        accessSite: 'femoral', side: 'right',
      },
    ],
    events: [{ kind: 'death', time: '2026-03-06T03:15:00+02:00', cause: 'bleeding' }],
  },
};

/** Every episode in examples/episodes as a record of its own synthetic patient. */
export function exampleRecords(): { file: string; record: RegistryRecord }[] {
  const dir = examplePath('episodes');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      record: { site: 'site-ex', patient: { sourceId: file.replace(/\.json$/, '') }, episode: JSON.parse(readFileSync(join(dir, file), 'utf8')) as EpisodeInput },
    }));
}
