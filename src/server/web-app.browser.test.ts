// The web app in a real browser (headless Chromium through playwright-core) against a real server on 127.0.0.1 with a
// small synthetic registry: each role logs in and sees only its pages; a clinician walks the board to a patient,
// enters an anti-Xa/aPTT pair at a time of their choosing and sees it classified and shown at that time, gets the
// server's validation messages next to the fields they name, logs a bleeding event and sees its BARC class, starts a
// heparin infusion and changes its rate, inserts, adjusts and removes devices; an admin's import shows its rejection
// report; a researcher runs the bundled study and opens its report; an auditor pages the audit log; an account holder
// changes their password and logs in with the new one; an admin creates a clinician account, sets its password and
// disables it, and the new clinician sees only its site's patients until then. Every page fits a tablet in portrait
// (820 px) without sideways scrolling. The browser runs in a time zone other than UTC (entry times are local wall-clock times, sent as UTC).
// No request may leave 127.0.0.1 and the console must stay free of errors (a CSP violation logs one).
// Screenshots go to test-artifacts/web-*.png.
// Needs the built web app (npm run build, or npm run build:web): a missing web/dist/index.html fails with that message.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { recordsToCsvTables } from '../registry/csv/native-write.js';
import { CHROMIUM_FLAGS, DEFAULT_CHROMIUM_PATH } from '../report/report-pdf.js';
import { generateRegistry } from '../synth/generate-registry.js';
import { synthParameters } from '../synth/synth-parameters.js';
import { ARTIFACTS, browserSkip } from '../../test/support/report-browser.js';
import { ACCOUNTS, CLINICIAN_SITE, PASSWORD_ACCOUNT, startWebServer, WEB_PASSWORD, type WebServer } from '../../test/support/web-server.js';
import type { Role } from './principal.js';

const NAV_LABELS = ['Patient board', 'Import', 'Studies', 'Audit log', 'Admin', 'Account'] as const;
const EXPECTED_NAV: Readonly<Record<Role, readonly string[]>> = {
  admin: ['Patient board', 'Import', 'Studies', 'Audit log', 'Admin', 'Account'],
  clinician: ['Patient board', 'Import', 'Account'],
  researcher: ['Studies', 'Account'],
  auditor: ['Audit log', 'Account'],
};

/** The browser's time zone: not UTC, so a time entered as UTC (or shown as UTC) by mistake cannot pass. */
const ZONE = 'Europe/Berlin';
const MINUTE = 60_000;

/** An instant as the clinician's wall clock in ZONE: the datetime-local value and the text the app shows. */
function wallClock(instant: number): { input: string; shown: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
  const time = `${parts['hour']}:${parts['minute']}`;
  return { input: `${date}T${time}`, shown: `${date} ${time}` };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

  /** A fresh tablet-sized browser context in ZONE, watched: every request and every console error is recorded. */
  async function open(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, timezoneId: ZONE });
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

  /** Chromium logs every 4xx answer as a console error: drop those this test provoked on purpose. */
  function expectedFailures(status: RegExp, path: string): void {
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !(status.test(e) && e.includes(path))));
  }

  async function login(page: Page, role: Role | { username: string }, password = WEB_PASSWORD): Promise<void> {
    await page.goto(server.url + '/');
    await page.getByLabel('Username').fill(typeof role === 'string' ? ACCOUNTS[role].username : role.username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });

  /** The page fits the viewport's width: no sideways scrolling (tablet portrait, 820 px). */
  async function fitsWidth(page: Page, name: string): Promise<void> {
    // Evaluated in the page (a string: this file is compiled without the DOM's types).
    const { scrollWidth, clientWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })')) as { scrollWidth: number; clientWidth: number };
    assert.ok(scrollWidth <= clientWidth, `${name}: the page scrolls sideways at 820 px (scrollWidth ${scrollWidth} > clientWidth ${clientWidth})`);
  }

  /** Every control of the page's forms has a label (a <label for> or an enclosing one); the unlabelled ones, if any. */
  async function unlabelled(page: Page): Promise<string[]> {
    return (await page.evaluate(
      `[...document.querySelectorAll('form input, form select, form textarea')].filter((e) => e.labels.length === 0).map((e) => e.name || e.id || e.outerHTML.slice(0, 80))`,
    )) as string[];
  }

  /** The labelled field (label, control, message) of `form` whose label is exactly `label`. */
  const fieldOf = (form: Locator, label: string) => form.locator('.field').filter({ has: form.page().locator('label', { hasText: new RegExp(`^${escapeRe(label)}$`) }) });

  /** The message shown next to a field, and the control's aria-describedby pointing at it. */
  async function fieldMessage(form: Locator, label: string): Promise<string> {
    const field = fieldOf(form, label);
    const message = field.locator('.field-error');
    await message.waitFor();
    const id = await message.getAttribute('id');
    const describedBy = await field.locator('input, select').first().getAttribute('aria-describedby');
    assert.ok(id !== null && describedBy === id, `the ${label} control is described by its message (${describedBy} vs ${id})`);
    return message.innerText();
  }

  it('shows the problem detail on a failed login', async () => {
    const { context, page } = await open();
    await page.goto(server.url + '/');
    await page.getByLabel('Username').fill(ACCOUNTS.clinician.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'Unknown username or wrong password' }).waitFor());
    await fitsWidth(page, 'login');
    await shot(page, 'login');
    // The failed login's 401 on POST /api/auth/login is logged by Chromium too: expected here, not a defect.
    expectedFailures(/status of 401/, '/api/auth/login');
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

  /** From the clinician's board, opens its first patient; the episode's id and the time of its last record. */
  async function openPatient(page: Page): Promise<{ episodeId: string; lastRecord: number }> {
    await page.getByRole('heading', { name: 'Patient board' }).waitFor();
    const rows = page.locator('table.board tbody tr');
    await rows.first().waitFor();
    await rows.first().locator('a.row-link').click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const episodeId = /#\/patients\/(\d+)/.exec(page.url())?.[1];
    assert.ok(episodeId, page.url());
    // Read through the same session: entries go after the episode's last record, on whole minutes.
    const view = (await (await page.request.get(`${server.url}/api/patients/${episodeId}`)).json()) as { timeline: { to_min: number }; anchor: { time: string } };
    const lastRecord = Math.ceil((Date.parse(view.anchor.time) + view.timeline.to_min * MINUTE) / MINUTE) * MINUTE;
    return { episodeId, lastRecord };
  }

  const entryForm = (page: Page, heading: string) => page.locator('form.entry').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });

  /** Submits an entry form that must save: fails with the server's problem when it does not. */
  async function save(form: Locator, button: string): Promise<void> {
    await form.getByRole('button', { name: button }).click();
    const outcome = form.locator('.saved, .problem').first();
    await outcome.waitFor();
    assert.equal(await outcome.getAttribute('class'), 'saved', `${button}: ${await outcome.innerText()}`);
  }

  it('clinician: board -> patient, a pair entered at a chosen time is classified and shown at that time; messages land next to their fields; a bleed gets its BARC class', async () => {
    const { context, page } = await open();
    await login(page, 'clinician');
    await page.getByRole('heading', { name: 'Patient board' }).waitFor();
    const rows = page.locator('table.board tbody tr');
    await rows.first().waitFor();
    const sites = await page.locator('table.board tbody th .muted').allTextContents();
    assert.ok(sites.length > 0 && sites.every((s) => s.startsWith(CLINICIAN_SITE)), `clinician sees only ${CLINICIAN_SITE}: ${sites.join(' | ')}`);
    await fitsWidth(page, 'board');
    await shot(page, 'board');

    const { episodeId, lastRecord } = await openPatient(page);
    assert.ok((await page.locator('figure.chart svg').count()) >= 5, 'timeline and anticoagulation charts drawn as SVG');
    await fitsWidth(page, 'patient');
    assert.deepEqual(await unlabelled(page), [], 'entry form controls without a label');

    const obs = entryForm(page, 'Observations');
    const time = obs.getByLabel(`Time (${ZONE})`);
    // The entry time defaults to now on the clinician's wall clock (the minute may turn while the test runs).
    const now = [wallClock(Date.now() - MINUTE).input, wallClock(Date.now()).input, wallClock(Date.now() + MINUTE).input];
    assert.ok(now.includes(await time.inputValue()), `the time defaults to now in ${ZONE}: ${await time.inputValue()} (expected one of ${now.join(', ')})`);

    // A time other than now: one hour after the episode's last record, typed as local wall-clock time.
    const at = lastRecord + 60 * MINUTE;
    const local = wallClock(at);
    assert.notEqual(local.input, new Date(at).toISOString().slice(0, 16), `${ZONE} is not UTC at ${new Date(at).toISOString()}`);
    await time.fill(local.input);
    await obs.getByLabel('Anti-Xa', { exact: true }).fill('0.15');
    await obs.getByLabel('aPTT', { exact: true }).fill('48');
    await obs.getByRole('button', { name: 'Save observations' }).click();
    const classified = obs.locator('.pair-result');
    await classified.waitFor();
    assert.match(await classified.innerText(), /Pair classification: .+/);
    assert.match(await classified.innerText(), /Anti-Xa 0\.15 IU\/mL: (low|in range|high)/);
    assert.ok(await obs.getByText('Decision support for the treating clinician, not an order').first().isVisible(), 'next step labelled as decision support');
    // Stored as the UTC instant of the local time typed, and shown back at the wall-clock time typed.
    const stored = (await (await page.request.get(`${server.url}/api/patients/${episodeId}`)).json()) as { anticoagulation: { pairs: { time: string; antiXa: { value: number } }[] } };
    assert.ok(
      stored.anticoagulation.pairs.some((p) => Date.parse(p.time) === at && p.antiXa.value === 0.15),
      `a pair at ${new Date(at).toISOString()}: ${stored.anticoagulation.pairs.slice(-3).map((p) => p.time).join(', ')}`,
    );
    const pairRow = page.locator('table.pairs tbody tr').filter({ hasText: local.shown });
    await pairRow.first().waitFor();
    assert.match(await pairRow.first().innerText(), /0\.15/);
    await shot(page, 'patient-pair');

    // Server validation messages land next to the field they name, and only there.
    await obs.getByLabel('Anti-Xa', { exact: true }).fill('9');
    await obs.getByLabel('aPTT', { exact: true }).fill('');
    await obs.getByRole('button', { name: 'Save observations' }).click();
    assert.match(await fieldMessage(obs, 'Anti-Xa'), /observations\[0\]/);
    await obs.getByLabel('Anti-Xa', { exact: true }).fill('');
    await obs.getByLabel('aPTT', { exact: true }).fill('-5');
    await obs.getByRole('button', { name: 'Save observations' }).click();
    assert.match(await fieldMessage(obs, 'aPTT'), /value|range|expected|-5/i);
    assert.equal(await fieldOf(obs, 'Anti-Xa').locator('.field-error').count(), 0, 'no message next to the anti-Xa field');
    await obs.getByLabel('aPTT', { exact: true }).fill('fast');
    await obs.getByRole('button', { name: 'Save observations' }).click();
    await obs.locator('.field-error').filter({ hasText: /fast|number/ }).waitFor();
    assert.match(await fieldMessage(obs, 'aPTT'), /fast|number/);
    await shot(page, 'patient-invalid');
    expectedFailures(/status of 400/, '/observations');

    const ev = entryForm(page, 'Event');
    await ev.getByLabel(`Onset (${ZONE})`).fill(local.input);
    await ev.getByLabel('Bleeding site').selectOption('access_site');
    await ev.getByLabel('Overt').selectOption('yes');
    await ev.getByLabel('Hb baseline').fill('12');
    await ev.getByLabel('Hb nadir').fill('8.5');
    await ev.getByRole('button', { name: 'Save event' }).click();
    const saved = ev.locator('.saved');
    await saved.getByText(/^BARC /).waitFor();
    assert.match(await saved.innerText(), /BARC 3a/, 'overt bleed with a 3.5 g/dL Hb drop is BARC 3a');
    // Listed under the bleeding events at the wall-clock time entered, with its offset.
    await page.getByRole('heading', { name: new RegExp(`^${escapeRe(local.shown)} UTC[+-]\\d\\d:\\d\\d: access site`) }).first().waitFor();
    await page.getByRole('heading', { name: 'Bleeding events' }).scrollIntoViewIfNeeded();
    await shot(page, 'patient');
    await context.close();
  });

  it('clinician: an entry time in the future is refused, the message next to the time field', async () => {
    const { context, page } = await open();
    await login(page, 'clinician');
    const { episodeId } = await openPatient(page);
    const obs = entryForm(page, 'Observations');
    const accepted: string[] = [];
    for (const [what, instant] of [
      ['in the future', Date.now() + 2 * 24 * 60 * MINUTE],
    ] as const) {
      await obs.getByLabel(`Time (${ZONE})`).fill(wallClock(instant).input);
      await obs.getByLabel('aPTT', { exact: true }).fill('50');
      await obs.getByRole('button', { name: 'Save observations' }).click();
      const outcome = obs.locator('.saved, .problem').first();
      await outcome.waitFor();
      if ((await outcome.getAttribute('class')) !== 'problem') {
        accepted.push(`${what} (${new Date(instant).toISOString()})`);
        continue;
      }
      // The time's fault, shown next to the time field, not next to the value.
      assert.ok((await fieldMessage(obs, `Time (${ZONE})`)).length > 0);
      assert.equal(await fieldOf(obs, 'aPTT').locator('.field-error').count(), 0, `${what}: no message next to the aPTT field`);
      await shot(page, 'patient-time-refused');
    }
    assert.deepEqual(accepted, [], 'entry times the server saved instead of refusing');
    expectedFailures(/status of 400/, '/observations');
    await context.close();
  });

  it('clinician: a heparin infusion is started and its rate changed; devices are inserted, adjusted and removed', async () => {
    const { context, page } = await open();
    await login(page, 'clinician');
    const { lastRecord } = await openPatient(page);
    const t1 = wallClock(lastRecord + 30 * MINUTE);
    const t2 = wallClock(lastRecord + 90 * MINUTE);
    const heparin = page.locator('section[aria-labelledby="ac-h"] ul').first();

    const inf = entryForm(page, 'Infusion');
    await inf.getByLabel('Action').selectOption('start');
    await inf.getByLabel('Drug').selectOption('ufh');
    await inf.getByLabel(`Start (${ZONE})`).fill(t1.input);
    await inf.getByLabel('Rate', { exact: true }).fill('12');
    await save(inf, 'Save infusion');
    await heparin.getByText(new RegExp(`^UFH 12 \\S+ from ${escapeRe(t1.shown)} UTC\\S* \\(running\\)$`)).waitFor();

    await inf.getByLabel('Action').selectOption('change');
    const running = inf.getByLabel('Running infusion');
    const option = running.locator('option').filter({ hasText: `since ${t1.shown}` });
    assert.equal(await option.count(), 1, `the infusion started at ${t1.shown} is offered: ${await running.innerText()}`);
    await running.selectOption((await option.getAttribute('value')) ?? '');
    // A change dated before the infusion started is the time's fault: the message goes next to the time field.
    await inf.getByLabel(`At (${ZONE})`).fill(wallClock(lastRecord).input);
    await inf.getByLabel('Rate', { exact: true }).fill('15');
    await inf.getByRole('button', { name: 'Save infusion' }).click();
    assert.ok((await fieldMessage(inf, `At (${ZONE})`)).length > 0);
    assert.equal(await fieldOf(inf, 'Rate').locator('.field-error').count(), 0, 'no message next to the rate');
    expectedFailures(/status of 400/, '/infusions');
    await inf.getByLabel(`At (${ZONE})`).fill(t2.input);
    await inf.getByLabel('Rate', { exact: true }).fill('15');
    await save(inf, 'Save infusion');
    await heparin.getByText(new RegExp(`^UFH 15 \\S+ from ${escapeRe(t2.shown)} UTC\\S* \\(running\\)$`)).waitFor();
    await heparin.getByText(new RegExp(`^UFH 12 \\S+ from ${escapeRe(t1.shown)} UTC\\S* to ${escapeRe(t2.shown)} UTC\\S*$`)).waitFor();
    await shot(page, 'patient-infusion');

    const changes = page.locator('ul.device-changes');
    const dev = entryForm(page, 'Device change');
    await dev.getByLabel('Action').selectOption('insert');
    await dev.getByLabel('Device', { exact: true }).selectOption('iabp');
    await dev.getByLabel('Access site').selectOption('femoral');
    await dev.getByLabel(`Time (${ZONE})`).fill(t1.input);
    await save(dev, 'Save device change');
    const inserted = changes.locator('li').filter({ hasText: new RegExp(`^${escapeRe(t1.shown)} UTC\\S*: .*insertion: femoral$`) });
    await inserted.first().waitFor();
    const newId = /\(([^()]+)\) insertion/.exec(await inserted.first().innerText())?.[1];
    assert.ok(newId, await inserted.first().innerText());

    // A setting change on the device the patient came with (the first in place that is not the new one).
    await dev.getByLabel('Action').selectOption('change');
    const inPlace = dev.getByLabel('Device in place');
    const ids: string[] = [];
    for (const o of await inPlace.locator('option').all()) {
      const v = await o.getAttribute('value');
      if (v !== null && v !== '' && v !== newId) ids.push(v);
    }
    assert.ok(ids.length > 0, 'the patient has a device in place');
    await inPlace.selectOption(ids[0]!);
    await dev.getByLabel(`Time (${ZONE})`).fill(t2.input);
    await dev.getByLabel('Flow (L/min)').fill('3.2');
    await save(dev, 'Save device change');
    await changes.locator('li').filter({ hasText: new RegExp(`^${escapeRe(t2.shown)} UTC\\S*: .*\\(${escapeRe(ids[0]!)}\\) setting: .*3\\.2`) }).first().waitFor();

    await dev.getByLabel('Action').selectOption('remove');
    await inPlace.selectOption(newId);
    await dev.getByLabel(`Time (${ZONE})`).fill(t2.input);
    await dev.getByLabel('Reason').selectOption('recovery');
    await save(dev, 'Save device change');
    await changes.locator('li').filter({ hasText: new RegExp(`^${escapeRe(t2.shown)} UTC\\S*: .*\\(${escapeRe(newId)}\\) removal: recovery$`) }).first().waitFor();
    // A removed device is no longer offered for a change or removal.
    assert.equal(await inPlace.locator(`option[value="${newId}"]`).count(), 0, 'the removed device is not offered');
    await fitsWidth(page, 'patient after entries');
    await page.getByRole('heading', { name: 'Device changes' }).scrollIntoViewIfNeeded();
    await shot(page, 'patient-devices');
    await context.close();
  });

  it('admin: the board has a site filter; the import page shows a rejection report without sideways scrolling', async () => {
    const { context, page } = await open();
    await login(page, 'admin');
    await page.getByRole('heading', { name: 'Patient board' }).waitFor();
    await page.getByLabel('Site').selectOption(CLINICIAN_SITE);
    await page.waitForURL(/site=site-01/);
    await page.locator('table.board tbody tr').first().waitFor();
    await fitsWidth(page, 'board (admin)');
    await shot(page, 'board-admin');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import' }).waitFor();
    await fitsWidth(page, 'import');
    await shot(page, 'import');

    // A native episodes.csv with bad rows, one of them holding a long unbroken value: every row is reported.
    const records = [...generateRegistry(synthParameters({ patients: 6, sites: 1, seed: 11 }))].map((p) => p.record);
    const [header, ...rows] = recordsToCsvTables(records).get('episodes.csv')!.trimEnd().split('\n');
    const columns = header!.split(',');
    const age = columns.indexOf('age_years');
    assert.ok(age >= 0, `episodes.csv has age_years: ${header}`);
    const long = `9${'8'.repeat(240)}`;
    const bad = rows.map((row, i) => {
      const cells = row.split(',');
      if (i < 4) cells[age] = i === 0 ? long : '-4';
      return cells.join(',');
    });
    await page.getByLabel('Format').selectOption('csv');
    await page.getByLabel('File').setInputFiles({ name: 'episodes.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...bad].join('\n') + '\n') });
    await page.getByRole('button', { name: 'Upload' }).click();
    const report = page.locator('table.rejections');
    await report.waitFor();
    assert.ok((await report.locator('tbody tr').count()) >= 4, await report.innerText());
    assert.ok((await report.locator('tbody td').filter({ hasText: '-4' }).count()) >= 1, 'the rejected value is shown');
    expectedFailures(/status of 4\d\d/, '/api/imports');
    await fitsWidth(page, 'import with a rejection report');
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
    await fitsWidth(page, 'studies');
    // Edit the spec (its title), save it under a name, find it among the saved specs, and run the edited one.
    const edited = (await spec.inputValue()).replace(/^title: .*$/m, 'title: Edited in the browser test');
    assert.ok(edited.includes('title: Edited in the browser test'), 'the bundled spec has a title line');
    await spec.fill(edited);
    await page.getByLabel('Name', { exact: true }).fill('browser-edited');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as "browser-edited".').waitFor();
    const options = await page.getByLabel('Specification').locator('option').allInnerTexts();
    assert.ok(options.some((o) => o.includes('Saved') && o.includes('Edited in the browser test')), options.join(' | '));
    await page.getByRole('button', { name: 'Run' }).click();
    await page.locator('.run-status.succeeded, .run-status.failed').waitFor({ timeout: 90_000 });
    assert.equal(await page.locator('.run-status').innerText(), 'succeeded', await page.locator('.run').innerText());
    await fitsWidth(page, 'studies with a run');
    await shot(page, 'studies');
    const [report] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open the report' }).click()]);
    await report.waitForLoadState('load');
    assert.ok(report.url().startsWith(`${server.url}/api/studies/runs/`), report.url());
    assert.ok((await report.locator('h1, h2').count()) > 0, 'the report has headings');
    assert.ok((await report.locator('h1').first().innerText()).includes('Edited in the browser test'), 'the report is the edited study\'s');
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
    await fitsWidth(page, 'audit');
    const firstSeq = Number(await rows.first().locator('td').first().innerText());
    await page.getByRole('link', { name: 'Older records' }).click();
    await page.waitForURL(/before=/);
    // Polled from here: page.waitForFunction with a string polls through eval in the page, which the CSP forbids.
    let seq = firstSeq;
    for (let i = 0; i < 100 && !(seq < firstSeq); i++) {
      await page.waitForTimeout(50);
      seq = Number(await rows.first().locator('td').first().innerText().catch(() => String(firstSeq)));
    }
    assert.ok(seq < firstSeq, `the older page starts before #${firstSeq}: #${seq}`);
    await shot(page, 'audit');
    await context.close();
  });

  it('account: shows who is logged in; a password change is checked, then the new password logs in and the old one does not', async () => {
    const { context, page } = await open();
    await login(page, PASSWORD_ACCOUNT);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    const facts = page.locator('dl.facts');
    await facts.getByText(PASSWORD_ACCOUNT.username, { exact: true }).waitFor();
    assert.match(await facts.innerText(), new RegExp(`Role\\s+${PASSWORD_ACCOUNT.role}`));
    await fitsWidth(page, 'account');
    assert.deepEqual(await unlabelled(page), [], 'account form controls without a label');

    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Change password' }) });
    const newPassword = 'a-new-synthetic-password-2';
    // The server's messages next to the field they name: a wrong current password, a new one too short.
    await form.getByLabel('Current password', { exact: true }).fill('not-the-password');
    await form.getByLabel('New password', { exact: true }).fill(newPassword);
    await form.getByLabel('Repeat the new password', { exact: true }).fill(newPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    assert.match(await fieldMessage(form, 'Current password'), /wrong/i);
    await form.getByLabel('Current password', { exact: true }).fill(WEB_PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill('short');
    await form.getByLabel('Repeat the new password', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Change password' }).click();
    assert.match(await fieldMessage(form, 'New password'), /8/);
    assert.equal(await fieldOf(form, 'Current password').locator('.field-error').count(), 0, 'the current password was right this time');
    // A typing slip in the repeat field is caught before anything is sent.
    await form.getByLabel('New password', { exact: true }).fill(newPassword);
    await form.getByLabel('Repeat the new password', { exact: true }).fill(`${newPassword}x`);
    await form.getByRole('button', { name: 'Change password' }).click();
    assert.match(await fieldMessage(form, 'Repeat the new password'), /differ/);
    expectedFailures(/status of 400/, '/api/auth/password');

    // Every control is reachable by keyboard, in order, and shows where the focus is.
    await form.getByLabel('Current password', { exact: true }).focus();
    for (const next of ['New password', 'Repeat the new password']) {
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("name")'), next === 'New password' ? 'newPassword' : 'repeatPassword', `Tab reaches ${next}`);
    }
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'the focused field shows a focus ring');

    await form.getByLabel('Repeat the new password', { exact: true }).fill(newPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    assert.equal(await form.getByLabel('Current password', { exact: true }).inputValue(), '', 'the password fields are cleared');
    await shot(page, 'account');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Stratum' }).waitFor();
    await page.getByLabel('Username').fill(PASSWORD_ACCOUNT.username);
    await page.getByLabel('Password').fill(WEB_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Unknown username or wrong password' }).waitFor();
    expectedFailures(/status of 401/, '/api/auth/login');
    await login(page, PASSWORD_ACCOUNT, newPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).waitFor();
    await context.close();
  });

  it('admin: creates a clinician account (messages next to their fields), resets its password and disables it; the clinician sees only its site', async () => {
    const { context, page } = await open();
    await login(page, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', exact: true }).waitFor();
    const accounts = page.locator('table.accounts tbody tr');
    await accounts.filter({ hasText: ACCOUNTS.clinician.username }).first().waitFor();
    await fitsWidth(page, 'admin');
    assert.deepEqual(await unlabelled(page), [], 'admin form controls without a label');

    const create = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Create an account' }) });
    const username = 'web-new-clinician';
    // The server's messages next to the field they name: a password too short, a username already taken.
    await create.getByLabel('Username', { exact: true }).fill(username);
    await create.getByLabel('Password', { exact: true }).fill('short');
    await create.getByLabel('Role', { exact: true }).selectOption('clinician');
    await create.getByLabel('Sites', { exact: true }).fill(CLINICIAN_SITE);
    await create.getByRole('button', { name: 'Create account' }).click();
    assert.match(await fieldMessage(create, 'Password'), /8/);
    assert.equal(await fieldOf(create, 'Username').locator('.field-error').count(), 0, 'no message next to the username');
    await create.getByLabel('Username', { exact: true }).fill(ACCOUNTS.clinician.username);
    await create.getByLabel('Password', { exact: true }).fill(WEB_PASSWORD);
    await create.getByRole('button', { name: 'Create account' }).click();
    assert.match(await fieldMessage(create, 'Username'), /already exists/);
    assert.equal(await fieldOf(create, 'Password').locator('.field-error').count(), 0, 'the password was fine this time');
    await create.getByLabel('Sites', { exact: true }).fill(`${CLINICIAN_SITE}, not a site!`);
    await create.getByLabel('Username', { exact: true }).fill(username);
    await create.getByRole('button', { name: 'Create account' }).click();
    assert.match(await fieldMessage(create, 'Sites'), /site code/);
    expectedFailures(/status of 40[09]/, '/api/admin/users');

    // Every control of the form is reachable by keyboard, in order, and shows where the focus is.
    await create.getByLabel('Username', { exact: true }).focus();
    for (const name of ['password', 'role', 'sites']) {
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("name")'), name, `Tab reaches ${name}`);
    }
    assert.notEqual(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'), 'none', 'the focused field shows a focus ring');

    await create.getByLabel('Sites', { exact: true }).fill(CLINICIAN_SITE);
    await create.getByLabel('Password', { exact: true }).fill(WEB_PASSWORD);
    await create.getByRole('button', { name: 'Create account' }).click();
    await create.getByRole('status').filter({ hasText: `Account ${username} created` }).waitFor();
    const row = accounts.filter({ has: page.locator('th', { hasText: new RegExp(`^${escapeRe(username)}`) }) });
    await row.waitFor();
    assert.equal(await row.locator('td[data-label="Role"]').innerText(), 'clinician');
    assert.equal(await row.locator('td[data-label="Sites"]').innerText(), CLINICIAN_SITE);
    assert.match(await row.locator('td[data-label="Disabled"]').innerText(), /^no$/);
    await fitsWidth(page, 'admin with a new account');
    await shot(page, 'admin');

    // A new password for the account, checked by the server like any other.
    await row.getByRole('button', { name: `Manage ${username}` }).click();
    const panel = page.locator('#manage-account');
    await panel.getByRole('heading', { name: `Manage ${username}` }).waitFor();
    assert.deepEqual(await unlabelled(page), [], 'manage form controls without a label');
    const reset = panel.locator('form').filter({ has: page.getByRole('heading', { name: 'Set a new password' }) });
    await reset.getByLabel('New password', { exact: true }).fill('short');
    await reset.getByRole('button', { name: 'Set password' }).click();
    assert.match(await fieldMessage(reset, 'New password'), /8/);
    expectedFailures(/status of 400/, '/password');
    const newPassword = 'a-new-clinician-password-3';
    await reset.getByLabel('New password', { exact: true }).fill(newPassword);
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByRole('status').filter({ hasText: 'Password set' }).waitFor();
    await fitsWidth(page, 'admin managing an account');
    await shot(page, 'admin-manage');

    // The new clinician logs in with the new password and sees only its site's patients.
    await page.getByRole('button', { name: 'Log out' }).click();
    await login(page, { username }, newPassword);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 0, 'a clinician has no admin page');
    await page.getByRole('heading', { name: 'Patient board' }).waitFor();
    await page.locator('table.board tbody tr').first().waitFor();
    const sites = await page.locator('table.board tbody th .muted').allTextContents();
    assert.ok(sites.length > 0 && sites.every((s) => s.startsWith(CLINICIAN_SITE)), `the new clinician sees only ${CLINICIAN_SITE}: ${sites.join(' | ')}`);

    // Disabled by the admin, the account cannot log in.
    await page.getByRole('button', { name: 'Log out' }).click();
    await login(page, 'admin');
    await page.goto(`${server.url}/#/admin`);
    await accounts.filter({ hasText: username }).first().waitFor();
    await row.getByRole('button', { name: `Manage ${username}` }).click();
    await panel.getByRole('button', { name: 'Disable account' }).click();
    await panel.getByRole('status').filter({ hasText: `${username} disabled` }).waitFor();
    assert.equal(await row.locator('td[data-label="Disabled"]').innerText(), 'disabled');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Unknown username or wrong password' }).waitFor();
    expectedFailures(/status of 401/, '/api/auth/login');
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
