// The student's main flow, with the mouse: start a new project, clear its network,
// drag a 6-layer sigmoid MLP together from the palette and wire it by dragging from
// each card's output handle to the next card's input handle, train it, swap the
// sigmoids for ReLUs, train again and compare the two runs. Real server, real
// engine, real Chromium; screenshots of each stage land in test-artifacts/.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  chartPoints,
  nextFrames,
  openLab,
  settled,
  runRadio,
  setTrainingNumber,
  showView,
  waitForCompleted,
  type Lab,
} from './helpers.ts';

const DEPTH = 6;
const STEPS = 150;
/** Classes of the new project's data set: the output layer's width. */
const CLASSES = 3;

let lab: Lab;
let page: Page;

beforeAll(async () => {
  lab = await openLab();
  page = lab.page;
}, 180_000);

afterAll(async () => {
  await lab?.close();
});

const canvas = () => page.getByRole('region', { name: 'Network canvas' });
/** A card on the canvas, by its type word and id ("Dense dense3, 32 units, ..."). */
const card = (typeLabel: string, id: string) => page.getByRole('group', { name: new RegExp(`^${typeLabel} ${id},`) });
const edge = (from: string, to: string) => page.getByRole('group', { name: new RegExp(`^Edge from ${from} to ${to},`) });
const problems = () => page.getByRole('region', { name: 'Problems' });

/** The chain in order: [palette button's type label, the id the designer gives it]. */
function chain(activation: string, activationId: string): [string, string][] {
  const nodes: [string, string][] = [['Input', 'input1']];
  for (let i = 1; i <= DEPTH; i++) nodes.push(['Dense', `dense${i}`], [activation, `${activationId}${i}`]);
  nodes.push(['Dense', `dense${DEPTH + 1}`]);
  return nodes;
}

/**
 * Drops land on a grid of 4 columns, row after row. After New, the viewport keeps
 * the zoom that fitted the starter network (cards about 50-80 px wide at this
 * window size), so 220 px between columns leaves room to aim at each handle.
 */
function gridSpot(i: number): { x: number; y: number } {
  return { x: 90 + (i % 4) * 220, y: 70 + Math.floor(i / 4) * 150 };
}

/**
 * Connects two cards with the mouse as a user does: press on the source card's
 * output handle (middle of its right edge), move across, release on the target's
 * input handle (middle of its left edge).
 */
async function dragEdge(from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + a.width + b.x) / 2, (a.y + b.y) / 2 + a.height / 2, { steps: 4 });
  await page.mouse.move(b.x + 1, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
}

/**
 * Selects a card with a click (the inspector then shows it). Adding a node pans it
 * into view, which can push others under the palette: fit the network first, as a
 * user would (Playwright's click waits for the fit's animation to settle).
 */
async function select(typeLabel: string, id: string): Promise<void> {
  await page.getByRole('button', { name: 'Fit the network in view' }).click();
  await card(typeLabel, id).click();
  await page.getByRole('form', { name: `Properties of ${id}` }).waitFor();
}

describe('designing, training and comparing with the mouse', () => {
  it('starts a new project and clears its starter network with Select all and Delete', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Project name' }).inputValue()).toBe('Untitled');
    // The starter network is a 4-layer sigmoid MLP: replacing it by hand is the point of this test.
    await expect.poll(() => canvas().getByRole('group', { name: /^Sigmoid \S+,/ }).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Select all' }).click();
    await page.getByRole('button', { name: 'Delete selection' }).click();
    await expect.poll(() => canvas().getByRole('group', { name: /^(Input|Dense|Sigmoid) \S+,/ }).count()).toBe(0);
    await expect(canvas().getByRole('status').textContent()).resolves.toMatch(/^Deleted \d+ nodes and \d+ edges\.$/);
  });

  it('drags an input, six dense + sigmoid pairs and an output dense from the palette onto the canvas', async () => {
    const nodes = chain('Sigmoid', 'sigmoid');
    for (const [i, [typeLabel, id]] of nodes.entries()) {
      // HTML5 drag and drop (NodePalette's dragstart sets the node type on the DataTransfer;
      // the canvas reads it on drop): Playwright's dragTo drives it with real mouse events.
      await page.getByRole('button', { name: `Add ${typeLabel}`, exact: true }).dragTo(canvas(), { targetPosition: gridSpot(i) });
      await card(typeLabel, id).waitFor();
    }
    expect(await canvas().getByRole('group', { name: /^(Input|Dense|Sigmoid) \S+,/ }).count()).toBe(2 + 2 * DEPTH);
    // Nothing is wired yet: the designer says so.
    await expect.poll(() => problems().getByRole('heading').textContent()).toMatch(/\d+ problems?/);

    // The last card dropped is selected: make it the output layer, one unit per class.
    const units = page.getByRole('form', { name: `Properties of dense${DEPTH + 1}` }).getByRole('spinbutton', { name: 'units' });
    await units.fill(String(CLASSES));
    await units.press('Tab');
    await card('Dense', `dense${DEPTH + 1}`).and(page.getByRole('group', { name: new RegExp(`${CLASSES} units`) })).waitFor();
  }, 60_000);

  it('wires every layer to the next by dragging between handles until the network is valid', async () => {
    // All 13 edges are drawn with the mouse; the inspector's Inputs form (for keyboard
    // users) is exercised later, when the sigmoids are swapped for ReLUs.
    const nodes = chain('Sigmoid', 'sigmoid');
    for (let i = 0; i + 1 < nodes.length; i++) {
      const [fromType, from] = nodes[i];
      const [toType, to] = nodes[i + 1];
      await dragEdge(card(fromType, from), card(toType, to));
      await edge(from, to).waitFor({ timeout: 5_000 });
    }
    await expect.poll(() => problems().textContent()).toMatch(/The network is valid: [\d,]+ trainable parameters\./);
    await expect.poll(() => card('Dense', `dense${DEPTH + 1}`).getAttribute('aria-label')).toMatch(/network output/);
    await page.getByRole('button', { name: 'Fit the network in view' }).click();
    await nextFrames(page);
    await lab.shot('flow-1-designed-sigmoid');
  }, 60_000);

  it('trains the sigmoid network and fills the live charts', async () => {
    await showView(page, 'Train');
    await setTrainingNumber(page, 'Steps', STEPS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await runRadio(page, 1).waitFor();
    // The run was created from the settings just typed.
    expect(await page.getByRole('progressbar', { name: 'Progress of Run 1' }).getAttribute('aria-valuemax')).toBe(String(STEPS));
    await waitForCompleted(page, 1);
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 20_000 }).toBe(STEPS);
    expect(await chartPoints(page, 'layer-norms')).toBeGreaterThan(0);
    // Both charts are drawn: a canvas inside each chart's image.
    for (const name of ['Loss', 'Gradient reaching the layer, per layer']) {
      const figure = page.getByRole('figure', { name, exact: true });
      await expect.poll(() => figure.getByRole('img').locator('canvas').count()).toBeGreaterThan(0);
    }
    await nextFrames(page);
    await lab.shot('flow-2-trained-sigmoid');
  }, 150_000);

  it('swaps each sigmoid for a ReLU, rewiring through the inspector', async () => {
    await showView(page, 'Designer');
    for (let k = 1; k <= DEPTH; k++) {
      // Clicking a palette item adds it after the selected node: sigmoidK -> reluK -> dense(K+1).
      await select('Sigmoid', `sigmoid${k}`);
      await page.getByRole('button', { name: 'Add ReLU', exact: true }).click();
      await edge(`relu${k}`, `dense${k + 1}`).waitFor();
      // Then the sigmoid goes, and denseK feeds the ReLU (the Inputs form, as a keyboard user wires it).
      await select('Sigmoid', `sigmoid${k}`);
      await page.getByRole('button', { name: 'Delete selection' }).click();
      await card('Sigmoid', `sigmoid${k}`).waitFor({ state: 'detached' });
      await select('ReLU', `relu${k}`);
      const connections = page.getByRole('region', { name: `Connections of relu${k}` });
      await connections.getByRole('combobox', { name: 'Add input from' }).selectOption(`dense${k}`);
      await connections.getByRole('button', { name: 'Connect' }).click();
      await edge(`dense${k}`, `relu${k}`).waitFor();
    }
    expect(await canvas().getByRole('group', { name: /^Sigmoid \S+,/ }).count()).toBe(0);
    expect(await canvas().getByRole('group', { name: /^ReLU \S+,/ }).count()).toBe(DEPTH);
    await expect.poll(() => problems().textContent()).toMatch(/The network is valid/);
    await page.getByRole('button', { name: 'Arrange automatically' }).click();
    await expect.poll(() => canvas().getByRole('status').textContent()).toBe('Arranged the network from left to right.');
    await settled(page, card('Input', 'input1')); // the arrange then fits the view, animated
    await lab.shot('flow-3-designed-relu');
  }, 90_000);

  it('trains the ReLU network as a second run', async () => {
    await showView(page, 'Train');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await runRadio(page, 2).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Progress of Run 2' }).getAttribute('aria-valuemax')).toBe(String(STEPS));
    await waitForCompleted(page, 2);
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 20_000 }).toBe(STEPS);
    await nextFrames(page);
    await lab.shot('flow-4-trained-relu');
  }, 150_000);

  it('shows both runs in the Compare view, with the activation as what differs', async () => {
    await showView(page, 'Compare');
    // The two latest runs are picked by default.
    for (const n of [1, 2]) {
      await expect.poll(() => page.getByRole('checkbox', { name: `Compare Run ${n}` }).isChecked(), { timeout: 10_000 }).toBe(true);
      await page.getByRole('article', { name: `Run ${n}` }).waitFor();
    }
    const compared = page.getByRole('region', { name: 'Compared runs' });
    // One loss line per run, and a small multiple of each run's layers.
    await expect.poll(() => chartPoints(page, 'cmp-loss'), { timeout: 20_000 }).toBe(2);
    for (const n of [1, 2]) await compared.getByRole('figure', { name: `Run ${n}`, exact: true }).getByRole('img').waitFor();
    const diff = page.getByRole('region', { name: 'What differs' });
    await expect.poll(() => diff.textContent(), { timeout: 10_000 }).toMatch(/sigmoid/);
    await expect.poll(() => diff.textContent()).toMatch(/relu/);
    await nextFrames(page);
    await lab.shot('flow-5-compare');
  }, 60_000);

  it("trains a third run with Compare's 'Duplicate with a change' and compares it too", async () => {
    // The quicker way to the same kind of experiment: a copy of Run 2 with tanh, in one form.
    await page.getByRole('button', { name: 'Duplicate Run 2 with a change' }).click();
    const form = page.getByRole('form', { name: 'Duplicate Run 2 with a change' });
    await form.getByRole('combobox', { name: 'Hidden activations' }).selectOption('tanh');
    await form.getByRole('button', { name: 'Create and start' }).click();
    // The copy is labelled after its change ("Run 2 (tanh)") and joins the comparison.
    const copy = page.getByRole('article', { name: 'Run 2 (tanh)' });
    await copy.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByRole('checkbox', { name: 'Compare Run 2 (tanh)' }).isChecked()).toBe(true);
    await expect.poll(() => copy.textContent(), { timeout: 60_000 }).toMatch(/Completed/);
    await expect.poll(() => chartPoints(page, 'cmp-loss'), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.getByRole('region', { name: 'What differs' }).textContent()).toMatch(/tanh/);
    await nextFrames(page);
    await lab.shot('flow-6-compare-duplicate');
  }, 90_000);

  it('logged no page errors', () => {
    expect(lab.errors).toEqual([]);
  });
});
