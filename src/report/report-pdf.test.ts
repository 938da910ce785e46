import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { studyResultsFixture } from '../../test/support/study-results-fixture.js';
import { DEFAULT_CHROMIUM_PATH, writeReportPdf } from './report-pdf.js';
import { renderStudyReport } from './study-report.js';

const chromiumMissing = !existsSync(DEFAULT_CHROMIUM_PATH);
// On CI a missing browser is a broken image, not a reason to skip.
const skip = chromiumMissing && process.env.CI !== 'true' ? `Chromium not installed at ${DEFAULT_CHROMIUM_PATH}` : false;

test('prints the report to an A4 PDF with headless Chromium', { skip, timeout: 120_000 }, async () => {
  assert.ok(!chromiumMissing, `Chromium is required on CI (CI=true) but is missing at ${DEFAULT_CHROMIUM_PATH}`);
  const dir = mkdtempSync(join(tmpdir(), 'stratum-report-pdf-'));
  try {
    const htmlFile = join(dir, 'report.html');
    const pdfFile = join(dir, 'report.pdf');
    writeFileSync(htmlFile, await renderStudyReport(studyResultsFixture()));
    assert.deepEqual(await writeReportPdf(htmlFile, pdfFile), { written: true });
    const pdf = readFileSync(pdfFile);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    // A4 portrait is 595.28 x 841.89 pt (210 x 297 mm); Chromium rounds to whole CSS pixels (594.96 x 841.92).
    const text = pdf.toString('latin1');
    const boxes = [...text.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(boxes.length > 0, 'pages have a MediaBox');
    for (const [w, h] of boxes) assert.ok(Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1, `page ${w} x ${h} pt is not A4`);
    const pages = Math.max(...[...text.matchAll(/\/Count (\d+)/g)].map((m) => Number(m[1])));
    assert.ok(pages >= 4, `${pages} pages`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without Chromium it returns written:false with a reason instead of throwing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-report-pdf-'));
  try {
    const result = await writeReportPdf(join(dir, 'report.html'), join(dir, 'report.pdf'), { executablePath: join(dir, 'no-such-chromium') });
    assert.equal(result.written, false);
    assert.match(result.written === false ? result.reason : '', /Chromium not found at .*no-such-chromium/);
    assert.ok(!existsSync(join(dir, 'report.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
