// Opens a report HTML file in headless Chromium (Debian's /usr/bin/chromium through playwright-core) as a reader
// would, and checks what every report must satisfy: each section present and visible with its heading, plots as SVG,
// nothing fetched from anywhere but the file, no console errors (a CSP violation logs one), no script dialogs, no
// sideways scrolling at tablet width. Saves a full-page screenshot for a human to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, DEFAULT_CHROMIUM_PATH } from '../../src/report/report-pdf.js';
import { REPORT_SECTIONS } from '../../src/report/study-report.js';
import { repoRoot } from './paths.js';

export const ARTIFACTS = join(repoRoot, 'test-artifacts');
export const chromiumMissing = !existsSync(DEFAULT_CHROMIUM_PATH);
/** Skip reason for a browser test: only off CI, where Chromium may be absent; on CI (CI=true) its absence fails. */
export const browserSkip = chromiumMissing && process.env.CI !== 'true' ? `Chromium not installed at ${DEFAULT_CHROMIUM_PATH}` : false;

export async function checkReportInBrowser(htmlFile: string, screenshotFile: string, minimumPlots: number): Promise<void> {
  assert.ok(!chromiumMissing, `Chromium is required on CI (CI=true) but is missing at ${DEFAULT_CHROMIUM_PATH}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS] });
  try {
    // An iPad-sized viewport: the report must fit it without sideways scrolling.
    const page = await browser.newPage({ viewport: { width: 820, height: 1180 } });
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    let dialogs = 0;
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    // Anything that is not the file is aborted (and still recorded above, so the assertion below sees it).
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });

    for (const { id } of REPORT_SECTIONS) {
      const section = page.locator(`section#${id}`);
      assert.equal(await section.count(), 1, `section #${id}`);
      await section.scrollIntoViewIfNeeded();
      assert.ok(await section.isVisible(), `section #${id} visible`);
      assert.ok(await section.locator('h2').first().isVisible(), `section #${id} heading visible`);
    }
    assert.ok((await page.locator('svg').count()) >= minimumPlots, 'plots rendered as SVG');

    const external = requests.filter((url) => !url.startsWith('file://'));
    assert.deepEqual(external, [], 'no request left file://');
    assert.deepEqual(consoleErrors, [], 'no console errors (CSP violations, broken markup)');
    assert.equal(dialogs, 0, 'no script ran (the hostile fixture would alert)');
    // A string expression: the project compiles without the DOM library.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 820px`);

    await page.screenshot({ path: screenshotFile, fullPage: true });
    assert.ok(existsSync(screenshotFile));
  } finally {
    await browser.close();
  }
}
