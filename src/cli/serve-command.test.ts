// `stratum serve`: refuses plain HTTP on a non-loopback address, really listens on 127.0.0.1, creates the first
// admin once (its password works), and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
});
