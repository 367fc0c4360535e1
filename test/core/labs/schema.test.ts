// The lab format: the bundled labs load, and a broken lab is refused with messages
// that name the field, so an author can go straight to it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadLab, isLabDocument } from '../../../core/labs/load.ts';
import { labPresets, presetNetwork } from '../../../core/labs/presets.ts';

const LABS = resolve(__dirname, '..', '..', '..', 'labs');
const labFiles = readdirSync(LABS).filter((f) => f.endsWith('.json'));

/** A small valid lab; tests break one field at a time. */
function minimal(): Record<string, any> {
  return {
    format: 'vglab-lab/1',
    id: 'mini',
    title: 'Mini lab',
    summary: 'A lab for tests.',
    objectives: ['See something.'],
    steps: [
      {
        text: 'Train the deep one.',
        preset: {
          id: 'deep',
          network: { template: 'deep_sigmoid', options: { depth: 4, width: 8 } },
          dataset: { name: 'spiral', options: { n: 100 } },
          settings: { optimizer: { type: 'adam', lr: 0.01 }, steps: 20 },
        },
      },
    ],
    questions: [{ id: 'q1', prompt: 'Why?', answer: 'Because.' }],
    checkpoints: [
      {
        id: 'c1',
        description: 'It vanishes.',
        presets: ['deep'],
        condition: { all: [{ kind: 'gradientRatio', below: 1e-3 }, { kind: 'loss', after: 10, window: 5, above: 0.6 }] },
        expect: { deep: 'pass' },
      },
    ],
  };
}

function errorsOf(doc: unknown): string[] {
  const r = loadLab(JSON.stringify(doc));
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map((e) => e.message);
}

describe('loadLab', () => {
  it('finds the seven bundled labs', () => {
    expect(labFiles).toHaveLength(7);
  });

  it.each(labFiles)('loads the bundled lab %s, every preset resolving to a valid network', (file) => {
    const r = loadLab(readFileSync(join(LABS, file), 'utf8'));
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const lab = r.lab;
    expect(lab.steps.length).toBeGreaterThanOrEqual(3);
    expect(lab.steps.length).toBeLessThanOrEqual(6);
    expect(lab.questions.length).toBeGreaterThanOrEqual(2);
    expect(lab.questions.length).toBeLessThanOrEqual(4);
    for (const q of lab.questions) expect(q.answer).toBeTruthy();
    for (const p of labPresets(lab)) expect(presetNetwork(lab, p.id)?.format).toBe('vglab-network/1');
    // Each lab shows both sides: some checkpoint is expected to pass on a preset and some to fail.
    const expectations = lab.checkpoints.flatMap((c) => Object.values(c.expect ?? {}));
    expect(expectations).toContain('pass');
    expect(expectations).toContain('fail');
  });

  it('accepts a minimal lab and fills in the defaults', () => {
    const r = loadLab(minimal());
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    expect(r.lab.language).toBe('en');
    const cond = r.lab.checkpoints[0].condition as { all: Record<string, unknown>[] };
    expect(cond.all[0]).toMatchObject({ at: 'first', numerator: 'firstHidden', denominator: 'lastHidden', metric: 'weight' });
    expect(presetNetwork(r.lab, 0)?.nodes).toHaveLength(1 + 2 * 4 + 1);
  });

  it('takes a full network spec as a preset', () => {
    const doc = minimal();
    doc.steps[0].preset.network = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'fixtures', 'deep-sigmoid.json'), 'utf8'));
    doc.checkpoints[0].condition = { kind: 'gradientRatio', numerator: 'd1', denominator: 'd5', below: 1 };
    const r = loadLab(doc);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  });

  it('edits a template: activation swap (renamed nodes), params by type and by id, and a diagnosis fix', () => {
    const doc = minimal();
    doc.steps[0].preset.network = {
      template: 'deep_relu_he',
      options: { depth: 3, width: 8 },
      activation: 'elu',
      params: { dense: { init_scale: 0.5 }, logits: { init_scale: 1 } },
      fixes: ['batchnorm'],
    };
    const r = loadLab(doc);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const spec = presetNetwork(r.lab, 'deep')!;
    expect(spec.nodes.filter((n) => n.type === 'elu').map((n) => n.id)).toEqual(['elu1', 'elu2', 'elu3']);
    expect(spec.nodes.filter((n) => n.type === 'batchnorm')).toHaveLength(3);
    const dense1 = spec.nodes.find((n) => n.id === 'dense1') as { params: { init_scale: number } };
    const logits = spec.nodes.find((n) => n.id === 'logits') as { params: { init_scale: number } };
    expect([dense1.params.init_scale, logits.params.init_scale]).toEqual([0.5, 1]);
  });

  it('tells a lab apart from other files by its format', () => {
    expect(isLabDocument(minimal())).toBe(true);
    expect(isLabDocument({ format: 'vglab-network/1' })).toBe(false);
    expect(isLabDocument(null)).toBe(false);
  });
});

describe('loadLab refuses a broken lab, naming the field', () => {
  it.each([
    ['a bad learning rate', (d: any) => (d.steps[0].preset.settings.optimizer.lr = -1), /^steps\[0\]\.preset\.settings\.optimizer\.lr must be a positive number/],
    ['an unknown template', (d: any) => (d.steps[0].preset.network.template = 'deep_magic'), /steps\[0\]\.preset\.network\.template must be one of deep_sigmoid/],
    ['an unknown data set', (d: any) => (d.steps[0].preset.dataset.name = 'mnist'), /steps\[0\]\.preset\.dataset\.name must be one of/],
    ['a missing title', (d: any) => delete d.title, /^title is missing/],
    ['an empty objective', (d: any) => (d.objectives = ['  ']), /^objectives\[0\] must not be empty/],
    ['an unknown field', (d: any) => (d.teacher = true), /unknown field "teacher" in the lab/],
    ['an unknown condition kind', (d: any) => (d.checkpoints[0].condition = { kind: 'gradientMagic' }), /^checkpoints\[0\]\.condition\.kind must be one of gradientRatio/],
    ['a condition without a threshold', (d: any) => (d.checkpoints[0].condition = { kind: 'lossRatio', after: 5 }), /^checkpoints\[0\]\.condition needs a threshold: "below", "above" or both/],
    ['a bad field inside a combinator', (d: any) => (d.checkpoints[0].condition.all[1].after = -3), /^checkpoints\[0\]\.condition\.all\[1\]\.after must be a whole number, 0 or more/],
    ['a checkpoint naming no preset of the lab', (d: any) => (d.checkpoints[0].presets = ['shallow']), /^checkpoints\[0\]\.presets\[0\] names no preset of this lab \("shallow"\)/],
    ['an expectation for a preset the checkpoint does not judge', (d: any) => (d.checkpoints[0].expect = { other: 'pass' }), /^checkpoints\[0\]\.expect\.other "other" is not one of this checkpoint's presets/],
    ['a layer the network lacks', (d: any) => (d.checkpoints[0].condition = { kind: 'gradientRatio', numerator: 'dense9', below: 1 }), /^checkpoints\[0\]\.condition\.numerator names node "dense9", which the network of preset "deep" does not have/],
    ['twice the same question id', (d: any) => d.questions.push({ id: 'q1', prompt: 'Again?' }), /^questions\[1\]\.id "q1" is used twice/],
    ['a template edit that breaks the network', (d: any) => (d.steps[0].preset.network.params = { dense: { units: 0 } }), /^steps\[0\]\.preset\.network: node "dense1": units must be a positive integer/],
    ['a newer format', (d: any) => (d.format = 'vglab-lab/2'), /^format is "vglab-lab\/2"; this version reads "vglab-lab\/1"/],
  ])('%s', (_what, breakIt, message) => {
    const doc = minimal();
    breakIt(doc);
    expect(errorsOf(doc).join('\n')).toMatch(message);
  });

  it('refuses combinators nested thousands deep with a message, not a stack overflow', () => {
    const doc = minimal();
    let condition: unknown = { kind: 'diverged', expected: false };
    for (let i = 0; i < 5_000; i++) condition = { all: [condition] };
    doc.checkpoints[0].condition = condition;
    const r = loadLab(doc); // an object: JSON.stringify itself would overflow at this depth
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.errors.map((e) => e.message).join('\n')).toMatch(/^checkpoints\[0\]\.condition nests "all" \/ "any" more than 16 levels deep/);
  });

  it('reports broken JSON with its line and column', () => {
    const r = loadLab('{\n  "format": "vglab-lab/1",\n  "id": \n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toMatch(/not valid JSON at line 4, column 1/);
  });
});
