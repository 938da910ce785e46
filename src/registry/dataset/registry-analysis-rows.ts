// The analysis rows of the registry (docs/dataset.md): every current record, de-identified, parsed by the clinical
// engine and turned into one row. Shared by `stratum dataset` (writes them), `stratum study run` / `stratum demo` and
// the server's study workspace (run a study on them), so all see the same table. Records the engine cannot read are
// returned as problems, never dropped silently.
import { parseEpisode } from '../../clinical/episode/episode.js';
import { loadRecords } from '../db/episode-store.js';
import type { Registry } from '../db/registry-connection.js';
import { deidentifyRecords } from '../deidentify.js';
import type { RegistryRecord } from '../record.js';
import { analysisRow } from './analysis-row.js';
import type { AnalysisRow } from './analysis-columns.js';

/** Progress of the read (a terminal line in the CLI, run steps in the server); src/cli/progress.ts satisfies it. */
export interface RowsProgress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export interface RegistryAnalysisRows {
  readonly rows: AnalysisRow[];
  /** Records read (rows + problems). */
  readonly records: number;
  /** One line per record that could not be assessed: "site/episode: first problem". */
  readonly problems: string[];
}

/** Every current record of the registry (optionally of some sites), with progress; the one reader export and analysis share. */
export async function readAllRecords(registry: Registry, sites: readonly string[] | undefined, progress: RowsProgress): Promise<RegistryRecord[]> {
  const total = await registry.db.selectFrom('episodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const out: RegistryRecord[] = [];
  for await (const page of loadRecords(registry.db, sites && sites.length > 0 ? { sites } : {})) {
    out.push(...page);
    progress.update('reading registry', out.length, Number(total.n));
  }
  progress.done();
  return out;
}

export async function readRegistryAnalysisRows(registry: Registry, sites: readonly string[] | undefined, progress: RowsProgress): Promise<RegistryAnalysisRows> {
  return analysisRowsOf(await readAllRecords(registry, sites, progress), progress);
}

/**
 * The analysis rows of records already read (identified, as the registry holds them): de-identified, parsed, one row
 * each. Separate from the read so the server's study worker can do this CPU-bound part off the event loop.
 */
export function analysisRowsOf(identified: readonly RegistryRecord[], progress: RowsProgress): RegistryAnalysisRows {
  const records = deidentifyRecords(identified);
  const rows: AnalysisRow[] = [];
  const problems: string[] = [];
  records.forEach((record, i) => {
    const parsed = parseEpisode(record.episode);
    if (!parsed.ok) {
      problems.push(`${record.site}/${record.episode.id}: ${parsed.problems[0]?.message ?? 'does not parse'}`);
      return;
    }
    rows.push(analysisRow(record, parsed.episode));
    progress.update('building analysis rows', i + 1, records.length);
  });
  progress.done();
  return { rows, records: records.length, problems };
}
