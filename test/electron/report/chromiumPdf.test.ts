// PDF reports printed by the local Chromium (/usr/bin/chromium here and in CI): a
// whole PDF whose first page has ink on it when poppler renders it; clear messages
// when VGLAB_CHROMIUM names no browser; a browser that prints nothing or hangs
// (small shell scripts standing in for a broken browser) fails with a message
// instead of a bad file or a hung export.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { chromiumPdf, findChromium, looksLikePdf, PdfExportError, writeChromiumPdf } from '../../../electron/report/chromiumPdf.ts';
import { firstPageInk, isWholePdf } from './pdfCheck.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vglab-chromium-test-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
<h1>Gradient report</h1><svg width="600" height="300"><rect x="10" y="10" width="580" height="280" fill="#1f77b4"/></svg>
</body></html>`;

/** A stand-in browser: a shell script with `body`. */
function fakeBrowser(body: string): string {
  const path = join(tempDir(), 'browser.sh');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('findChromium', () => {
  it('names the missing file and the variable when VGLAB_CHROMIUM points nowhere', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'chromium');
    let error: unknown;
    try {
      findChromium({ VGLAB_CHROMIUM: missing, PATH: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PdfExportError);
    expect((error as PdfExportError).reason).toBe('missing');
    expect((error as Error).message).toContain(`VGLAB_CHROMIUM is set to "${missing}", which does not exist`);
    expect((error as Error).message).toMatch(/path of a Chromium, Chrome or Edge executable/);
  });

  it('refuses a VGLAB_CHROMIUM that is not executable', () => {
    const file = join(tempDir(), 'chromium.txt');
    writeFileSync(file, 'not a program');
    expect(() => findChromium({ VGLAB_CHROMIUM: file })).toThrow(/is not an executable file/);
  });

  it('takes VGLAB_CHROMIUM first, then the browsers on PATH', () => {
    const fake = fakeBrowser('exit 0');
    expect(findChromium({ VGLAB_CHROMIUM: fake, PATH: '/usr/bin' })).toBe(fake);
    const bin = tempDir();
    const onPath = join(bin, 'google-chrome');
    writeFileSync(onPath, '#!/bin/sh\n');
    chmodSync(onPath, 0o755);
    expect(findChromium({ PATH: bin })).toBe(onPath);
  });
});

describe('chromiumPdf', () => {
  it('prints a whole PDF whose first page renders with ink on it', async () => {
    const pdf = await chromiumPdf(PAGE, { chromium: '/usr/bin/chromium' });
    expect(isWholePdf(pdf)).toBe(true);
    expect(looksLikePdf(pdf)).toBe(true);
    const ink = firstPageInk(pdf);
    // A4 at 50 dpi, portrait.
    expect(ink.width).toBeGreaterThan(400);
    expect(ink.height).toBeGreaterThan(ink.width);
    // The blue rectangle alone covers about a tenth of the page.
    expect(ink.share).toBeGreaterThan(0.05);
  });

  it('writes the PDF atomically to the path and leaves no temporary folder', async () => {
    // A temporary folder of this test's own, so what is left in it was left by this print.
    const scratch = tempDir();
    const out = join(tempDir(), 'report.pdf');
    const before = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      await writeChromiumPdf(PAGE, out, { chromium: '/usr/bin/chromium' });
      expect(isWholePdf(readFileSync(out))).toBe(true);
      expect(readdirSync(join(out, '..'))).toEqual(['report.pdf']);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('says so when the browser exits without printing, and writes nothing', async () => {
    const browser = fakeBrowser('echo "GPU process crashed" >&2; exit 0');
    const out = join(tempDir(), 'report.pdf');
    await expect(writeChromiumPdf(PAGE, out, { chromium: browser })).rejects.toThrow(/without printing a PDF: GPU process crashed/);
    expect(existsSync(out)).toBe(false);
  });

  it('stops a browser that hangs, within the time limit', async () => {
    const browser = fakeBrowser('sleep 30');
    const started = Date.now();
    await expect(chromiumPdf(PAGE, { chromium: browser, timeoutMs: 500 })).rejects.toThrow(/did not finish printing the PDF within 1 s and was stopped/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
