// The designer on a long chain: the 50-layer sigmoid MLP (102 nodes) from the
// template picker is laid out in rows, "Fit the network in view" keeps its cards
// readable (starting at the input, or at the selection), and the minimap shows the
// whole. Screenshots land in test-artifacts/designer-long-chain-*.png.
import { describe, expect, it } from 'vitest';

import { MIN_FIT_ZOOM } from '../../renderer/src/designer/fitViewport.ts';
import { useLab } from './helpers.ts';

const lab = useLab();
const page = () => lab().page;

const canvas = () => page().getByRole('region', { name: 'Network canvas' });
const card = (typeLabel: string, id: string) => page().getByRole('group', { name: new RegExp(`^${typeLabel} ${id},`) });
const fit = () => page().getByRole('button', { name: 'Fit the network in view' }).click();

/** Whether the card lies wholly inside the canvas. */
async function inView(typeLabel: string, id: string): Promise<boolean> {
  const c = (await canvas().boundingBox())!;
  const b = await card(typeLabel, id).boundingBox();
  return !!b && b.x >= c.x && b.y >= c.y && b.x + b.width <= c.x + c.width && b.y + b.height <= c.y + c.height;
}

/** A dense card's width on screen over its width in the flow: the canvas's zoom. */
async function zoomOf(id: string): Promise<number> {
  const el = card('Dense', id);
  const screen = (await el.boundingBox())!.width;
  const flow = await el.evaluate((e) => (e as HTMLElement).offsetWidth);
  return screen / flow;
}

describe('a 50-layer chain in the designer', () => {
  it("shows a new project's starter network whole, in two rows, at a readable zoom", async () => {
    await page().getByRole('button', { name: 'New', exact: true }).click();
    await card('Dense', 'logits').waitFor();
    await fit();
    await page().waitForTimeout(400); // the fit's animation
    const cards = await canvas().getByRole('group', { name: /^(Input|Dense|Sigmoid) \S+,/ }).all();
    expect(cards.length).toBeGreaterThan(5);
    for (const c of cards) {
      const name = (await c.getAttribute('aria-label'))!.split(',')[0];
      const [typeLabel, id] = name.split(' ');
      expect(await inView(typeLabel, id), name).toBe(true);
    }
    expect(await zoomOf('logits')).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
    await lab().shot('designer-starter-network');
  });

  it('applies the template and fits it at a readable zoom, from the input end', async () => {
    await page().getByRole('button', { name: 'Templates…' }).click();
    const form = page().getByRole('form', { name: 'Start from a template' });
    await form.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'Deep sigmoid MLP' });
    await form.getByRole('slider', { name: /^Hidden layers/ }).press('End');
    await form.getByRole('button', { name: 'Apply (replaces the network)' }).click();
    await card('Dense', 'dense50').waitFor();
    await expect.poll(() => canvas().getByRole('group', { name: /^(Input|Dense|Sigmoid) \S+,/ }).count()).toBe(102);
    await fit();
    await page().waitForTimeout(400); // the fit's animation
    expect(await zoomOf('dense1')).toBeGreaterThanOrEqual(MIN_FIT_ZOOM - 0.01);
    expect(await inView('Input', 'x')).toBe(true);
    // Rows: dense50 is several rows below dense1.
    const first = (await card('Dense', 'dense1').boundingBox())!;
    const later = (await card('Dense', 'dense50').boundingBox())!;
    expect(later.y - first.y).toBeGreaterThan(4 * first.height);
    await expect.poll(() => page().getByLabel('Overview of the network').count()).toBeGreaterThan(0);
    await lab().shot('designer-long-chain-fit');
  });

  it('fits to the selection when the whole does not fit', async () => {
    // Zoom out far enough to reach the last layer, select it, then fit.
    for (let i = 0; i < 6; i++) await page().getByRole('button', { name: 'Zoom out' }).click();
    await page().waitForTimeout(300);
    await card('Dense', 'logits').click();
    await page().getByRole('form', { name: 'Properties of logits' }).waitFor();
    await fit();
    await page().waitForTimeout(400);
    expect(await inView('Dense', 'logits')).toBe(true);
    expect(await zoomOf('logits')).toBeGreaterThanOrEqual(MIN_FIT_ZOOM - 0.01);
    await lab().shot('designer-long-chain-selection');
    expect(lab().errors).toEqual([]);
  });
});
