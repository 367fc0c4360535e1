#!/usr/bin/env node
// Bundles the Electron side into out/electron/ with esbuild:
//   preload.cjs     the sandboxed preload: ONE CommonJS file whose only require is
//                   'electron' (a sandboxed preload can neither be an ES module nor
//                   load files of its own)
//   main.cjs        the main process, with LabService and every JS dependency inlined
//   engineHost.cjs  the engine host a utilityProcess runs, likewise self-contained
// 'electron' and the native addon stay outside; the addon is found at run time
// (electron/engine/addon.ts, VGLAB_ADDON in a packaged app).
//
// CommonJS for main and host too: it is the format Electron loads from an asar in
// every process type. Our sources use import.meta.url; the banner defines it.
//
// Main and host are not minified: stack traces from users' machines should name our
// functions. The preload is: it is parsed on every page load. It imports the zod-free
// name lists (core/api/labMethods.ts, labError.ts), never labApi.ts's values: those
// would bundle zod (~480 KiB) for a file that needs a few strings.
//
// Usage: node scripts/build-electron.mjs [--quiet] [--outdir=DIR]
//   --quiet   no size report
//   --outdir  somewhere else than out/electron (tests build into a temporary folder)
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdirArg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = outdirArg ? resolve(outdirArg.slice('--outdir='.length)) : join(root, 'out', 'electron');

// Electron 45: Chromium 140, Node 22.
const common = {
  bundle: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
};

const nodeSide = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron', '*.node'],
  // import.meta.url of the bundle file itself: the folder it sits in locates the
  // preload, the host, the renderer and (from the repository) the addon.
  define: { 'import.meta.url': '__vglabImportMetaUrl' },
  banner: { js: 'const __vglabImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

mkdirSync(outdir, { recursive: true });

const results = await Promise.all([
  build({
    ...common,
    entryPoints: { preload: 'electron/preload/preload.ts' },
    outExtension: { '.js': '.cjs' },
    outdir,
    // 'browser': a Node built-in sneaking into the preload fails the build here, not at run time.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    minify: true,
  }),
  build({ ...nodeSide, entryPoints: { main: 'electron/main/main.ts' }, outExtension: { '.js': '.cjs' }, outdir }),
  build({ ...nodeSide, entryPoints: { engineHost: 'electron/engineHost/host.ts' }, outExtension: { '.js': '.cjs' }, outdir }),
]);

// The preload must stay one file whose only outside import is 'electron'.
const preloadImports = Object.values(results[0].metafile.outputs)
  .flatMap((o) => o.imports ?? [])
  .filter((i) => i.external)
  .map((i) => i.path);
const foreign = preloadImports.filter((p) => p !== 'electron');
if (foreign.length > 0) {
  console.error(`build-electron: the preload may require only 'electron', not ${foreign.join(', ')}`);
  process.exit(1);
}

if (!process.argv.includes('--quiet')) {
  for (const r of results) {
    for (const [file, out] of Object.entries(r.metafile.outputs)) {
      if (file.endsWith('.map')) continue;
      console.log(`${relative(root, join(root, file))}  ${(out.bytes / 1024).toFixed(0)} KiB`);
    }
  }
}
