// Every control on every view has a name a screen reader can say, and the main flow
// works from the keyboard alone: build a network from the palette with Tab and
// Enter, select and delete a node on the canvas, switch views with the arrow keys,
// and train. Names are the browser's own (Chromium's accessibility tree through the
// DevTools protocol), not a re-implementation of the naming rules.
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openLab, showView, waitForCompleted, type Lab } from './helpers.ts';

/** Roles of the things a user operates: each one needs a name. */
const CONTROL_ROLES = new Set([
  'button',
  'checkbox',
  'combobox',
  'link',
  'listbox',
  'menuitem',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'tab',
  'textbox',
]);

let lab: Lab;
let page: Page;
let cdp: CDPSession;

beforeAll(async () => {
  lab = await openLab();
  page = lab.page;
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Accessibility.enable');
  await cdp.send('DOM.enable');
}, 180_000);

afterAll(async () => {
  await lab?.close();
});

interface AxNode {
  nodeId: string;
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  properties?: { name: string; value: { value: unknown } }[];
  backendDOMNodeId?: number;
}

/** The element behind an accessibility node, as a short tag with its telling attributes. */
async function describe_(backendNodeId: number | undefined): Promise<string> {
  if (backendNodeId === undefined) return '(no DOM node)';
  const { node } = (await cdp.send('DOM.describeNode', { backendNodeId })) as {
    node: { localName: string; attributes?: string[] };
  };
  const attrs: string[] = [];
  const a = node.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) {
    if (['id', 'class', 'type', 'role', 'data-command', 'data-node-type', 'data-id', 'title', 'for'].includes(a[i])) {
      attrs.push(`${a[i]}="${a[i + 1].slice(0, 60)}"`);
    }
  }
  return `<${node.localName}${attrs.length ? ' ' + attrs.join(' ') : ''}>`;
}

/**
 * Controls shown now (not hidden, not in an aria-hidden panel) that have no
 * accessible name, plus anything in the Tab order without one: a focus stop a
 * screen reader can only call "group" is as lost as an unnamed button.
 */
async function unnamedControls(): Promise<string[]> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  const problems: string[] = [];
  for (const n of nodes) {
    if (n.ignored) continue;
    const role = n.role?.value ?? '';
    const name = (n.name?.value ?? '').trim();
    const focusable = n.properties?.some((p) => p.name === 'focusable' && p.value.value === true) ?? false;
    const hidden = n.properties?.some((p) => p.name === 'hidden' && p.value.value === true) ?? false;
    if (hidden || name !== '') continue;
    // The document itself and Chromium's own focusable root are not controls.
    if (['RootWebArea', 'WebArea', 'rootWebArea'].includes(role)) continue;
    if (CONTROL_ROLES.has(role) || focusable) problems.push(`${role || '(no role)'}${focusable ? ' (focusable)' : ''}: ${await describe_(n.backendDOMNodeId)}`);
  }
  return [...new Set(problems)];
}

/** Presses Tab (or Shift+Tab) until the focused element's accessible name is `name`. */
async function tabTo(name: string | RegExp, { back = false, max = 60 } = {}): Promise<number> {
  for (let i = 0; i <= max; i++) {
    const focused = await focusedName();
    if (typeof name === 'string' ? focused === name : name.test(focused)) return i;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached "${name}" (last: "${await focusedName()}")`);
}

/** The accessible name of the focused element, as Chromium computes it. */
async function focusedName(): Promise<string> {
  const { result } = (await cdp.send('Runtime.evaluate', { expression: 'document.activeElement' })) as {
    result: { objectId?: string };
  };
  if (!result.objectId) return '';
  const { nodes } = (await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false })) as {
    nodes: AxNode[];
  };
  return (nodes[0]?.name?.value ?? '').trim();
}

const canvas = () => page.getByRole('region', { name: 'Network canvas' });
const problems = () => page.getByRole('region', { name: 'Problems' });

describe('keyboard', () => {
  it('builds a network from the palette with Tab and Enter: each new layer follows the selected one', async () => {
    // New project, from the header's New button.
    await page.locator('body').focus();
    await tabTo('New');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('textbox', { name: 'Project name' }).inputValue()).toBe('Untitled');

    // Clear the canvas with its shortcuts: Ctrl+A selects everything, Delete removes it.
    await tabTo('Network canvas');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await expect.poll(() => canvas().getByRole('group', { name: /^(Input|Dense|Sigmoid) \S+,/ }).count()).toBe(0);

    // The palette: Enter adds a node after the selected one, so a chain needs no wiring.
    const chain = ['Add Input', 'Add Dense', 'Add Tanh', 'Add Dense', 'Add Tanh', 'Add Dense'];
    await tabTo('Add Input', { back: true });
    for (const [i, item] of chain.entries()) {
      const back = i > 0 && chain.indexOf(item) < chain.indexOf(chain[i - 1]);
      await tabTo(item, { back });
      await page.keyboard.press('Enter');
      await expect.poll(() => canvas().getByRole('group', { name: /^(Input|Dense|Tanh) \S+,/ }).count()).toBe(i + 1);
    }
    await page.getByRole('group', { name: /^Edge from tanh2 to dense3,/ }).waitFor();

    // The last layer is selected: its inspector sets the output width (3 classes).
    await tabTo('units');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('3');
    await page.keyboard.press('Tab');
    await expect.poll(() => problems().textContent()).toMatch(/The network is valid/);
    await lab.shot('a11y-keyboard-built');
  }, 60_000);

  it('selects a node on the canvas with Tab and Enter, and Delete removes it (Ctrl+Z brings it back)', async () => {
    await tabTo('Network canvas', { back: true });
    await tabTo(/^Tanh tanh1/);
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Properties of tanh1' }).waitFor();
    await page.keyboard.press('Delete');
    await expect.poll(() => canvas().getByRole('group', { name: /^Tanh tanh1,/ }).count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => canvas().getByRole('group', { name: /^Tanh tanh1,/ }).count()).toBe(1);
    await expect.poll(() => problems().textContent()).toMatch(/The network is valid/);
  });

  it('reaches Train with the arrow keys on the view tabs and starts a run from the keyboard', async () => {
    await page.locator('body').focus();
    await tabTo('Designer');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected')).toBe('true');
    await tabTo('Steps');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('40');
    await page.keyboard.press('Tab');
    await tabTo('Start', { back: true });
    await page.keyboard.press('Enter');
    await waitForCompleted(page, 1, 60_000);
    expect(await page.getByRole('progressbar', { name: 'Progress of Run 1' }).getAttribute('aria-valuemax')).toBe('40');
  }, 90_000);
});

describe('every control has an accessible name', () => {
  it('Designer: toolbar, palette, canvas, inspector of a selected node, templates', async () => {
    await showView(page, 'Designer');
    expect(await unnamedControls(), 'with nothing selected').toEqual([]);
    // The keyboard tests above left the view on the last node they added, at a readable zoom.
    await page.getByRole('button', { name: 'Fit the network in view' }).click();
    await page.getByRole('group', { name: /^Dense dense1,/ }).click();
    await page.getByRole('form', { name: 'Properties of dense1' }).waitFor();
    expect(await unnamedControls(), 'with dense1 selected').toEqual([]);
    await page.getByRole('button', { name: 'Templates…' }).click();
    await page.getByRole('form', { name: 'Start from a template' }).waitFor();
    expect(await unnamedControls(), 'with the templates open').toEqual([]);
    await page.getByRole('button', { name: 'Templates…' }).click();
  });

  it('Data', async () => {
    await showView(page, 'Data');
    await page.getByRole('combobox', { name: 'Built-in data set' }).waitFor();
    expect(await unnamedControls()).toEqual([]);
  });

  it('Train: controls, runs, settings and every chart group', async () => {
    await showView(page, 'Train');
    await page.getByRole('radio', { name: /^Run 1:/ }).waitFor();
    expect(await unnamedControls(), 'Train').toEqual([]);
    const groups = page.getByRole('tablist', { name: 'Chart groups' }).getByRole('tab');
    const count = await groups.count();
    for (let i = 0; i < count; i++) {
      const tab = groups.nth(i);
      const label = (await tab.textContent())?.trim() ?? `#${i}`;
      await tab.click();
      await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
      expect(await unnamedControls(), `chart group ${label}`).toEqual([]);
    }
    await groups.first().click();
  }, 60_000);

  it('Compare: picker, run cards and the duplicate form', async () => {
    await showView(page, 'Compare');
    expect(await unnamedControls(), 'Compare').toEqual([]);
    await page.getByRole('button', { name: 'Duplicate Run 1 with a change' }).click();
    await page.getByRole('form', { name: 'Duplicate Run 1 with a change' }).waitFor();
    expect(await unnamedControls(), 'with the duplicate form open').toEqual([]);
  });

  it('logged no page errors', () => {
    expect(lab.errors).toEqual([]);
  });
});
