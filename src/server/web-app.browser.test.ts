// The web app in a real browser (headless Chromium through playwright-core) against a real server on 127.0.0.1 with a
// small synthetic registry: each role logs in and sees only its pages; a clinician walks the board to a patient,
// enters an anti-Xa/aPTT pair and sees it classified, logs a bleeding event and sees its BARC class; a researcher
// runs the bundled study and opens its report; an auditor pages the audit log. No request may leave 127.0.0.1 and the
// console must stay free of errors (a CSP violation logs one). Screenshots go to test-artifacts/web-*.png.
// Needs the built web app (npm run build, or npm run build:web): a missing web/dist/index.html fails with that message.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, DEFAULT_CHROMIUM_PATH } from '../report/report-pdf.js';
import { ARTIFACTS, browserSkip } from '../../test/support/report-browser.js';
import { ACCOUNTS, CLINICIAN_SITE, startWebServer, WEB_PASSWORD, type WebServer } from '../../test/support/web-server.js';
import type { Role } from './principal.js';

const NAV_LABELS = ['Patient board', 'Import', 'Studies', 'Audit log'] as const;
const EXPECTED_NAV: Readonly<Record<Role, readonly string[]>> = {
  admin: ['Patient board', 'Import', 'Studies', 'Audit log'],
  clinician: ['Patient board', 'Import'],
  researcher: ['Studies'],
  auditor: ['Audit log'],
};

describe('web app in a browser', { skip: browserSkip, timeout: 180_000 }, () => {
  let server: WebServer;
  let browser: Browser;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startWebServer();
    browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS] });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A fresh tablet-sized browser context, watched: every request and every console error is recorded. */
  async function open(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 } });
    const watch = (page: Page) => {
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // The app asks GET /api/auth/me before login; its 401 is expected (Chromium logs failed loads as errors).
        if (/status of 401/.test(m.text()) && m.location().url.endsWith('/api/auth/me')) return;
        consoleErrors.push(`${m.text()} (${m.location().url})`);
      });
    };
    context.on('page', watch);
    const page = await context.newPage();
    return { context, page };
  }

  async function login(page: Page, role: Role): Promise<void> {
    await page.goto(server.url + '/');
    await page.getByLabel('Username').fill(ACCOUNTS[role].username);
    await page.getByLabel('Password').fill(WEB_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });

  it('shows the problem detail on a failed login', async () => {
    const { context, page } = await open();
    await page.goto(server.url + '/');
    await page.getByLabel('Username').fill(ACCOUNTS.clinician.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'Unknown username or wrong password' }).waitFor());
    await shot(page, 'login');
    // The failed login's 401 on POST /api/auth/login is logged by Chromium too: expected here, not a defect.
    for (let i = consoleErrors.length - 1; i >= 0; i--) if (/status of 401/.test(consoleErrors[i]!) && consoleErrors[i]!.includes('/api/auth/login')) consoleErrors.splice(i, 1);
    await context.close();
  });

  for (const role of ['admin', 'clinician', 'researcher', 'auditor'] as const) {
    it(`${role}: the navigation offers only the pages of the role`, async () => {
      const { context, page } = await open();
      await login(page, role);
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const label of NAV_LABELS) {
        const count = await nav.getByRole('link', { name: label, exact: true }).count();
        assert.equal(count, EXPECTED_NAV[role].includes(label) ? 1 : 0, `${role} sees "${label}"`);
      }
      await shot(page, `home-${role}`);
      await context.close();
    });
  }

  it('clinician: board -> patient, an anti-Xa/aPTT pair is classified, a bleed gets its BARC class', async () => {
    const { context, page } = await open();
    await login(page, 'clinician');
    await page.getByRole('heading', { name: 'Patient board' }).waitFor();
    const rows = page.locator('table.board tbody tr');
    await rows.first().waitFor();
    const sites = await page.locator('table.board tbody th .muted').allTextContents();
    assert.ok(sites.length > 0 && sites.every((s) => s.startsWith(CLINICIAN_SITE)), `clinician sees only ${CLINICIAN_SITE}: ${sites.join(' | ')}`);
    await shot(page, 'board');

    await rows.first().locator('a.row-link').click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const episodeId = /#\/patients\/(\d+)/.exec(page.url())?.[1];
    assert.ok(episodeId, page.url());
    assert.ok((await page.locator('figure.chart svg').count()) >= 5, 'timeline and anticoagulation charts drawn as SVG');
    // Enter the pair one hour after the episode's last record (read through the same session).
    const view = (await (await page.request.get(`${server.url}/api/patients/${episodeId}`)).json()) as { timeline: { to_min: number }; anchor: { time: string } };
    const at = new Date(Date.parse(view.anchor.time) + (view.timeline.to_min + 60) * 60_000).toISOString().slice(0, 16);

    const obs = page.locator('form.entry').filter({ has: page.getByRole('heading', { name: 'Observations' }) });
    await obs.getByLabel('Time (UTC)').fill(at);
    await obs.getByLabel('Anti-Xa', { exact: true }).fill('0.15');
    await obs.getByLabel('aPTT', { exact: true }).fill('48');
    await obs.getByRole('button', { name: 'Save observations' }).click();
    const classified = obs.locator('.pair-result');
    await classified.waitFor();
    assert.match(await classified.innerText(), /Pair classification: .+/);
    assert.match(await classified.innerText(), /Anti-Xa 0\.15 IU\/mL: (low|in range|high)/);
    assert.ok(await obs.getByText('Decision support for the treating clinician, not an order').first().isVisible(), 'next step labelled as decision support');
    await shot(page, 'patient-pair');

    // A server validation message lands next to the field it names.
    await obs.getByLabel('Anti-Xa', { exact: true }).fill('9');
    await obs.getByLabel('aPTT', { exact: true }).fill('');
    await obs.getByRole('button', { name: 'Save observations' }).click();
    await obs.locator('label.invalid .field-error').first().waitFor();
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !(/status of 400/.test(e) && e.includes('/observations'))));

    const ev = page.locator('form.entry').filter({ has: page.getByRole('heading', { name: 'Event' }) });
    await ev.getByLabel('Onset (UTC)').fill(at);
    await ev.getByLabel('Bleeding site').selectOption('access_site');
    await ev.getByLabel('Overt').selectOption('yes');
    await ev.getByLabel('Hb baseline').fill('12');
    await ev.getByLabel('Hb nadir').fill('8.5');
    await ev.getByRole('button', { name: 'Save event' }).click();
    const saved = ev.locator('.saved');
    await saved.getByText(/^BARC /).waitFor();
    assert.match(await saved.innerText(), /BARC 3a/, 'overt bleed with a 3.5 g/dL Hb drop is BARC 3a');
    await page.getByRole('heading', { name: 'Bleeding events' }).scrollIntoViewIfNeeded();
    await shot(page, 'patient');
    await context.close();
  });

  it('admin: the board has a site filter; the import page uploads a file or is skipped when the route is absent', async (t) => {
    const { context, page } = await open();
    await login(page, 'admin');
    await page.getByRole('heading', { name: 'Patient board' }).waitFor();
    await page.getByLabel('Site').selectOption(CLINICIAN_SITE);
    await page.waitForURL(/site=site-01/);
    await page.locator('table.board tbody tr').first().waitFor();
    await shot(page, 'board-admin');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import' }).waitFor();
    await shot(page, 'import');
    const probe = await page.request.post(`${server.url}/api/imports?format=csv`, { data: '', headers: { 'content-type': 'text/csv' } });
    if (probe.status() === 404) {
      t.skip('POST /api/imports is not on this server yet (helper C1): the upload is not exercised');
      await context.close();
      return;
    }
    await page.getByLabel('Format').selectOption('csv');
    await page.getByLabel('File').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('not,a,stratum\nfile,at,all\n') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('.problem, [role=status]').first().waitFor();
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !(/status of 4\d\d/.test(e) && e.includes('/api/imports'))));
    await shot(page, 'import-result');
    await context.close();
  });

  it('researcher: runs the bundled study and opens its report', async () => {
    const { context, page } = await open();
    await login(page, 'researcher');
    await page.getByRole('heading', { name: 'Studies' }).waitFor();
    const spec = page.getByLabel('Study specification (YAML)');
    await assert.doesNotReject(async () => {
      for (let i = 0; i < 50 && (await spec.inputValue()) === ''; i++) await page.waitForTimeout(100);
    });
    assert.ok((await spec.inputValue()).length > 100, 'the bundled spec is loaded into the editor');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.locator('.run-status.succeeded, .run-status.failed').waitFor({ timeout: 90_000 });
    assert.equal(await page.locator('.run-status').innerText(), 'succeeded', await page.locator('.run').innerText());
    await shot(page, 'studies');
    const [report] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open the report' }).click()]);
    await report.waitForLoadState('load');
    assert.ok(report.url().startsWith(`${server.url}/api/studies/runs/`), report.url());
    assert.ok((await report.locator('h1, h2').count()) > 0, 'the report has headings');
    await report.screenshot({ path: join(ARTIFACTS, 'web-report.png'), fullPage: true });
    await context.close();
  });

  it('auditor: pages the audit log', async () => {
    const { context, page } = await open();
    await login(page, 'auditor');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.locator('table.audit tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50, 'a full first page');
    const firstSeq = Number(await rows.first().locator('td').first().innerText());
    await page.getByRole('link', { name: 'Older records' }).click();
    await page.waitForURL(/before=/);
    await page.waitForFunction(`Number(document.querySelector('table.audit tbody tr td')?.textContent) < ${firstSeq}`);
    await shot(page, 'audit');
    await context.close();
  });

  it('no request left 127.0.0.1 and the console stayed free of errors', () => {
    const origin = new URL(server.url).origin;
    const external = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:'));
    assert.deepEqual(external, [], 'requests to other origins');
    assert.ok(requests.length > 20, 'requests were recorded');
    assert.deepEqual(consoleErrors, [], 'console errors (CSP violations, script errors)');
  });
});
