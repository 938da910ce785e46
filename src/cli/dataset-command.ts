// `stratum dataset --out FILE [--site S]`: the one-row-per-patient analysis table a study reads (docs/dataset.md),
// built by the clinical engine from every current episode, de-identified (pseudonyms, day offsets from time zero).
// Episodes the engine cannot read are listed, never dropped silently.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analysisTableCsv } from '../registry/dataset/index.js';
import { terminalProgress } from './progress.js';
import { actorName, withRegistry } from './registry-options.js';
import { readRegistryAnalysisRows } from './registry-analysis-rows.js';
import { auditRead } from './registry-read.js';
import { UsageError } from './usage-error.js';

export function datasetUsage(): string {
  return 'usage: stratum dataset --out FILE.csv [--site S[,S...]] [--actor NAME]';
}

export async function runDatasetCommand(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      site: { type: 'string' },
      actor: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return { stdout: datasetUsage(), exitCode: 0 };
  if (!values.out) throw new UsageError('dataset: --out FILE is required');
  const out = values.out;
  const sites = values.site?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const actor = actorName(values.actor);
  return withRegistry(async (registry) => {
    const { rows, records, problems } = await readRegistryAnalysisRows(registry, sites, terminalProgress());
    writeFileSync(out, analysisTableCsv(rows));
    await auditRead(registry, actor, 'dataset', { records, rows: rows.length, sites: sites ?? 'all', out });
    const lines = [`wrote ${rows.length} row(s) to ${out} (one per patient episode; de-identified)`];
    if (problems.length > 0) {
      lines.push(`${problems.length} episode(s) could not be assessed and are not in the table:`, ...problems.slice(0, 20).map((p) => `  ${p}`));
    }
    return { stdout: lines.join('\n'), exitCode: problems.length > 0 ? 1 : 0 };
  });
}
