// The lab report: checkpoint results with a visible pass or fail, charts as SVG,
// answers only in teacher mode, and every text of the lab file escaped — a lab is
// a document someone else wrote, and its text must never run as markup.
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadLab } from '../../../core/labs/load.ts';
import type { LabInput } from '../../../core/labs/schema.ts';
import { renderLabReport } from '../../../electron/labs/labReport.ts';
import { runLab, type LabRunResult } from '../../../electron/labs/runLab.ts';

const INJECTED = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';

const hostile: LabInput = {
  format: 'vglab-lab/1',
  id: 'hostile',
  title: `Lab ${INJECTED}`,
  summary: `Summary ${SCRIPT}`,
  objectives: [`Objective ${INJECTED}`],
  steps: [
    {
      text: `Step ${SCRIPT}`,
      preset: {
        id: 'deep',
        label: `Run ${INJECTED}`,
        network: { template: 'deep_sigmoid', options: { depth: 6, width: 8 } },
        dataset: { name: 'spiral', options: { n: 200 } },
        settings: { optimizer: { type: 'adam', lr: 0.03 }, steps: 60, trace_every: 10 },
      },
    },
  ],
  questions: [{ id: 'q', prompt: `Question ${INJECTED}`, answer: `Answer ${SCRIPT}` }],
  checkpoints: [
    { id: 'vanish', description: `Vanishes ${INJECTED}`, presets: ['deep'], condition: { kind: 'gradientRatio', below: 1e-2 }, expect: { deep: 'pass' } },
    { id: 'learns', description: 'Learns fast', presets: ['deep'], condition: { kind: 'loss', after: 40, window: 20, below: 0.01 }, expect: { deep: 'fail' } },
  ],
  answerKey: `Notes ${INJECTED}`,
};

let result: LabRunResult;

function parse(html: string) {
  const window = new Window();
  window.document.write(html);
  return window.document;
}

beforeAll(async () => {
  const loaded = loadLab(hostile);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  result = await runLab(loaded.lab);
});

describe('renderLabReport', () => {
  it('escapes every text of the lab: no injected element or script survives', () => {
    for (const teacher of [false, true]) {
      const html = renderLabReport(result, { teacher });
      expect(html).not.toContain('<img');
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('Lab &lt;img src=x onerror=alert(1)&gt;');
      // Parsed as a browser would: the injected markup is text, not elements.
      const doc = parse(html);
      expect(doc.querySelectorAll('img, script')).toHaveLength(0);
      expect(doc.querySelector('h1')?.textContent).toBe(`Lab ${INJECTED}`);
    }
  });

  it('shows each checkpoint with a visible pass or fail and its explanation', () => {
    const html = renderLabReport(result);
    expect(html).toMatch(/class="badge pass">✔ Passed/);
    expect(html).toMatch(/class="badge fail">✘ Failed/);
    expect(html).toContain('1 of 2 passed');
    expect(html).toContain('Vanishes &lt;img');
    expect(html).toMatch(/weight gradient of &quot;dense1&quot;/);
  });

  it('draws the run\'s charts as inline SVG', () => {
    expect(renderLabReport(result).match(/<svg[\s>]/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
  });

  it('draws each preset\'s network and forbids scripts with a content policy', () => {
    const doc = parse(renderLabReport(result));
    const diagram = doc.querySelector('figure.network svg');
    expect(diagram).not.toBeNull();
    const boxes = [...diagram!.querySelectorAll('g.node')].map((g) => g.getAttribute('data-node-id'));
    expect(boxes).toEqual(expect.arrayContaining(result.runs[0].run.spec.nodes.map((n) => n.id)));
    const policy = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/script-src/);
  });

  it('keeps answers and the teacher\'s notes for teacher mode', () => {
    const student = renderLabReport(result);
    expect(student).toContain('Question &lt;img');
    expect(student).not.toContain('Answer &lt;script');
    expect(student).not.toContain('Notes &lt;img');
    const teacher = renderLabReport(result, { teacher: true });
    expect(teacher).toContain('Answer &lt;script&gt;alert(2)&lt;/script&gt;');
    expect(teacher).toContain('Notes &lt;img');
  });
});
