// An episode file that parseEpisode rejected: every problem (field path, value seen, what was expected) is carried
// and printed, one per line, so the user can fix them all at once (STYLE.md: errors are values, collected).
import type { InputProblem, InputWarning } from '../clinical/episode/episode.js';
import { show } from '../clinical/episode/problems.js';

/** One line per problem: `path: value -> expected`. */
export function problemLine(p: InputProblem): string {
  return `${p.path}: ${show(p.value)} -> ${p.expected}`;
}

export class EpisodeInputError extends Error {
  readonly file: string;
  readonly problems: readonly InputProblem[];
  readonly warnings: readonly InputWarning[];

  constructor(file: string, problems: readonly InputProblem[], warnings: readonly InputWarning[] = []) {
    const n = problems.length;
    const lines = [`episode file '${file}' has ${n} problem${n === 1 ? '' : 's'}; nothing was assessed:`, ...problems.map(problemLine)];
    if (warnings.length > 0) lines.push(`and ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (accepted values to review):`, ...warnings.map((w) => `warning ${problemLine(w)}`));
    super(lines.join('\n'));
    this.name = 'EpisodeInputError';
    this.file = file;
    this.problems = problems;
    this.warnings = warnings;
  }
}
