// Electronegativity over electron/ as part of `npm test` (scripts/electronegativity.mjs):
// every finding must carry a justification comment beside the code, and the gate
// itself must bite, which a scan of a deliberately insecure TypeScript file shows
// (and with it that the tool parses our .ts sources rather than skipping them).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'electronegativity.mjs');
const run = promisify(execFile);

interface Finding {
  check: string;
  file: string;
  line: number;
  justification: string | null;
}
interface Report {
  checks: number;
  electronVersion: string;
  findings: Finding[];
  unjustified: Finding[];
  unusedMarkers: { file: string; line: number; check: string }[];
  parseErrors: { file: string; message: string }[];
}

async function scan(input?: string): Promise<{ code: number; report: Report }> {
  const args = [SCRIPT, '--json', ...(input ? ['--input', input] : [])];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 60_000 });
    return { code: 0, report: JSON.parse(stdout) as Report };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number' || !err.stdout) throw new Error(`the scan failed: ${err.stderr ?? String(e)}`);
    return { code: err.code, report: JSON.parse(err.stdout) as Report };
  }
}

const temp = mkdtempSync(join(tmpdir(), 'vglab-eneg-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('electronegativity over electron/', () => {
  it('finds nothing that is not justified beside the code, with every check loaded and Electron 45 named', async () => {
    const { code, report } = await scan();
    expect(report.parseErrors).toEqual([]);
    expect(report.unjustified).toEqual([]);
    expect(report.unusedMarkers).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks).toBeGreaterThan(30);
    expect(report.electronVersion).toMatch(/^45\./);
    for (const f of report.findings) expect(f.justification!.length, `${f.check} at ${f.file}:${f.line}`).toBeGreaterThan(20);
  });

  it('fails on an insecure TypeScript window, and on a marker that excuses nothing', async () => {
    const dir = join(temp, 'insecure');
    rmSync(dir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { BrowserWindow, shell } from 'electron';",
        'interface Opts { url: string }',
        'export function open(o: Opts): BrowserWindow {',
        '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });',
        "  win.webContents.on('new-window', (_e: unknown, url: string) => void shell.openExternal(url));",
        '  void win.loadURL(o.url);',
        '  return win;',
        '}',
        '// electronegativity-ignore: EXPERIMENTAL_FEATURES_JS_CHECK — nothing here uses it',
        'export const unused = 1;',
        '',
      ].join('\n'),
    );
    const { code, report } = await scan(dir);
    expect(code).toBe(1);
    const checks = report.unjustified.map((f) => f.check);
    expect(checks).toEqual(expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK']));
    expect(report.unusedMarkers).toEqual([expect.objectContaining({ check: 'EXPERIMENTAL_FEATURES_JS_CHECK', line: 9 })]);
  });
});
