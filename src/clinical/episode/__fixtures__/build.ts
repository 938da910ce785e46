// Test helper: build a parsed Episode from a small input, failing loudly on problems.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../../test/support/paths.js';
import { parseEpisode, type Episode } from '../episode.js';

export const ANCHOR = '2026-01-01T00:00:00Z';

/** ISO time `min` minutes after the test anchor. */
export function at(min: number): string {
  return new Date(Date.parse(ANCHOR) + min * 60000).toISOString();
}

/** A value observation `min` minutes after the anchor, in the code's canonical unit unless `unit` is given. */
export function ob(code: string, value: number, min = 0, extra: Record<string, unknown> = {}) {
  return { time: at(min), code, value, ...extra };
}

export function episodeOf(extra: Record<string, unknown> = {}): Episode {
  const r = parseEpisode({
    id: 'test',
    anchor: { kind: 'admission', time: ANCHOR },
    demographics: { weight: 80, height: 180 },
    ...extra,
  });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.episode;
}

/** Absolute path of a repository file (works from src/ under tsx and from dist/ when compiled). */
export function repoFile(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

/** The full documented example episode (docs/episode-format.md), as raw JSON. */
export function fullExampleRaw(): unknown {
  return JSON.parse(readFileSync(repoFile('src', 'clinical', 'episode', '__fixtures__', 'full-episode.json'), 'utf8'));
}
