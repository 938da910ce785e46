// The report as a reader sees it: opened from disk in headless Chromium, every section visible, nothing fetched
// from anywhere but the file itself, no console errors (a CSP violation would log one), no sideways scrolling at
// tablet width (test/support/report-browser.ts). Leaves a full-page screenshot in test-artifacts/study-report.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, browserSkip, checkReportInBrowser } from '../../test/support/report-browser.js';
import { studyResultsFixture } from '../../test/support/study-results-fixture.js';
import { renderStudyReport } from './study-report.js';

test('the report opens from disk, shows every section and fetches nothing', { skip: browserSkip, timeout: 120_000 }, async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const htmlFile = join(ARTIFACTS, 'study-report.html');
  writeFileSync(htmlFile, await renderStudyReport(studyResultsFixture()));
  await checkReportInBrowser(htmlFile, join(ARTIFACTS, 'study-report.png'), 11);
});
