// Packaging: the electron-builder configuration (checked with electron-builder's
// own loader and schema, offline), the icon, the bundles, and a real
// `electron-builder --dir` run with a stand-in for the Electron distribution
// (whose binary cannot be downloaded here): what ends up in the app archive.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { NodeHostLauncher } from '../../electron/engineHost/nodeLauncher.ts';

const ROOT = join(import.meta.dirname, '..', '..');
// electron-builder's own modules, reached through it (they are its dependencies, not ours).
const requireFromBuilder = createRequire(createRequire(join(ROOT, 'package.json')).resolve('electron-builder/package.json'));

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { buildResources?: string; output?: string };
  /** electron-builder's loader normalises this to [{ filter: [...] }]. */
  files?: (string | { filter?: string[] })[];
  asarUnpack?: string[];
  npmRebuild?: boolean;
  fileAssociations?: { ext: string; name: string; role?: string }[];
  linux?: { target?: string[]; icon?: string; executableName?: string; maintainer?: string };
  win?: { target?: string[] };
  mac?: { target?: string[] };
  electronFuses?: Record<string, boolean>;
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = requireFromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(ROOT, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

/** The file patterns, however the loader shaped them. */
function filePatterns(config: BuilderConfig): string[] {
  return (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
}

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main?: string;
  scripts: Record<string, string>;
};

describe('electron-builder.yml', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    config = await loadConfig(); // throws with electron-builder's message when the schema disagrees
  });

  it('names the app', () => {
    expect(config.productName).toBe('Vanishing Gradient Lab');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.directories?.buildResources).toBe('build');
  });

  it('flips the Electron fuses that harden the packaged app', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, DMG for macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    // deb refuses to build without a maintainer; package.json has no author.
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
  });

  it('keeps the native addon out of the asar archive', async () => {
    const { minimatch } = requireFromBuilder('minimatch') as { minimatch: (path: string, pattern: string, o: object) => boolean };
    const addon = 'out/native/Release/vglab.node';
    expect(config.asarUnpack?.some((p) => minimatch(addon, p, { dot: true, matchBase: true }))).toBe(true);
    expect(filePatterns(config)).toContain(addon);
    // A Node-API addon serves Electron as built: nothing to rebuild.
    expect(config.npmRebuild).toBe(false);
  });

  it('packs only files that exist or that a build script makes', () => {
    const makers: [RegExp, string][] = [
      [/^out\/electron\//, 'build:electron'],
      [/^out\/renderer\//, 'build:renderer'],
      [/^out\/native\//, 'build:native'],
    ];
    for (const pattern of filePatterns(config).filter((p) => !p.startsWith('!'))) {
      const maker = makers.find(([re]) => re.test(pattern));
      if (maker) expect(packageJson.scripts[maker[1]], `${pattern} is made by npm run ${maker[1]}`).toBeTruthy();
      else expect(existsSync(join(ROOT, pattern.replace(/\/?\*.*$/, ''))), pattern).toBe(true);
    }
  });

  it('opens .vglab files', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'vglab', role: 'Editor' })]);
  });

  it("is started by package.json's main: the bundled main process", () => {
    expect(packageJson.main).toBe('out/electron/main.cjs');
  });
});

// ---- the icon -------------------------------------------------------------------------------

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  pixels: Buffer;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A strict PNG reader: signature, chunk CRCs, IHDR first, IEND last. */
function readPng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const types: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | null = null;
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    types.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  return {
    width: ihdr!.readUInt32BE(0),
    height: ihdr!.readUInt32BE(4),
    bitDepth: ihdr![8]!,
    colorType: ihdr![9]!,
    pixels: inflateSync(Buffer.concat(idat)),
  };
}

describe('build/icon.png', () => {
  const icon = readFileSync(join(ROOT, 'build', 'icon.png'));

  it('is a valid 512x512 RGBA PNG', () => {
    const png = readPng(icon);
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([512, 512, 8, 6]);
    expect(png.pixels.length).toBe(512 * (1 + 512 * 4));
    for (let row = 0; row < 512; row++) expect(png.pixels[row * (1 + 512 * 4)]).toBeLessThanOrEqual(4);
  });

  it('is opaque inside and transparent in the corners', () => {
    const px = readPng(icon).pixels;
    const alpha = (x: number, y: number) => px[y * (1 + 512 * 4) + 1 + x * 4 + 3];
    expect(alpha(256, 256)).toBe(255);
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(511, 511)).toBe(0);
  });

  it('is what scripts/make-icon.mjs draws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-icon-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'make-icon.mjs'), join(dir, 'icon.png')]);
      expect(readFileSync(join(dir, 'icon.png')).equals(icon)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- the bundles and the packaged app ----------------------------------------------------------

describe('the Electron bundles', () => {
  const out = join(ROOT, 'out', 'electron');
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-electron.mjs'), '--quiet'], { cwd: ROOT, stdio: 'pipe' });
  }, 60_000);

  it('are three CommonJS files', () => {
    for (const f of ['main.cjs', 'preload.cjs', 'engineHost.cjs']) expect(statSync(join(out, f)).size).toBeGreaterThan(0);
  });

  it('the preload runs with nothing but electron, and exposes window.vglab with invoke and on only', () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const required: string[] = [];
    const ipcRenderer = { invoke: async () => ({ ok: true, result: 1 }), on: () => {}, removeListener: () => {} };
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer,
    };
    const module = { exports: {} };
    // What a sandboxed preload has: a require that knows 'electron', and no Node.
    runInNewContext(readFileSync(join(out, 'preload.cjs'), 'utf8'), {
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
        return fakeElectron;
      },
      console,
    });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['vglab']);
    const api = exposed.get('vglab')!;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.values(api)).not.toContain(ipcRenderer);
  });

  it('the engine host trains a run when forked (as a utilityProcess would run it)', async () => {
    const channel = new NodeHostLauncher({ entry: join(out, 'engineHost.cjs') }).launch();
    const messages: { type: string; state?: string; stepsDone?: number }[] = [];
    const exited = new Promise<number | null>((resolve) => channel.onExit((code) => resolve(code)));
    const next = (type: string) =>
      new Promise<{ type: string; state?: string; stepsDone?: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type}; got ${JSON.stringify(messages)}`)), 20_000);
        const check = () => {
          const m = messages.find((x) => x.type === type || x.type === 'error');
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else setTimeout(check, 20);
        };
        check();
      });
    channel.onMessage((m) => messages.push(m as { type: string }));
    channel.post({
      type: 'start',
      job: {
        network: {
          format: 'vglab-network/1',
          nodes: [
            { id: 'x', type: 'input', params: { features: 2 } },
            { id: 'd1', type: 'dense', params: { units: 8 } },
            { id: 't1', type: 'tanh' },
            { id: 'out', type: 'dense', params: { units: 3 } },
          ],
          edges: [
            { from: 'x', to: 'd1' },
            { from: 'd1', to: 't1' },
            { from: 't1', to: 'out' },
          ],
          loss: { type: 'softmax_cross_entropy' },
        },
        settings: { optimizer: { type: 'adam', lr: 0.01 }, batch_size: 16, steps: 20, trace_every: 5, seed: 1 },
        dataset: { name: 'spiral', options: { n: 90, classes: 3, seed: 2 } },
      },
    });
    expect(await next('ready')).toMatchObject({ type: 'ready' });
    channel.post({ type: 'train', steps: 10 });
    expect(await next('state')).toMatchObject({ type: 'state', state: 'paused', stepsDone: 10 });
    channel.post({ type: 'exit' });
    expect(await exited).toBe(0);
  });
});

/** @electron/fuses' marker before the fuse wire in an Electron binary, and Electron's own fuse settings. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_FUSES = '10110001';

describe('electron-builder --dir', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'vglab-pack-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs the bundles, the UI, the examples and the unpacked addon, and no node_modules', () => {
    // A stand-in Electron distribution: electron-builder copies it and renames the executable.
    const dist = join(work, 'electron-dist');
    mkdirSync(join(dist, 'resources'), { recursive: true });
    // With Electron's fuse wire (sentinel, version 1, 8 fuses at Electron's defaults), so the fuses can be flipped.
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\n${FUSE_SENTINEL}\x01\x08${ELECTRON_DEFAULT_FUSES}\n`, 'latin1');
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'version'), '45.3.4');
    const cli = createRequire(join(ROOT, 'package.json')).resolve('electron-builder/cli.js');
    const r = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${join(work, 'dist')}`],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, timeout: 120_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);

    const resources = join(work, 'dist', 'linux-unpacked', 'resources');
    expect(existsSync(join(work, 'dist', 'linux-unpacked', 'vglab'))).toBe(true);
    // The packaged binary's fuses: RunAsNode, cookie encryption, NODE_OPTIONS, inspector flags, asar
    // integrity, asar only, V8 snapshot, file:// privileges (the last two left as Electron has them).
    const binary = readFileSync(join(work, 'dist', 'linux-unpacked', 'vglab'), 'latin1');
    const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    expect(binary.slice(at + 2, at + 10)).toBe('01001101');
    const asar = requireFromBuilder('@electron/asar') as { listPackage(path: string, o: object): string[] };
    const files = asar.listPackage(join(resources, 'app.asar'), {}).map((f) => f.replaceAll('\\', '/'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/out/electron/main.cjs',
        '/out/electron/preload.cjs',
        '/out/electron/engineHost.cjs',
        '/examples/deep-sigmoid-mlp.vglab',
      ]),
    );
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
    // The addon sits beside the archive, where the app points VGLAB_ADDON.
    expect(existsSync(join(resources, 'app.asar.unpacked', 'out', 'native', 'Release', 'vglab.node'))).toBe(true);
  }, 120_000);
});
