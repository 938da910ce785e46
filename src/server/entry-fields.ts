// Entry problems in the request's terms: parseEpisode checks the merged episode and names paths in it
// ('observations[12].value'); these maps turn them into the request's fields ('observations[0].value').
import type { InputProblem, InputWarning } from '../clinical/episode/episode.js';
import type { EpisodeInput } from '../clinical/episode/episode-schema.js';
import { ProblemError } from './problem.js';

/** An entry applied to the stored episode input: the merged input, and where its records came from in the request. */
export interface Entry {
  readonly input: EpisodeInput;
  readonly fields: FieldMap;
}

/** Observations entered into an episode: appended to its stored ones (parseEpisode orders them by time). */
export function observationsEntry(current: EpisodeInput, observations: readonly Record<string, unknown>[]): Entry {
  const stored = current.observations ?? [];
  return {
    input: { ...current, observations: [...stored, ...observations] as EpisodeInput['observations'] },
    fields: appended('observations', stored.length, 'observations'),
  };
}

/** Maps a problem path of the merged episode (e.g. 'observations[12].value') to the request's field, if it is one. */
export type FieldMap = (path: string) => string | undefined;

/** Appended records of `section` (from index `base`) are the request's `field[k]`. */
export function appended(section: string, base: number, field: string, single = false): FieldMap {
  const re = new RegExp(`^${section}\\[(\\d+)\\](.*)$`);
  return (path) => {
    const m = re.exec(path);
    if (!m || Number(m[1]) < base) return undefined;
    return single ? `${field}${m[2]}` : `${field}[${Number(m[1]) - base}]${m[2]}`;
  };
}

/** A changed record `section[index]`: its fields map through `fields` (e.g. end -> at). */
export function changed(section: string, index: number, fields: Readonly<Record<string, string>>, whole: string): FieldMap {
  const prefix = `${section}[${index}]`;
  return (path) => {
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(prefix.length).replace(/^\./, '');
    const key = rest.split(/[.[]/)[0] ?? '';
    return fields[key] ?? whole;
  };
}

export function anyOf(...maps: FieldMap[]): FieldMap {
  return (path) => {
    for (const m of maps) {
      const f = m(path);
      if (f !== undefined) return f;
    }
    return undefined;
  };
}

/** parseEpisode's problems as a 400 problem naming the request's fields (its own messages, paths rewritten). */
export function entryProblem(problems: readonly InputProblem[], map: FieldMap): ProblemError {
  const errors = problems.map((pr) => {
    const field = map(pr.path) ?? `episode.${pr.path}`;
    const detail = pr.message.startsWith(pr.path) ? `${field}${pr.message.slice(pr.path.length)}` : pr.message;
    return { field, detail };
  });
  return new ProblemError(400, 'Invalid entry', errors.map((e) => e.detail).join('; '), errors[0]?.field, errors);
}

/** Warnings about the entered records only, in the request's field names (stored records were seen when entered). */
export function entryWarnings(warnings: readonly InputWarning[], map: FieldMap): InputWarning[] {
  return warnings.flatMap((w) => {
    const field = map(w.path);
    return field === undefined ? [] : [{ ...w, path: field, message: w.message.startsWith(w.path) ? `${field}${w.message.slice(w.path.length)}` : w.message }];
  });
}

/** An entry may be timed up to this far ahead of the server's clock [D: bedside device clocks drift by minutes]. */
export const ENTRY_CLOCK_SKEW_MIN = 5;

/** The keys of an entry's records that hold the time something happened (episode format: observation, event, infusion, device, setting). */
const TIME_KEYS = new Set(['time', 'start', 'end', 'at', 'insertion', 'removal']);

/**
 * A 400 problem naming every time in the entry later than now + ENTRY_CLOCK_SKEW_MIN (a result or an event cannot
 * be recorded before it happens; a wrong date is the usual cause), or null. Walks the request body.
 */
export function futureTimeProblem(body: unknown, now: Date): ProblemError | null {
  const limit = now.getTime() + ENTRY_CLOCK_SKEW_MIN * 60_000;
  const errors: { field: string; detail: string }[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const field = path === '' ? k : `${path}.${k}`;
        if (TIME_KEYS.has(k) && typeof v === 'string' && Date.parse(v) > limit) {
          errors.push({ field, detail: `${field}: ${v} is in the future (the server's time is ${now.toISOString()}); expected a time that has passed` });
        } else walk(v, field);
      }
    }
  };
  walk(body, '');
  return errors.length === 0 ? null : new ProblemError(400, 'Invalid entry', errors.map((e) => e.detail).join('; '), errors[0]!.field, errors);
}
