// A private PostgreSQL server for fault tests that stop and restart the database: initdb into a temporary folder
// (trust authentication, loopback only, the socket in that folder), pg_ctl start/restart/stop. The binaries come from
// /usr/lib/postgresql/<version>/bin (Debian's postgresql package). initdb refuses to run as root, so as root the
// commands run as the `postgres` OS user (runuser). Without the binaries the caller skips, unless CI=true.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  /** pg_ctl restart -m fast (resolves when the server accepts connections again). Asynchronous, so a server in
   *  this process keeps answering meanwhile. */
  restart(): Promise<void>;
  /** pg_ctl stop -m fast / pg_ctl start, for a longer outage. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  dispose(): void;
}

/** The bin folder of the newest installed PostgreSQL with initdb and pg_ctl, or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

/** Why a private server cannot run here (to skip with), or null. Throws under CI=true, where it must run. */
export function privatePostgresUnavailable(): string | null {
  let reason: string | null = null;
  if (postgresBinDir() === null) reason = 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (install postgresql)';
  else if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) reason = 'running as root without a postgres OS user for initdb';
  if (reason !== null && process.env['CI'] === 'true') throw new Error(`CI=true but a private PostgreSQL cannot run: ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a fresh private server on a free loopback port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error('no PostgreSQL binaries');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'stratum-pg-'));
  chmodSync(dir, 0o700);
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const runSync = (tool: string, args: string[]): void => {
    const [cmd, argv] = command(tool, args);
    const res = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${res.status}): ${res.stdout}${res.stderr}`);
  };
  const run = async (tool: string, args: string[]): Promise<void> => {
    const [cmd, argv] = command(tool, args);
    await execFileAsync(cmd, argv, { timeout: 60_000 });
  };
  const log = join(dir, 'server.log');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const ctlArgs = (action: string, extra: string[] = []): string[] => [action, '-D', data, '-w', '-t', '60', '-l', log, '-o', options, ...extra];
  runSync('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N']);
  runSync('pg_ctl', ctlArgs('start'));
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: () => run('pg_ctl', ctlArgs('restart', ['-m', 'fast'])),
    stop: async () => {
      await run('pg_ctl', ['stop', '-D', data, '-w', '-m', 'fast']);
      running = false;
    },
    start: async () => {
      await run('pg_ctl', ctlArgs('start'));
      running = true;
    },
    dispose: () => {
      try {
        if (running) runSync('pg_ctl', ['stop', '-D', data, '-w', '-m', 'immediate']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
