#!/usr/bin/env node
// The `stratum` command: dispatches to one command module and turns known errors into one clear line
// on stderr with a non-zero exit code.
import { DataError } from '../data/data-error.js';
import { StatsError } from '../stats/stats-error.js';
import { clinicalUsage, runClinicalCommand } from './clinical-command.js';
import { EpisodeInputError } from './episode-input-error.js';
import { runStatsCommand, statsUsage } from './stats-command.js';
import { UsageError } from './usage-error.js';
import { importUsage, runImportCommand } from './import-command.js';
import { exportUsage, runExportCommand } from './export-command.js';
import { datasetUsage, runDatasetCommand } from './dataset-command.js';
import { auditUsage, runAuditCommand } from './audit-command.js';
import { runSynthCommand, synthUsage } from './synth-command.js';
import { runStudyCommand, studyUsage } from './study-command.js';
import { demoUsage, runDemoCommand } from './demo-command.js';
import { runServeCommand, serveUsage } from './serve-command.js';
import { StudySpecError } from '../study/load-study-spec.js';
import { ImportFileError } from '../registry/record.js';
import { OmopExportError } from '../registry/omop/records-to-omop.js';

const usage = [
  'usage: stratum <command> ...',
  '',
  'commands:',
  '  stats     survival, regression, matching and weighting on a CSV (stratum stats --help)',
  '  clinical  clinical rules on one episode: SCAI stage, organ function, bleeding, ... (stratum clinical --help)',
  '  synth     write a synthetic multi-site CS-MCS registry with known ground truth (FHIR R4, CSV)',
  '  import    read FHIR R4, CSV or REDCap files into the registry (stratum import --help)',
  '  export    write the registry as CSV, FHIR R4 or OMOP CDM v5.4, optionally de-identified',
  '  dataset   write the one-row-per-patient analysis table a study reads',
  '  audit     verify the audit trail\'s hash chain (audit verify [--deep]) or show it (audit log)',
  '  study     run a comparative study from a spec (study run SPEC.yaml --out DIR): results, report, tables',
  '  demo      synthetic registry -> import -> the bundled pump-vs-IABP study -> report, with the ground truth',
  '  serve     the HTTP API and web app on the registry (serve [--port P] [--demo]; stratum serve --help)',
  '',
  'The registry is an embedded PostgreSQL in $STRATUM_DATA_DIR (default ~/.local/share/stratum), or the PostgreSQL',
  'server at $STRATUM_DATABASE_URL when set.',
].join('\n');

const usages: Readonly<Record<string, () => string>> = {
  stats: statsUsage,
  clinical: clinicalUsage,
  import: importUsage,
  export: exportUsage,
  dataset: datasetUsage,
  audit: auditUsage,
  synth: synthUsage,
  study: studyUsage,
  demo: demoUsage,
  serve: serveUsage,
};

function print(out: { stdout: string; exitCode: number }): number {
  if (out.stdout !== '') process.stdout.write(out.stdout + '\n');
  return out.exitCode;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'stats':
        process.stdout.write(runStatsCommand(rest) + '\n');
        return 0;
      case 'clinical':
        process.stdout.write(runClinicalCommand(rest) + '\n');
        return 0;
      case 'import':
        return print(await runImportCommand(rest));
      case 'export':
        return print({ stdout: await runExportCommand(rest), exitCode: 0 });
      case 'dataset':
        return print(await runDatasetCommand(rest));
      case 'audit':
        return print(await runAuditCommand(rest));
      case 'synth':
        return print({ stdout: await runSynthCommand(rest), exitCode: 0 });
      case 'study':
        return print(await runStudyCommand(rest));
      case 'demo':
        return print(await runDemoCommand(rest));
      case 'serve':
        return print(await runServeCommand(rest));
      case undefined:
      case '--help':
      case '-h':
        process.stdout.write(usage + '\n');
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'\n${usage}`);
    }
  } catch (caught) {
    // node:util parseArgs reports unknown or malformed flags as TypeErrors with an ERR_PARSE_ARGS_* code.
    const code = (caught as { code?: unknown } | null)?.code;
    const error = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? new UsageError((caught as Error).message) : caught;
    if (error instanceof UsageError) {
      const usageOf = command === undefined ? undefined : usages[command];
      const hint = usageOf ? usageOf() + '\n' : '';
      process.stderr.write(`stratum: ${error.message}\n${hint}`);
      return 2;
    }
    if (
      error instanceof DataError ||
      error instanceof StatsError ||
      error instanceof EpisodeInputError ||
      error instanceof ImportFileError ||
      error instanceof OmopExportError ||
      error instanceof StudySpecError
    ) {
      process.stderr.write(`stratum: error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Unexpected: print the message (the stack only with STRATUM_DEBUG) and fail.
    const message = error instanceof Error ? (process.env['STRATUM_DEBUG'] ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`stratum: internal error: ${message}\n`);
    process.exitCode = 70;
  },
);
