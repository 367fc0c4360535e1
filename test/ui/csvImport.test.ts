// Importing a CSV file in the browser, as a student does: the real `vglab serve`,
// Debian's Chromium, the Data view's file input ("Import CSV file…") given a small
// 2-feature file; the lab reads it (rows, columns, task), the preview plots it, a
// bad file is refused with an alert naming the line, "Hold out for testing" takes
// a percentage, and the new project's network trains a few steps on the file.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openLab, setTrainingNumber, showView, waitForCompleted, type Lab } from './helpers.ts';

/** Three classes around three centres: the new project's network has three logits. */
function threeClassCsv(rows: number): string {
  const centres = [
    [-1, -1],
    [1, -1],
    [0, 1],
  ];
  const lines = ['width,height,kind'];
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    const jitter = ((i * 37) % 17) / 40 - 0.2;
    lines.push(`${centres[k][0] + jitter},${centres[k][1] - jitter},${k}`);
  }
  return lines.join('\n') + '\n';
}

const STEPS = 20;

let lab: Lab;
let page: Page;

beforeAll(async () => {
  lab = await openLab();
  page = lab.page;
}, 180_000);

afterAll(async () => {
  await lab?.close();
});

async function upload(name: string, text: string): Promise<void> {
  await page.getByLabel('Import CSV file…').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

describe('CSV import in the browser', () => {
  it('imports a 2-feature CSV file, previews it, and trains the network on it', async () => {
    await showView(page, 'Data');
    await page.getByRole('radio', { name: 'Import CSV' }).check();

    await upload('broken.csv', 'width,height,kind\n1,2,0\n3,,1\n');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'broken.csv' }).textContent()).toMatch(/^broken\.csv: line 3, column "height" \(2\)/);

    await upload('shapes.csv', threeClassCsv(90));
    await page.getByText('shapes.csv: 90 rows, 3 columns, classification into 3 classes.', { exact: true }).waitFor();
    // The broken file's alert is gone (the app's notice region is an empty alert of its own).
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).allTextContents()).toEqual([]);
    expect(await page.getByRole('combobox', { name: 'Target column' }).inputValue()).toBe('kind');
    // The scatter's description (ECharts' aria label) names the file and what is drawn.
    await page.getByRole('img', { name: 'shapes.csv. 90 points of the first two inputs, coloured by class (3 classes).' }).waitFor();
    await expect.poll(() => page.getByText('90 of 90 rows shown.').count()).toBe(1);
    await lab.shot('csv-import-preview');

    const holdOut = page.getByRole('spinbutton', { name: 'Hold out for testing (%)' });
    await holdOut.fill('20');
    await holdOut.press('Tab');
    await expect.poll(() => page.getByText('About 18 of 90 rows test the network; the other 72 train it.').count()).toBe(1);

    await showView(page, 'Train');
    await setTrainingNumber(page, 'Steps', STEPS);
    // The settings reach the lab before the run is created from them.
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    try {
      await waitForCompleted(page, 1, 60_000);
    } finally {
      await lab.shot('csv-import-trained');
    }
    expect(await page.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe(String(STEPS));
    expect(lab.errors).toEqual([]);
  }, 180_000);
});
