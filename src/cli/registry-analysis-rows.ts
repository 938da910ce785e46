// The analysis rows of the registry (docs/dataset.md): every current record, de-identified, parsed by the clinical
// engine and turned into one row. Shared by `stratum dataset` (writes them) and `stratum study run` / `stratum demo`
// (run a study on them), so both see the same table. Records the engine cannot read are returned as problems,
// never dropped silently.
import { parseEpisode } from '../clinical/episode/episode.js';
import { analysisRow, type AnalysisRow } from '../registry/dataset/index.js';
import type { Registry } from '../registry/db/registry-connection.js';
import { deidentifyRecords } from '../registry/deidentify.js';
import type { Progress } from './progress.js';
import { readAllRecords } from './registry-read.js';

export interface RegistryAnalysisRows {
  readonly rows: AnalysisRow[];
  /** Records read (rows + problems). */
  readonly records: number;
  /** One line per record that could not be assessed: "site/episode: first problem". */
  readonly problems: string[];
}

export async function readRegistryAnalysisRows(registry: Registry, sites: readonly string[] | undefined, progress: Progress): Promise<RegistryAnalysisRows> {
  const records = deidentifyRecords(await readAllRecords(registry, sites, progress));
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
