/** `vglab reference CASE.json [--check]` */
import { readFileSync } from 'node:fs';

import { checkReferenceCase, evaluateReferenceCase, parseCase, ReferenceInputError } from '../engine/reference.ts';
import { loadAddon } from '../engine/addon.ts';
import { exitWith } from './exit.ts';

export function referenceCommand(path: string, options: { check?: boolean }): void {
  exitWith(() => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ReferenceInputError(`cannot read ${path}: ${(e as Error).message}`);
    }
    const rc = parseCase(json);
    if (!options.check) {
      const actual = evaluateReferenceCase(rc);
      // Only the keys of `expected`: the running statistics are checked with --check.
      const { running_stats: _stats, ...printed } = actual;
      process.stdout.write(`${JSON.stringify(printed)}\n`);
      return 0;
    }
    const { comparison } = checkReferenceCase(rc);
    process.stdout.write(
      `${JSON.stringify({ case: rc.name, pass: comparison.pass, worst_ratio: comparison.worstRatio, isa: loadAddon().isa(), failures: comparison.failures })}\n`,
    );
    return comparison.pass ? 0 : 1;
  }, ReferenceInputError);
}
