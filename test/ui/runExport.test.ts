// A run's exports in a real browser against the real `vglab serve`: train a short
// run, open Export… from the keyboard and download its traces as a zip (the CSV and
// JSON files in one folder), then with Parquet, then its PyTorch module.
import { readFileSync } from 'node:fs';

import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { trainFromTrainView, useLab } from './helpers.ts';

const lab = useLab();

/** The names inside a downloaded zip, sorted. */
function entries(path: string): string[] {
  return Object.keys(unzipSync(new Uint8Array(readFileSync(path)))).sort();
}

describe('exporting a run', () => {
  it('downloads the trained run as a zip of its traces, with Parquet, and as a PyTorch module', async () => {
    const { page } = lab();
    await trainFromTrainView(page, 20);

    // From the keyboard: Enter opens the panel, Tab reaches the first choice, Enter downloads.
    const toggle = page.getByRole('button', { name: 'Export…' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('group', { name: 'Export Run 1' });
    await panel.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab');
    const traces = panel.getByRole('button', { name: 'Traces (CSV + JSON)' });
    expect(await traces.evaluate((el) => el === document.activeElement)).toBe(true);
    const plainDownload = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const plain = await plainDownload;
    expect(plain.suggestedFilename()).toBe('Run 1-traces.zip');
    const plainNames = entries((await plain.path())!);
    expect(plainNames).toEqual(expect.arrayContaining(['Run 1-traces/traces.json', 'Run 1-traces/steps.csv', 'Run 1-traces/nodes.csv', 'Run 1-traces/params.csv']));
    expect(plainNames.every((name) => name.startsWith('Run 1-traces/') && !name.endsWith('.parquet'))).toBe(true);
    // The focus stayed on the choice while it worked.
    expect(await traces.evaluate((el) => el === document.activeElement)).toBe(true);

    const parquetDownload = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Traces with Parquet' }).click();
    const parquetNames = entries((await (await parquetDownload).path())!);
    expect(parquetNames).toEqual(expect.arrayContaining([...plainNames, 'Run 1-traces/steps.parquet', 'Run 1-traces/params.parquet']));

    const moduleDownload = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'PyTorch module (.py)' }).click();
    const module = await moduleDownload;
    expect(module.suggestedFilename()).toBe('run_1.py');
    expect(readFileSync((await module.path())!, 'utf8')).toContain('class VglabNet(nn.Module):');
    await lab().shot('run-export');

    // Escape closes the panel and leaves the focus on Export….
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(lab().errors).toEqual([]);
  });
});
