// Lab locks in a real browser against the real server: a lab file that locks the
// network and the settings makes the designer's palette and the training settings
// unusable under banners that name the lab; "Leave the lab" gives them back. The
// bundled lab 3 limits the palette to its layer types. Screenshots land in
// test-artifacts/ for a person to look at.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO } from './labServer.ts';
import { openLab, showView, type Lab } from './helpers.ts';

let lab: Lab;

beforeAll(async () => {
  lab = await openLab();
}, 240_000);

afterAll(async () => {
  await lab?.close();
});

describe('lab locks in the browser', () => {
  it('a lab that locks the network and the settings disables the designer and the settings until it is left', async () => {
    const { page } = lab;
    const own = JSON.parse(readFileSync(join(REPO, 'labs', '01-see-the-vanishing.json'), 'utf8'));
    own.id = 'locked-lab';
    own.title = 'Locked lab';
    own.locks = { network: 'readonly', settings: 'readonly' };
    await showView(page, 'Labs');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open lab file…' }).click();
    await (await chooser).setFiles({ name: 'locked.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(own)) });
    await page.getByRole('heading', { name: 'Locked lab' }).waitFor();

    await showView(page, 'Designer');
    const banner = page.getByRole('note', { name: 'Lab lock: network' });
    await expect.poll(() => banner.textContent()).toContain('The lab “Locked lab” locks the network');
    await expect.poll(() => page.getByRole('button', { name: 'Add Dense' }).isDisabled()).toBe(true);
    await lab.shot('lab-locks-designer');

    await showView(page, 'Train');
    await expect.poll(() => page.getByRole('note', { name: 'Lab lock: settings' }).textContent()).toContain('locks the training settings');
    await expect.poll(() => page.getByRole('spinbutton', { name: /Learning rate/ }).isDisabled()).toBe(true);
    await lab.shot('lab-locks-settings');

    await page.getByRole('note', { name: 'Lab lock: settings' }).getByRole('button', { name: 'Leave the lab' }).click();
    await expect.poll(() => page.getByRole('spinbutton', { name: /Learning rate/ }).isDisabled()).toBe(false);
    await showView(page, 'Designer');
    await expect.poll(() => page.getByRole('button', { name: 'Add Dense' }).isDisabled()).toBe(false);
    expect(await page.getByRole('note', { name: 'Lab lock: network' }).count()).toBe(0);
  });

  it('bundled lab 3 offers only its layer types in the palette', async () => {
    const { page } = lab;
    await showView(page, 'Labs');
    await page.getByRole('button', { name: /^Open Lab 3/ }).click();
    await showView(page, 'Designer');
    await expect.poll(() => page.getByRole('note', { name: 'Lab lock: network' }).textContent()).toContain('allows only Input, Dense');
    await expect.poll(() => page.getByRole('button', { name: 'Add LSTM' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add ReLU' }).count()).toBe(1);
    await lab.shot('lab-locks-palette');
    expect(lab.errors).toEqual([]);
  });
});
