#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security linter) over electron/, as a CI
// gate. The tool itself always exits 0, so this script reads its findings and fails
// when one is not justified in a comment beside the code it points at:
//
//   // electronegativity-ignore: CHECK_ID[, CHECK_ID...] — why this is safe
//
// on the finding's line or in the comment lines directly above it. The reason is
// required; a marker that matches no finding fails too, so justifications cannot
// outlive the code they excuse.
//
// Why the programmatic API and not `npx electronegativity`: its CLI crashes here
// ("_commander2.default.version is not a function": it resolves our commander 14,
// not the commander 2 it was written for). The API runs the same checks. It parses
// TypeScript itself (the typescript package), so electron/ is scanned as written,
// not a bundle. It would fetch translations and Electron's release list from
// GitHub on every run; 'got' is stubbed so the scan is offline and deterministic.
//
// Usage: node scripts/electronegativity.mjs [--input DIR] [--json] [--csv FILE]
//   --input  folder to scan (default electron/)
//   --json   print one JSON object (findings, unjustified, unused markers) instead of text
//   --csv    also write electronegativity's own CSV report to FILE
// Exit: 0 every finding justified; 1 an unjustified finding, an unused marker, or a
// file it could not parse; 2 the scan itself failed.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const input = resolve(option('--input') ?? join(root, 'electron'));
const asJson = args.includes('--json');
const csvOut = option('--csv');

export const MARKER = /electronegativity-ignore:\s*([A-Z0-9_]+(?:\s*,\s*[A-Z0-9_]+)*)\s*(?:—|–|-{1,2}|:)\s*(\S.*)$/;

/** Stubs the one network client the tool uses (translations, Electron release list). */
function offline() {
  const Module = require('node:module');
  const stubDir = mkdtempSync(join(tmpdir(), 'vglab-eneg-'));
  const stub = join(stubDir, 'got-offline.cjs');
  writeFileSync(
    stub,
    "const no = () => Promise.reject(new Error('offline: electronegativity runs without the network here'));\n" +
      'module.exports = Object.assign(no, { head: no, get: no, default: no });\n',
  );
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'got' ? stub : resolveFilename.call(this, request, ...rest);
  };
  return () => rmSync(stubDir, { recursive: true, force: true });
}

/** The markers of one file: line number (1-based) -> { checks, reason }. */
function markersOf(text) {
  const out = new Map();
  text.split(/\r?\n/).forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) out.set(i + 1, { checks: m[1].split(',').map((c) => c.trim()), reason: m[2].trim() });
  });
  return out;
}

/** The marker lines that cover `line`: the line itself and the comment block right above it. */
function coveringLines(lines, line) {
  const covering = [line];
  for (let l = line - 1; l >= 1; l--) {
    const t = lines[l - 1].trim();
    if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) covering.push(l);
    else break;
  }
  return covering;
}

async function scan() {
  const restore = offline();
  const log = console.log;
  try {
    // The tool prints its "no connectivity" notes through console.log; keep stdout for our report.
    console.log = () => {};
    const run = require('@doyensec/electronegativity/dist/runner.js');
    const electronVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;
    const tmp = csvOut ? resolve(csvOut) : undefined;
    const result = await run({ input, electronVersionOverride: electronVersion, isRelative: false, ...(tmp ? { output: tmp } : {}) });
    return { ...result, electronVersion };
  } finally {
    console.log = log;
    restore();
  }
}

async function main() {
  const result = await scan();
  const files = new Map();
  const fileText = (file) => {
    if (!files.has(file)) {
      const text = readFileSync(file, 'utf8');
      files.set(file, { lines: text.split(/\r?\n/), markers: markersOf(text), used: new Set() });
    }
    return files.get(file);
  };
  const { readdirSync, statSync } = await import('node:fs');
  const walk = (dir) =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : /\.(ts|js|mjs|cjs|tsx|jsx|html)$/.test(n) ? [p] : [];
    });
  const sources = walk(input);
  const findings = result.issues.map((issue) => {
    const base = {
      check: issue.id,
      severity: issue.severity?.name ?? String(issue.severity),
      confidence: issue.confidence?.name ?? String(issue.confidence),
      manualReview: Boolean(issue.manualReview),
    };
    // A global check about the whole app (no navigation limit anywhere, say) names no
    // file ("N/A"): a marker naming it in any scanned file justifies it.
    if (!issue.file || issue.file === 'N/A') {
      for (const file of sources) {
        const f = fileText(file);
        for (const [l, m] of f.markers) {
          if (m.checks.includes(issue.id)) {
            f.used.add(`${l}:${issue.id}`);
            return { ...base, file: 'N/A', line: 0, column: 0, justification: m.reason };
          }
        }
      }
      return { ...base, file: 'N/A', line: 0, column: 0, justification: null };
    }
    const file = resolve(input, issue.file);
    const line = issue.location?.line ?? 0;
    const f = fileText(file);
    let justification = null;
    for (const l of coveringLines(f.lines, line)) {
      const m = f.markers.get(l);
      if (m && m.checks.includes(issue.id)) {
        justification = m.reason;
        f.used.add(`${l}:${issue.id}`);
        break;
      }
    }
    return { ...base, file: relative(root, file), line, column: issue.location?.column ?? 0, justification };
  });
  // Markers anywhere under the input that matched no finding.
  const unused = [];
  for (const file of sources) {
    const f = fileText(file);
    for (const [l, m] of f.markers) {
      for (const check of m.checks) if (!f.used.has(`${l}:${check}`)) unused.push({ file: relative(root, file), line: l, check });
    }
  }
  const unjustified = findings.filter((f) => f.justification === null);
  const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => ({ file: relative(root, e.file), message: e.message }));
  const report = {
    input: relative(root, input) || '.',
    electronVersion: result.electronVersion,
    checks: result.globalChecks + result.atomicChecks,
    findings,
    unjustified,
    unusedMarkers: unused,
    parseErrors,
  };
  const ok = unjustified.length === 0 && unused.length === 0 && parseErrors.length === 0;
  if (asJson) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const at = (f) => `${f.file}:${f.line}:${f.column}`;
    process.stdout.write(`electronegativity: ${report.checks} checks over ${report.input}, Electron ${report.electronVersion}\n`);
    for (const f of findings) {
      process.stdout.write(`  ${f.justification ? 'justified  ' : 'UNJUSTIFIED'} ${f.check} (${f.severity}/${f.confidence}) ${at(f)}${f.justification ? ` — ${f.justification}` : ''}\n`);
    }
    for (const u of unused) process.stdout.write(`  UNUSED MARKER ${u.check} at ${u.file}:${u.line} (no such finding there)\n`);
    for (const e of parseErrors) process.stdout.write(`  PARSE ERROR ${e.file}: ${e.message}\n`);
    process.stdout.write(ok ? 'electronegativity: every finding is justified\n' : 'electronegativity: FAILED\n');
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`electronegativity: the scan failed: ${e?.stack ?? e}\n`);
  process.exitCode = 2;
});
