import { describe, expect, it } from 'vitest';

import type { NetworkSpec } from '../../../core/network/spec.ts';
import { allocateTraceColumns, type TraceColumns } from '../../../core/traces/metrics.ts';
import { validateTrainingSettings } from '../../../core/training/settings.ts';
import { escapeHtml, firstLastGradientRatio, renderProjectReport, renderRunReport, REPORT_CSP } from '../../../electron/report/htmlReport.ts';
import { renderSvg } from '../../../electron/report/svg.ts';
import { lossOption } from '../../../core/charts/traceCharts.ts';
import { residualMlp } from '../../../core/network/templates.ts';
import { Window } from 'happy-dom';

const EVIL = '<img src=x onerror=alert(1)>';

function traces(nodeIds: string[], rows: number, recurrent = false): TraceColumns {
  const layouts = recurrent ? [{ nodeId: nodeIds[1], type: 'lstm' as const, time: 5, gates: ['i', 'f', 'g', 'o'] }] : [];
  const cols = allocateTraceColumns(rows, nodeIds, [], false, rows * 10, layouts);
  const n = nodeIds.length;
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    for (let k = 0; k < n; k++) cols.metrics.out_grad_norm[r * n + k] = 10 ** (k - n);
    for (let t = 0; t < 5 && recurrent; t++) cols.recurrent!.metrics.timestep_grad_norm[r * 5 + t] = 0.5 ** (5 - t);
  }
  for (let s = 0; s < rows * 10; s++) cols.metrics.loss[s] = 2 - s / 100;
  return cols;
}

function input(nodeIds: string[], rows: number, recurrent = false) {
  const settings = validateTrainingSettings({ optimizer: { type: 'adam', lr: 0.01 }, steps: Math.max(1, rows * 10) });
  if (!settings.ok) throw new Error('bad settings');
  const network = {
    format: 'vglab-network/1',
    nodes: nodeIds.map((id, k) => ({ id, type: k === 0 ? 'input' : 'dense', params: {} })),
    edges: [],
    loss: { type: 'mse' },
  } as unknown as NetworkSpec;
  return {
    projectName: `Project ${EVIL}`,
    network,
    settings: settings.settings,
    dataset: { name: 'spiral' as const, options: { n: 100 } },
    result: { steps: rows * 10, stopped: 'completed' },
    traces: traces(nodeIds, rows, recurrent),
  };
}

function svgCount(html: string): number {
  return html.match(/<svg[\s>]/g)?.length ?? 0;
}

describe('renderRunReport', () => {
  it('is one self-contained page with the charts as inline SVG', () => {
    const html = renderRunReport(input(['x', 'd0', 'd1', 'out'], 6));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // the network diagram; loss, per-layer norms, the vanishing profile at the first and at the last traced step
    expect(svgCount(html)).toBe(5);
    expect(html.match(/<\/svg>/g)).toHaveLength(5);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|@import|src=["']?https?:/i);
  });

  it('adds the gradient through time of each recurrent node', () => {
    expect(svgCount(renderRunReport(input(['x', 'lstm', 'out'], 3, true)))).toBe(7);
  });

  it('escapes node ids and names everywhere, in the tables and inside the SVG', () => {
    const html = renderRunReport(input(['x', EVIL, 'out'], 4));
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<title>Project &lt;img');
  });

  it('summarises the run with the first / last layer gradient ratio', () => {
    const html = renderRunReport(input(['x', 'd0', 'd1', 'out'], 6));
    expect(html).toContain('Steps trained');
    // d0 gets 1e-3, out 1e-1 (the input node is left out): ratio 0.01
    expect(html).toMatch(/first traced step \(0\)<\/th><td>0\.01 \(d0 \/ out\)/);
    expect(html).toMatch(/last traced step \(50\)/);
  });

  it('still renders the loss when no step was traced', () => {
    expect(svgCount(renderRunReport(input(['x', 'out'], 0)))).toBe(2);
  });
});

/** The report parsed as a browser would (happy-dom). */
function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

/** A residual network's run: its diagram shows the skip connections. */
function residualRun(label: string, rows: number) {
  const network = residualMlp({ depth: 2, width: 8 }) as unknown as NetworkSpec;
  const base = input(network.nodes.map((n) => n.id), rows);
  return { ...base, network, label };
}

describe('renderProjectReport', () => {
  it('parses into one section per run, each with its network diagram, node labels and charts', () => {
    const runs = [residualRun('Run 1', 5), residualRun(`Run ${EVIL}`, 3)];
    const doc = parse(renderProjectReport({ projectName: 'Residual study', runs }));
    expect(doc.title).toBe('Residual study — report');
    const sections = Array.from(doc.querySelectorAll('section.run'));
    expect(sections.map((s) => s.querySelector('h2')?.textContent)).toEqual(['Run 1', `Run ${EVIL}`]);
    for (const section of sections) {
      const diagram = section.querySelector('svg.network-diagram');
      expect(diagram).not.toBeNull();
      const labels = Array.from(diagram!.querySelectorAll('g.node text')).map((t) => t.textContent);
      expect(labels).toEqual(expect.arrayContaining(['x', 'stem', 'dense1', 'relu1', 'add1', 'add2', 'logits', 'Dense · 8']));
      expect(diagram!.querySelectorAll('path.edge.skip')).toHaveLength(2);
      // the diagram, then loss, per-layer norms and the two profiles
      expect(section.querySelectorAll('svg')).toHaveLength(5);
    }
    // Each diagram's arrow heads have ids of their own.
    expect(doc.querySelectorAll('#run0-arrow')).toHaveLength(1);
    expect(doc.querySelectorAll('#run1-arrow')).toHaveLength(1);
    expect(doc.querySelectorAll('img, script')).toHaveLength(0);
  });

  it('compares the losses and gradient ratios of two or more runs first', () => {
    const two = parse(renderProjectReport({ projectName: 'p', runs: [residualRun('A', 4), residualRun('B', 4)] }));
    expect(Array.from(two.querySelectorAll('h2')).map((h) => h.textContent)).toEqual(['All runs', 'A', 'B']);
    const compared = Array.from(two.querySelectorAll('body > figure svg'));
    expect(compared).toHaveLength(2);
    expect(compared[0].textContent).toContain('Loss, run by run');
    const one = parse(renderProjectReport({ projectName: 'p', runs: [residualRun('A', 4)] }));
    expect(Array.from(one.querySelectorAll('h2')).map((h) => h.textContent)).toEqual(['A']);
  });

  it('forbids scripts and remote loads with a content security policy', () => {
    const doc = parse(renderRunReport(input(['x', 'out'], 2)));
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(REPORT_CSP);
    expect(REPORT_CSP).toMatch(/default-src 'none'/);
  });
});

describe('report helpers', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('finds the first and last layer with a usable gradient', () => {
    const cols = traces(['x', 'a', 'b'], 2);
    expect(firstLastGradientRatio(cols, 1, new Set(['x']))).toEqual({ first: 'a', last: 'b', ratio: expect.closeTo(0.1, 6) });
    expect(firstLastGradientRatio(traces(['x', 'a'], 1), 0, new Set(['x']))).toBeNull();
  });

  it('renders an option to an SVG string of the asked size', () => {
    const svg = renderSvg(lossOption(traces(['x'], 2)), 320, 200);
    expect(svg).toMatch(/^<svg [^>]*width="320" height="200"/);
  });
});
