// Runs the stratum CLI in a child process, from dist/ when the tests are compiled, else from src/ via tsx.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './paths.js';

const compiled = fileURLToPath(import.meta.url).includes(`${'/'}dist${'/'}`);

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const nodeArgs = compiled ? [join(repoRoot, 'dist', 'src', 'cli', 'main.js')] : ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')];
  const result = spawnSync(process.execPath, [...nodeArgs, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    input: options.input,
    env: { ...process.env, ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
