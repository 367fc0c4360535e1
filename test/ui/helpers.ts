/**
 * What every UI test file needs: a renderer built from the sources under test, the
 * real `vglab serve` on it, Debian's Chromium on the page, and a few steps a user
 * takes often (set a training setting, wait for a run). Controls are found by role
 * and accessible name only, as a user (or a screen reader) finds them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

import { launchChromium } from './browser.ts';
import { REPO, startLabServer, type LabServer } from './labServer.ts';

export const ARTIFACTS = join(REPO, 'test-artifacts');

/**
 * Builds the renderer into a folder of its own, so test files running side by side
 * (vitest runs two at once) never serve a folder another file is rebuilding.
 */
export function buildRenderer(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'vglab-ui-renderer-'));
  try {
    execFileSync(
      'npx',
      ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
      { cwd: REPO, stdio: 'pipe' },
    );
  } catch (e) {
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  return outDir;
}

export interface Lab {
  browser: Browser;
  server: LabServer;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  /** Saves a full-page screenshot as test-artifacts/<name>.png. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds, serves and opens the lab in a fresh page; resolves once the views are loaded. */
export async function openLab(viewport = { width: 1400, height: 1000 }): Promise<Lab> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const staticDir = buildRenderer();
  let browser: Browser | undefined;
  let server: LabServer | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    rmSync(staticDir, { recursive: true, force: true });
  };
  try {
    browser = await launchChromium();
    server = await startLabServer(60_000, staticDir);
    const page = await browser.newPage({ viewport });
    // Fail a missing control in seconds, not Playwright's 30 s (training waits pass their own timeouts).
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
    });
    // Deleting a run or discarding unsaved changes asks with confirm(): say yes.
    page.on('dialog', (d) => void d.accept());
    await page.goto(server.url);
    // Loaded: the designer shows the project's network (expect.poll is for tests, not hooks).
    await page.getByRole('region', { name: 'Network canvas' }).waitFor({ timeout: 30_000 });
    return {
      browser,
      server,
      page,
      errors,
      shot: (name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).then(() => undefined),
      close,
    };
  } catch (e) {
    // A lab that never opened leaves no browser, server or build behind.
    await close();
    throw e;
  }
}

/**
 * Opens the lab once before a file's tests and closes it after them. Returns a
 * getter: the lab exists only once beforeAll has run.
 */
export function useLab(viewport?: { width: number; height: number }): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await openLab(viewport);
  }, 180_000);
  afterAll(async () => {
    await lab?.close();
  });
  return () => {
    if (!lab) throw new Error('the lab is not open: call useLab() at the top of the test file');
    return lab;
  };
}

/** Shows a view by its tab. */
export async function showView(page: Page, name: 'Designer' | 'Data' | 'Train' | 'Compare' | 'Labs' | 'Report'): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

/**
 * Types a number into a training setting (Train view) and leaves the field. The
 * change goes to the lab on the same socket as the next Start, ahead of it; tests
 * check the run's own step count (its progress bar's maximum) to be sure.
 */
export async function setTrainingNumber(page: Page, name: string, value: number): Promise<void> {
  const field = page.getByRole('spinbutton', { name, exact: true });
  await field.fill(String(value));
  await field.press('Tab');
  await expect.poll(() => field.inputValue()).toBe(String(value));
}

/** Sets a training checkbox (Train view) and waits for the lab to agree. */
export async function setTrainingCheck(page: Page, name: string, on: boolean): Promise<void> {
  const box = page.getByRole('checkbox', { name, exact: true });
  if ((await box.isChecked()) !== on) await box.click();
  await expect.poll(() => box.isChecked()).toBe(on);
}

/** The run list's radio of run `n` ("Run 2: Completed, ..."). */
export function runRadio(page: Page, n: number, state?: string) {
  return page.getByRole('radio', { name: new RegExp(`^Run ${n}: ${state ?? ''}`) });
}

/** Waits until run `n` says Completed in the run list. */
export async function waitForCompleted(page: Page, n: number, timeout = 120_000): Promise<void> {
  await expect.poll(() => runRadio(page, n, 'Completed').count(), { timeout, interval: 250 }).toBe(1);
}

/** Trains the project's network for `steps` steps from the Train view, as a student does, until run `n` completes. */
export async function trainFromTrainView(page: Page, steps: number, n = 1): Promise<void> {
  await showView(page, 'Train');
  await setTrainingNumber(page, 'Steps', steps);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForCompleted(page, n);
}

/** The number of points a live chart says it holds (its figure's data-points). */
export async function chartPoints(page: Page, chart: string): Promise<number> {
  return Number(await page.locator(`figure[data-chart="${chart}"]`).getAttribute('data-points'));
}

/** Waits until an element stops moving (an animated pan or zoom has ended): the same box two frames apart. */
export async function settled(page: Page, locator: Locator): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      await nextFrames(page);
      const box = JSON.stringify(await locator.boundingBox());
      const same = box === last;
      last = box;
      return same;
    })
    .toBe(true);
}

/** Waits for two animation frames, so what was just set has been drawn. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}
