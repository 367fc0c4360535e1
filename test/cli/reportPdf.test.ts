// `vglab run ... --pdf` as a subprocess, with the real Chromium: a project run and a
// lab run each write report.pdf beside report.html (a whole PDF whose first page
// has ink on it); without a browser the run still writes its traces and HTML
// report, and exits 1 saying which variable to set.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { firstPageInk, isWholePdf } from '../electron/report/pdfCheck.ts';

const ROOT = resolve(__dirname, '..', '..');

function vglab(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8', env });
}

function outDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'vglab-run-pdf-')), 'out');
}

describe('vglab run --pdf', () => {
  it('writes report.pdf for a project: the same report as report.html, printed', () => {
    const out = outDir();
    const r = vglab(['run', join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), '--steps', '30', '--out', out, '--pdf']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('class="network-diagram"');
    const pdf = readFileSync(join(out, 'report.pdf'));
    expect(isWholePdf(pdf)).toBe(true);
    expect(firstPageInk(pdf).share).toBeGreaterThan(0.01);
  });

  it('writes report.pdf for a lab', () => {
    const out = outDir();
    const r = vglab(['run', join(ROOT, 'labs', '01-see-the-vanishing.json'), '--out', out, '--pdf']);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const pdf = readFileSync(join(out, 'report.pdf'));
    expect(isWholePdf(pdf)).toBe(true);
    expect(firstPageInk(pdf).share).toBeGreaterThan(0.01);
  });

  it('exits 1 naming VGLAB_CHROMIUM when it points at no browser, keeping the HTML report', () => {
    const out = outDir();
    const missing = join(tmpdir(), 'vglab-no-such-browser');
    const r = vglab(['run', join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), '--steps', '10', '--out', out, '--pdf'], {
      ...process.env,
      VGLAB_CHROMIUM: missing,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`vglab: VGLAB_CHROMIUM is set to "${missing}", which does not exist: set it to the path of a Chromium, Chrome or Edge executable, or unset it to let the lab look in the usual places\n`);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'report.pdf'))).toBe(false);
  });
});
