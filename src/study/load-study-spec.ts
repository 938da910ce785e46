// Reading a study specification (docs/study-spec.md) from YAML or JSON text and validating it against the zod
// schema of src/study/study-spec.ts. Every problem is collected, not only the first, each as "path: message" with
// the path written as it reads in the file (outcomes[1].horizon_d), so a user can fix a spec in one pass.
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { studySpecSchema, type StudySpec } from './study-spec.js';

/** A spec that cannot be read or does not validate; `problems` lists every problem found. */
export class StudySpecError extends Error {
  readonly file: string;
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    const head = `study spec '${file}' has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was run:`;
    super([head, ...problems.map((p) => `  ${p}`)].join('\n'));
    this.name = 'StudySpecError';
    this.file = file;
    this.problems = problems;
  }
}

/** outcomes[1].horizon_d for the path ['outcomes', 1, 'horizon_d']; '(spec)' for the document itself. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(spec)' : out;
}

function issueText(issue: z.core.$ZodIssue): string {
  return `${pathText(issue.path)}: ${issue.message}`;
}

function parseText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new StudySpecError(file, [`(file): not valid JSON: ${(error as Error).message}`]);
    }
  }
  if (ext === '.yaml' || ext === '.yml') {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new StudySpecError(
        file,
        doc.errors.map((e) => {
          const at = e.linePos?.[0];
          // prettyErrors adds " at line L, column C:" and a code excerpt to the message; the position goes first instead.
          const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
          return `${at ? `line ${at.line}, column ${at.col}` : '(file)'}: ${message}`;
        }),
      );
    }
    return doc.toJS();
  }
  throw new StudySpecError(file, [`(file): unknown extension '${ext}'; expected .yaml, .yml or .json`]);
}

/**
 * Parses and validates a spec. YAML or JSON is chosen by the file's extension (.yaml/.yml/.json); `file` is used
 * for that and for messages only. Defaults of the schema are filled in. The CSV source path is left as written
 * (relative to the spec file), so the spec and its hash do not depend on where the spec lies; loadStudySpec
 * resolves it.
 */
export function parseStudySpec(text: string, file: string): StudySpec {
  const raw = parseText(text, file);
  if (raw === null || raw === undefined) throw new StudySpecError(file, ['(spec): the file is empty; expected a study specification (docs/study-spec.md)']);
  const parsed = studySpecSchema.safeParse(raw);
  if (!parsed.success) throw new StudySpecError(file, parsed.error.issues.map(issueText));
  return parsed.data;
}

/** Reads a spec file; `csvPath` is the CSV source resolved against the spec's folder, or null for a registry source. */
export function loadStudySpec(file: string): { spec: StudySpec; csvPath: string | null } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StudySpecError(file, [`(file): cannot read the spec (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')})`]);
  }
  const spec = parseStudySpec(text.replace(/^\uFEFF/, ''), file);
  const csvPath = 'csv' in spec.source ? resolve(dirname(resolve(file)), spec.source.csv) : null;
  return { spec, csvPath };
}
