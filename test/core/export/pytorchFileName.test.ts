// The PyTorch module's file name is a Python module name, so it imports as saved.
import { describe, expect, it } from 'vitest';

import { pytorchFileName } from '../../../core/export/pytorchFileName.ts';

describe('pytorchFileName', () => {
  it.each([
    ['Run 3', 'run_3.py'],
    ['Sigmoid: 4 layers', 'sigmoid_4_layers.py'],
    ['  ReLU (He init) ', 'relu_he_init.py'],
    ['Café résumé', 'cafe_resume.py'],
    ['3 layers', 'run_3_layers.py'],
    ['深い', 'vglab_net.py'],
    ['', 'vglab_net.py'],
  ])('names %j as %s', (label, name) => {
    expect(pytorchFileName(label)).toBe(name);
    expect(name).toMatch(/^[a-z_][a-z0-9_]*\.py$/);
  });
});
