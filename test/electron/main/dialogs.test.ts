import { describe, expect, it } from 'vitest';

import { defaultSavePath, exportExtension, EXPORT_FILTERS, PROJECT_FILTERS, reportFilters, withExtension } from '../../../electron/main/dialogs.ts';

describe('file dialogs', () => {
  it('filter to .vglab projects', () => {
    expect(PROJECT_FILTERS).toEqual([{ name: 'Vanishing Gradient Lab project', extensions: ['vglab'] }]);
  });

  it('suggest the name in the documents folder, with one extension', () => {
    expect(defaultSavePath('/home/s/Documents', 'Deep sigmoid.vglab', '.vglab')).toBe('/home/s/Documents/Deep sigmoid.vglab');
    expect(defaultSavePath('/home/s/Documents', 'Deep sigmoid', '.vglab')).toBe('/home/s/Documents/Deep sigmoid.vglab');
    expect(defaultSavePath('/d', '  ', '.vglab')).toBe('/d/Untitled.vglab');
  });

  it('add the extension Linux dialogs leave off, keep one the user typed', () => {
    expect(withExtension('/d/lab', '.vglab')).toBe('/d/lab.vglab');
    expect(withExtension('/d/lab.json', '.vglab')).toBe('/d/lab.json');
  });

  it('offer the chosen report format first, and the other one too', () => {
    expect(reportFilters('pdf').map((f) => f.extensions[0])).toEqual(['pdf', 'html']);
    expect(reportFilters('html').map((f) => f.extensions[0])).toEqual(['html', 'pdf']);
  });

  it('save a run export as a .zip of its traces or a .py module, adding the extension when left off', () => {
    expect(EXPORT_FILTERS.zip[0].extensions).toEqual(['zip']);
    expect(EXPORT_FILTERS.python[0].extensions).toEqual(['py']);
    expect(withExtension('/d/run traces', exportExtension('zip'))).toBe('/d/run traces.zip');
    expect(defaultSavePath('/d', 'run_1.py', exportExtension('python'))).toBe('/d/run_1.py');
  });
});
