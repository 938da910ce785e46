// `stratum serve`: refuses plain HTTP on a non-loopback address, really listens on 127.0.0.1, creates the first
// admin once (its password works), and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../test/support/cli.js';
import { repoRoot } from '../../test/support/paths.js';
import { registryTargets } from '../../test/support/registry.js';
import { FIRST_ADMIN, startServer } from './serve-command.js';

describe('stratum serve', () => {
  it('refuses a non-loopback --host without TLS or --allow-insecure-remote, naming the flags', () => {
    const r = runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { env: { STRATUM_DATA_DIR: '/nonexistent/never-opened' } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--host 0\.0\.0\.0/);
    assert.match(r.stderr, /--tls-cert/);
    assert.match(r.stderr, /--allow-insecure-remote/);
    assert.doesNotMatch(r.stdout, /listening/);
    const half = runCli(['serve', '--tls-cert', 'cert.pem']);
    assert.equal(half.status, 2);
    assert.match(half.stderr, /--tls-key is missing/);
    const bad = runCli(['serve', '--port', 'eighty']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--port must be an integer/);
  });

  for (const target of registryTargets()) {
    it(`listens on 127.0.0.1, creates the first admin once, and its password logs in (${target.name} registry)`, async () => {
      const { env, dispose } = await target.fresh();
      try {
        const lines: string[] = [];
        const server = await startServer(['--port', '0'], env, (l) => lines.push(l), { logger: false });
        try {
          assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
          assert.ok(lines.includes(`Stratum listening on ${server.url}`), lines.join('\n'));
          assert.ok(server.adminPassword !== null && server.adminPassword.length >= 20);
          assert.ok(lines.some((l) => l.includes(server.adminPassword!)), 'the password is printed once');
          const health = await fetch(`${server.url}/health`);
          assert.equal(health.status, 200);
          assert.deepEqual(await health.json(), { status: 'ok' });
          const login = await fetch(`${server.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: FIRST_ADMIN, password: server.adminPassword }),
          });
          assert.equal(login.status, 200);
          assert.equal(((await login.json()) as { role: string }).role, 'admin');
        } finally {
          await server.stop();
        }
        const again: string[] = [];
        const second = await startServer(['--port', '0'], env, (l) => again.push(l), { logger: false });
        try {
          assert.equal(second.adminPassword, null, 'no second admin');
          assert.ok(!again.some((l) => l.includes('password')));
        } finally {
          await second.stop();
        }
      } finally {
        await dispose();
      }
    });
  }

  it('prints the URL, serves, and exits 0 on SIGTERM (the CLI process)', async () => {
    const [target] = registryTargets();
    const { env, dispose } = await target!.fresh();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'serve', '--port', '0'], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 60 s; stdout: ${out}; stderr: ${err}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Stratum listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${out} ${err}`)));
      });
      assert.equal((await fetch(`${url}/ready`)).status, 200);
      assert.match(out, /first admin account created: username admin, password \S{20,}/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, err);
      assert.match(out, /SIGTERM: stopping/);
      assert.match(out, /"msg":"incoming request"/, 'structured JSON logs');
      assert.doesNotMatch(out, /stratum_session=/, 'no session cookie in the logs');
    } finally {
      await dispose();
    }
  });

  it('the README main command: `stratum serve --demo` on a fresh embedded registry loads the demo, prints the URL and a first admin login, serves the web app, and the board shows patients on the unit', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratum-serve-demo-'));
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'serve', '--demo', '--port', '0'], {
      cwd: repoRoot,
      env: { ...process.env, STRATUM_DATA_DIR: dataDir, STRATUM_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const { url, password } = await new Promise<{ url: string; password: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL and login within 150 s; stdout: ${out}; stderr: ${err}`)), 150_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const u = /Stratum listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          const p = /first admin account created: username admin, password (\S+)/.exec(out);
          if (u && p) {
            clearTimeout(timer);
            resolve({ url: u[1]!, password: p[1]! });
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${out} ${err}`)));
      });
      assert.match(out, /--demo: saved \d+ synthetic episode\(s\)/);
      const index = await fetch(`${url}/`);
      assert.equal(index.status, 200);
      assert.match(await index.text(), /<div id="root"|<script type="module"/, 'the built web app is served at /');
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: FIRST_ADMIN, password }) });
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const board = await fetch(`${url}/api/patients?limit=100`, { headers: { cookie } });
      assert.equal(board.status, 200);
      const body = (await board.json()) as { items: unknown[]; total: number };
      assert.ok(body.total >= 12, `active patients on the board: ${body.total}`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
