// Small hand-built episodes for the analysis-row tests: times are given in hours from a fixed anchor, so each
// expected value can be worked out by hand from the clinical definitions.
import assert from 'node:assert/strict';
import type { EpisodeInput } from '../../../clinical/episode/episode-schema.js';
import { parseEpisode, type Episode } from '../../../clinical/episode/episode.js';
import type { RegistryRecord } from '../../record.js';

/** The anchor of every built episode (a local time with offset, as sites send them). */
export const ANCHOR = '2026-01-10T08:00:00+01:00';

/** ISO time `hours` after the anchor (negative = before). */
export function h(hours: number): string {
  return new Date(Date.parse(ANCHOR) + hours * 3_600_000).toISOString();
}

/** ISO time `days` after the anchor. */
export function d(days: number): string {
  return h(days * 24);
}

/** An episode input with the anchor and demographics filled in; `extra` adds or overrides sections. */
export function episodeInput(extra: Partial<EpisodeInput> = {}): EpisodeInput {
  return {
    id: 'ep-1',
    site: 'site-01',
    anchor: { kind: 'admission', time: ANCHOR },
    demographics: { age_years: 64, sex: 'female', weight: 80, height: 170 },
    ...extra,
  };
}

/** A registry record of an episode input, parsed; fails the test with every problem if it does not parse. */
export function built(input: EpisodeInput): { record: RegistryRecord; episode: Episode } {
  const r = parseEpisode(input);
  if (!r.ok) assert.fail(r.problems.map((p) => p.message).join('\n'));
  return { record: { site: input.site ?? 'site-01', patient: { sourceId: `pt-${input.id}` }, episode: input }, episode: r.episode };
}
