import { describe, expect, it } from 'vitest';

import { INIT_SCHEMES, MAX_FEATURES, NODE_TYPE_LIST, NODE_TYPES } from '../../../core/network/spec.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import { NODE_DESCRIPTIONS, defaultParams, paletteGroups } from '../../../renderer/src/designer/catalog.ts';
import { paramFields, parseNumberInput, type NumberField } from '../../../renderer/src/designer/paramFields.ts';

describe('inspector fields from the schema', () => {
  it('dense: integer units with the schema bounds, optional in_features, a bias checkbox, an init select', () => {
    const [units, inFeatures, bias, init, scale] = paramFields('dense');
    expect(units).toMatchObject({ key: 'units', kind: 'number', integer: true, min: 1, max: MAX_FEATURES, optional: false });
    expect(inFeatures).toMatchObject({ key: 'in_features', kind: 'number', optional: true });
    expect(bias).toMatchObject({ key: 'bias', kind: 'boolean', default: true });
    expect(init).toMatchObject({ key: 'init', kind: 'select', options: INIT_SCHEMES, default: 'xavier_uniform' });
    expect(scale).toMatchObject({ key: 'init_scale', kind: 'number', integer: false, min: 0, default: 1 });
  });

  it('keeps exclusive bounds: eps > 0, dropout p < 1', () => {
    const eps = paramFields('batchnorm').find((f) => f.key === 'eps') as NumberField;
    expect(eps.min).toBe(0);
    expect(eps.minInclusive).toBe(false);
    const p = paramFields('dropout')[0] as NumberField;
    expect(p).toMatchObject({ min: 0, max: 1, minInclusive: true, maxInclusive: false });
  });

  it('every param of every node type has a field (and help text)', () => {
    for (const type of NODE_TYPE_LIST) {
      const fields = paramFields(type);
      expect(fields.map((f) => f.key)).toEqual(NODE_TYPES[type].paramKeys);
      for (const f of fields) expect(f.help, `${type}.${f.key}`).not.toBe('');
    }
  });

  it('reads number text: empty optional removes the key, empty required or junk is refused', () => {
    const [units, inFeatures] = paramFields('dense') as NumberField[];
    expect(parseNumberInput('', inFeatures)).toEqual({ ok: true, value: undefined });
    expect(parseNumberInput('', units)).toEqual({ ok: false, message: 'units needs a value' });
    expect(parseNumberInput(' 64 ', units)).toEqual({ ok: true, value: 64 });
    expect(parseNumberInput('0', units)).toEqual({ ok: true, value: 0 }); // the engine names this one
  });
});

describe('node catalog', () => {
  it('the palette lists every node type exactly once, each with a description', () => {
    const listed = paletteGroups().flatMap((g) => g.types);
    expect([...listed].sort()).toEqual([...NODE_TYPE_LIST].sort());
    for (const t of NODE_TYPE_LIST) expect(NODE_DESCRIPTIONS[t].length).toBeGreaterThan(10);
  });

  it('a new node of any type validates in a chain (default params are accepted by the schema)', () => {
    for (const type of NODE_TYPE_LIST) {
      if (type === 'input' || type === 'add') continue;
      const recurrent = type === 'rnn' || type === 'lstm' || type === 'gru';
      const spec = {
        format: 'vglab-network/1',
        nodes: [
          { id: 'x', type: 'input', params: { ...defaultParams('input'), ...(recurrent ? { sequence_length: 4 } : {}) } },
          { id: 'n', type, params: defaultParams(type) },
        ],
        edges: [{ from: 'x', to: 'n' }],
        loss: { type: 'mse' },
      };
      const result = validateNetwork(spec);
      expect(result.ok, `${type}: ${result.ok ? '' : result.errors[0].message}`).toBe(true);
    }
  });
});
