// The report as PDF, printed by headless Chromium through playwright-core: the browser lays out the same HTML
// and print CSS (A4, figures kept whole) that a reader would print by hand. Chromium is optional: without it the
// study still writes report.html, and this says why there is no PDF.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Where Debian and Ubuntu's chromium package installs the browser. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** No GPU, no network side traffic (component updates, sync, first-run pings): a print job, nothing else. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const LOAD_TIMEOUT_MS = 60_000;

/**
 * Prints the report to PDF with headless Chromium through playwright-core (executablePath default '/usr/bin/chromium').
 * Returns written:false with a reason when Chromium is not installed or will not start (never throws for that);
 * throws when the browser runs but the page cannot be loaded or the PDF cannot be written. Every request other
 * than file: URLs is aborted, whatever the HTML asks for.
 */
export async function writeReportPdf(htmlFile: string, pdfFile: string, options: { executablePath?: string } = {}): Promise<{ written: true } | { written: false; reason: string }> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    return { written: false, reason: `Chromium not found at ${executablePath} (install the chromium package or pass its path)` };
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS], timeout: LOAD_TIMEOUT_MS });
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { written: false, reason: `Chromium at ${executablePath} did not start: ${first}` };
  }
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(resolve(htmlFile)).href, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: pdfFile,
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      // Chromium fills the pageNumber/totalPages spans; the template is ours, with no data from the results.
      footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
    return { written: true };
  } finally {
    await browser.close();
  }
}
