// Runs the addon's property cases (properties.cases.ts: about 10,000 random and
// adversarial specs, data shapes, CSV bytes and call orders) in a child vitest
// process, and asserts that it exits cleanly. A native crash would otherwise kill the
// shared worker with nothing but "Worker exited unexpectedly"; here it fails with the
// child's signal, its output (a sanitizer report, when built with one) and the case
// that was running.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

import { describe, expect, it } from 'vitest';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const CONFIG = join(HERE, 'properties.vitest.config.ts');

function parentEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
}

describe('property tests of the addon', () => {
  it('hold in a child process that exits cleanly', () => {
    const work = mkdtempSync(join(tmpdir(), 'vglab-properties-'));
    const lastCase = join(work, 'last-case.txt');
    try {
      const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
      const child = spawnSync(process.execPath, [vitest, 'run', '--config', CONFIG, '--reporter=verbose'], {
        cwd: ROOT,
        env: { ...parentEnv(), VGLAB_PROPERTIES_LAST_CASE: lastCase },
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
        timeout: 170_000,
      });
      if (child.status !== 0) {
        const crashed = /Worker exited unexpectedly/.test(child.stderr ?? '')
          ? ' because its test worker died: a native crash (see stderr for a sanitizer report or signal)'
          : '';
        const died = (child.signal ? `was killed by ${child.signal}` : `exited with status ${child.status}`) + crashed;
        const running = existsSync(lastCase) ? readFileSync(lastCase, 'utf8') : '(none recorded)';
        throw new Error(
          `the property run ${died}${child.error ? ` (${child.error.message})` : ''}.\n` +
            `Last case started: ${running}\n--- stdout (tail) ---\n${(child.stdout ?? '').slice(-8000)}\n` +
            `--- stderr (tail) ---\n${(child.stderr ?? '').slice(-8000)}`,
        );
      }
      // Everything in the child ran and passed (a filter mistake would otherwise pass silently).
      expect(stripVTControlCharacters(child.stdout)).toMatch(/Tests\s+8 passed \(8\)/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
