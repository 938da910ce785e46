#!/usr/bin/env node
// The `stratum` command: dispatches to one command module and turns known errors into one clear line
// on stderr with a non-zero exit code.
import { DataError } from '../data/data-error.js';
import { StatsError } from '../stats/stats-error.js';
import { clinicalUsage, runClinicalCommand } from './clinical-command.js';
import { EpisodeInputError } from './episode-input-error.js';
import { runStatsCommand, statsUsage } from './stats-command.js';
import { UsageError } from './usage-error.js';

const usage = [
  'usage: stratum <command> ...',
  '',
  'commands:',
  '  stats     survival, regression, matching and weighting on a CSV (stratum stats --help)',
  '  clinical  clinical rules on one episode: SCAI stage, organ function, bleeding, ... (stratum clinical --help)',
].join('\n');

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'stats':
        process.stdout.write(runStatsCommand(rest) + '\n');
        return 0;
      case 'clinical':
        process.stdout.write(runClinicalCommand(rest) + '\n');
        return 0;
      case undefined:
      case '--help':
      case '-h':
        process.stdout.write(usage + '\n');
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'\n${usage}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = command === 'stats' ? statsUsage() + '\n' : command === 'clinical' ? clinicalUsage() + '\n' : '';
      process.stderr.write(`stratum: ${error.message}\n${hint}`);
      return 2;
    }
    if (error instanceof DataError || error instanceof StatsError || error instanceof EpisodeInputError) {
      process.stderr.write(`stratum: error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
