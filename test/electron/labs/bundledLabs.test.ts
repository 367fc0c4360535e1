// Every bundled lab, run headless with the real addon exactly as `vglab run` runs
// it: each checkpoint passes on the presets its author marked "pass" and fails on
// those marked "fail". A lab whose broken network starts to pass by accident (or
// whose fix stops working) fails here, naming the checkpoint and the preset.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadLab } from '../../../core/labs/load.ts';
import { runLab } from '../../../electron/labs/runLab.ts';

const LABS = resolve(__dirname, '..', '..', '..', 'labs');
const files = readdirSync(LABS).filter((f) => f.endsWith('.json'));

describe('bundled labs', () => {
  it.each(files)('%s: every checkpoint meets its expectation on every preset', async (file) => {
    const loaded = loadLab(readFileSync(join(LABS, file), 'utf8'));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const lab = loaded.lab;
    const result = await runLab(lab);

    // The author marked every preset of every checkpoint, so nothing is judged untested.
    for (const cp of lab.checkpoints) expect(Object.keys(cp.expect ?? {}).sort(), cp.id).toEqual([...cp.presets].sort());
    const wrong = result.checkpoints
      .filter((r) => r.passed !== (r.expected === 'pass'))
      .map((r) => `${r.checkpointId} on ${r.presetId}: expected ${r.expected}, got ${r.passed ? 'pass' : 'fail'} — ${r.explanation}`);
    expect(wrong).toEqual([]);
    // Presets are small enough for a classroom laptop: the training of a whole lab takes seconds.
    expect(result.millis).toBeLessThan(30_000);
  });
});
