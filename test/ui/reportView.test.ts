// The Report view in a real browser against the real `vglab serve`: train a short
// run, see the report in the preview frame (the network diagram with the run's
// nodes), then download it as HTML (from the keyboard) and as PDF, printed by the
// server's Chromium. Controls found by role and name; a screenshot for a person.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { showView, trainFromTrainView, useLab } from './helpers.ts';

const lab = useLab();

describe('the Report view', () => {
  it('previews the trained run and downloads the report as HTML and PDF', async () => {
    const { page } = lab();
    await trainFromTrainView(page, 20);

    await showView(page, 'Report');
    const box = page.getByRole('checkbox', { name: /^Run 1/ });
    await expect.poll(() => box.isChecked()).toBe(true);

    // The preview: the lab's page in a frame with an empty sandbox.
    const frameElement = page.getByTitle('Report preview');
    await frameElement.waitFor({ timeout: 30_000 });
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = page.frameLocator('iframe[title="Report preview"]');
    await expect.poll(() => frame.getByRole('heading', { level: 2, name: 'Run 1' }).count(), { timeout: 30_000 }).toBe(1);
    const diagram = frame.locator('svg.network-diagram');
    expect(await diagram.locator('g.node').count()).toBeGreaterThanOrEqual(3);
    expect(await diagram.locator('g.node text').allTextContents()).toEqual(expect.arrayContaining(['dense1', 'Dense · 16']));
    await lab().shot('report-view');

    // Export HTML from the keyboard: focus the button, press Enter.
    const html = page.getByRole('button', { name: 'Export HTML', exact: true });
    await html.focus();
    const htmlDownload = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const htmlFile = await htmlDownload;
    expect(htmlFile.suggestedFilename()).toBe('Untitled report.html');
    expect(readFileSync((await htmlFile.path())!, 'utf8')).toContain('class="network-diagram"');

    const pdfDownload = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Export PDF', exact: true }).click();
    // While the server prints, the button says so and is disabled.
    await expect.poll(() => page.getByRole('button', { name: 'Printing PDF…' }).isDisabled()).toBe(true);
    const pdfFile = await pdfDownload;
    expect(pdfFile.suggestedFilename()).toBe('Untitled report.pdf');
    const pdf = readFileSync((await pdfFile.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect.poll(() => page.getByRole('button', { name: 'Export PDF', exact: true }).isEnabled()).toBe(true);
    expect(lab().errors).toEqual([]);
  });
});
