import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSafeListen, isLoopbackHost, ServeConfigError, serveConfig } from './serve-config.js';
import { DEFAULT_SERVER_CONFIG } from './server-context.js';

describe('serveConfig', () => {
  it('gives the defaults with no flags and no environment', () => {
    assert.deepEqual(serveConfig({}, {}), DEFAULT_SERVER_CONFIG);
  });

  it('reads flags over the environment, and the STRATUM_ variables', () => {
    const c = serveConfig(
      { port: '9000', host: 'localhost' },
      { STRATUM_PORT: '7000', STRATUM_HOST: '10.0.0.1', STRATUM_SESSION_TTL_MIN: '5', STRATUM_MAX_FAILED_LOGINS: '3', STRATUM_LOCKOUT_MIN: '60', STRATUM_WEB_ROOT: '/srv/web' },
    );
    assert.equal(c.port, 9000);
    assert.equal(c.host, 'localhost');
    assert.equal(c.sessionTtl_min, 5);
    assert.equal(c.maxFailedLogins, 3);
    assert.equal(c.lockout_min, 60);
    assert.equal(c.webRoot, '/srv/web');
    assert.equal(serveConfig({}, { STRATUM_PORT: '7000' }).port, 7000);
    assert.equal(serveConfig({ port: '0' }, {}).port, 0);
    assert.equal(serveConfig({}, {}, '/pkg/web/dist').webRoot, '/pkg/web/dist');
  });

  it('names the flag or variable at fault', () => {
    assert.throws(() => serveConfig({ port: '80x' }, {}), (e: unknown) => e instanceof ServeConfigError && e.setting === '--port' && /--port must be an integer/.test(e.message));
    assert.throws(() => serveConfig({ port: '70000' }, {}), /--port must be an integer from 0 to 65535, got '70000'/);
    assert.throws(() => serveConfig({}, { STRATUM_PORT: '-1' }), /STRATUM_PORT must be an integer/);
    assert.throws(() => serveConfig({}, { STRATUM_SESSION_TTL_MIN: '0' }), /STRATUM_SESSION_TTL_MIN must be an integer from 1/);
    assert.throws(() => serveConfig({ 'tls-cert': 'c.pem' }, {}), (e: unknown) => e instanceof ServeConfigError && e.setting === '--tls-key');
    assert.throws(() => serveConfig({}, { STRATUM_SECURE_COOKIES: 'maybe' }), /STRATUM_SECURE_COOKIES must be 1 or 0/);
  });

  it('marks cookies Secure with TLS or behind a TLS proxy, unless told otherwise', () => {
    assert.equal(serveConfig({}, {}).secureCookies, false);
    const tls = serveConfig({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem' }, {});
    assert.deepEqual(tls.tls, { certFile: 'c.pem', keyFile: 'k.pem' });
    assert.equal(tls.secureCookies, true);
    assert.equal(serveConfig({ 'allow-insecure-remote': true }, {}).secureCookies, true);
    assert.equal(serveConfig({ 'allow-insecure-remote': true }, { STRATUM_SECURE_COOKIES: '0' }).secureCookies, false);
    assert.equal(serveConfig({}, { STRATUM_SECURE_COOKIES: '1' }).secureCookies, true);
  });
});

describe('assertSafeListen', () => {
  it('knows the loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.20', 'example.org', '128.0.0.1', 'localhost.evil.org']) assert.equal(isLoopbackHost(h), false, h);
  });

  it('allows loopback, and a remote address only with TLS or --allow-insecure-remote', () => {
    assert.doesNotThrow(() => assertSafeListen(serveConfig({}, {})));
    assert.doesNotThrow(() => assertSafeListen(serveConfig({ host: '::1' }, {})));
    assert.doesNotThrow(() => assertSafeListen(serveConfig({ host: '0.0.0.0', 'tls-cert': 'c.pem', 'tls-key': 'k.pem' }, {})));
    assert.doesNotThrow(() => assertSafeListen(serveConfig({ host: '0.0.0.0', 'allow-insecure-remote': true }, {})));
  });

  it('refuses plain HTTP on a non-loopback address, naming the flags that would allow it', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
      assert.throws(
        () => assertSafeListen(serveConfig({ host }, {})),
        (e: unknown) =>
          e instanceof ServeConfigError && e.setting === '--host' && e.message.includes(`--host ${host}`) && e.message.includes('--tls-cert') && e.message.includes('--allow-insecure-remote'),
      );
    }
    assert.throws(() => assertSafeListen(serveConfig({}, { STRATUM_HOST: '0.0.0.0' })), /not a loopback address/);
  });
});
