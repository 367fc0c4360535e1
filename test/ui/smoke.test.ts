// The app in a real browser against the real browser-mode server: open the deep
// sigmoid example, train a short run, and see its charts fill. Screenshots land in
// test-artifacts/ for a person to look at.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium } from './browser.ts';
import { REPO, startLabServer, type LabServer } from './labServer.ts';

const ARTIFACTS = join(REPO, 'test-artifacts');
const STEPS = 60;

let server: LabServer | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The server serves out/renderer: build it from the sources under test.
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'pipe',
  });
  browser = await launchChromium();
  server = await startLabServer();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console error: ${m.text()}`);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the lab in a browser', () => {
  it('opens with the token, then hides it from the address bar', async () => {
    await page.goto(server!.url);
    await page.getByRole('tab', { name: 'Designer' }).waitFor();
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count()).toBe(0);
  });

  it('opens the deep sigmoid example and trains a short run to completion with live charts', async () => {
    await page.getByRole('button', { name: 'Examples' }).click();
    await page.getByRole('button', { name: /Open example Deep sigmoid MLP/ }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Project name' }).inputValue()).toMatch(/Deep sigmoid/);

    await page.getByRole('tab', { name: 'Train' }).click();
    const steps = page.getByRole('spinbutton', { name: 'Steps', exact: true });
    await steps.fill(String(STEPS));
    await steps.press('Tab');
    await expect.poll(() => steps.inputValue()).toBe(String(STEPS));
    // The settings reach the lab before the run is created from them.
    await page.waitForTimeout(300);

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const progress = page.getByRole('progressbar').first();
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe(String(STEPS));
    await expect.poll(() => page.getByRole('radio', { name: /Completed/ }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await page.locator('figure[data-chart="loss"]').getAttribute('data-points')), { timeout: 30_000 })
      .toBe(STEPS);
    expect(Number(await page.locator('figure[data-chart="layer-norms"]').getAttribute('data-points'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('figure[data-chart="loss"] canvas').count()).toBeGreaterThan(0);
    await page.waitForTimeout(400); // one more frame for ECharts to draw
    await page.screenshot({ path: join(ARTIFACTS, 'train-light.png'), fullPage: true });
  }, 120_000);

  it('switches to the dark theme and shows the data set preview', async () => {
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, 'train-dark.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('combobox', { name: 'Built-in data set' }).waitFor();
    await expect.poll(() => page.getByRole('tabpanel', { name: 'Data' }).getByRole('img').locator('canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, 'data-dark.png'), fullPage: true });
    await page.getByRole('button', { name: 'Dark theme' }).click();
  }, 60_000);

  it('moves between the view tabs with the arrow keys', async () => {
    await page.getByRole('tab', { name: 'Data' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByRole('tab', { name: 'Designer' }).getAttribute('aria-selected')).toBe('true');
    await page.screenshot({ path: join(ARTIFACTS, 'designer-light.png'), fullPage: true });
  });

  it('F5 starts another run instead of reloading the page', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    const before = await page.getByRole('progressbar').count();
    await page.locator('body').focus();
    await page.keyboard.press('F5');
    await expect.poll(() => page.getByRole('progressbar').count(), { timeout: 20_000 }).toBe(before + 1);
    await expect.poll(() => page.getByRole('radio', { name: /Run 2: Completed/ }).count(), { timeout: 60_000 }).toBe(1);
  }, 90_000);

  it('logged no page errors (a CSP violation would show here)', () => {
    expect(pageErrors).toEqual([]);
  });

  it('says so when the server goes away', async () => {
    await server!.stop();
    const banner = page.getByRole('alert').filter({ hasText: 'Connection to the lab lost' });
    await banner.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'disconnected.png') });
  }, 30_000);
});
