/**
 * Reports as PDF outside the desktop app (the CLI, browser mode): a locally
 * installed Chromium or Chrome prints the HTML report headless. The report runs
 * no script and loads nothing (its charts are inline SVG), so the browser only
 * lays out and prints. Each print gets a fresh profile folder, so no user's
 * browser profile is read or changed, and a time limit, so a hung browser fails
 * the export instead of hanging the lab.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { writeFileAtomic } from '../export/atomicWrite.ts';

/** Turns a complete HTML document into PDF bytes (Chromium here; the desktop app's hidden window there). */
export type PrintPdf = (html: string) => Promise<Uint8Array>;

/** The environment variable that names the browser to print with. */
export const CHROMIUM_ENV = 'VGLAB_CHROMIUM';

/** How long one print may take before the browser is ended (ms). */
export const DEFAULT_PDF_TIMEOUT_MS = 60_000;

/** Executable names looked up on PATH, in order. */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'microsoft-edge', 'msedge'];

/** Where the browsers install themselves when they are not on PATH. */
const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
];

/** No browser to print with, or one that could not print; the message says what to install or set. */
export class PdfExportError extends Error {
  override name = 'PdfExportError';
  constructor(
    message: string,
    /** 'missing': no browser was found (install one or set VGLAB_CHROMIUM); 'failed': it ran but gave no PDF. */
    readonly reason: 'missing' | 'failed',
  ) {
    super(message);
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to print with: VGLAB_CHROMIUM when set (it must exist: a wrong
 * setting is reported, not silently replaced), else the first of the usual names
 * on PATH, else the usual install places. Throws PdfExportError('missing').
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env[CHROMIUM_ENV];
  if (chosen !== undefined && chosen !== '') {
    if (isExecutableFile(chosen)) return chosen;
    const what = existsSync(chosen) ? 'is not an executable file' : 'does not exist';
    throw new PdfExportError(
      `${CHROMIUM_ENV} is set to "${chosen}", which ${what}: set it to the path of a Chromium, Chrome or Edge executable, or unset it to let the lab look in the usual places`,
      'missing',
    );
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const exe = process.platform === 'win32' ? '.exe' : '';
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const path = join(dir, `${name}${exe}`);
      if (isExecutableFile(path)) return path;
    }
  }
  for (const path of KNOWN_PATHS) if (isExecutableFile(path)) return path;
  throw new PdfExportError(
    'No Chromium or Chrome was found to print the PDF report. Install Chromium (Debian or Ubuntu: apt install chromium) ' +
      `or Google Chrome, or set ${CHROMIUM_ENV} to the path of its executable. The HTML report needs no browser.`,
    'missing',
  );
}

/** The command line of one headless print of `htmlFile` into `pdfFile`, with its own profile in `profileDir`. */
export function chromiumPrintArgs(htmlFile: string, pdfFile: string, profileDir: string): string[] {
  return [
    '--headless',
    '--disable-gpu',
    // Chromium refuses to start its sandbox as root (containers, CI); the page is our own script-less report.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--mute-audio',
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdfFile}`,
    pathToFileURL(htmlFile).href,
  ];
}

export interface ChromiumPdfOptions {
  /** The browser executable; default findChromium(). */
  chromium?: string;
  timeoutMs?: number;
}

/** Whether `bytes` look like a whole PDF file: the header at the start and the end-of-file mark near the end. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 32))).toString('latin1');
  return head === '%PDF-' && tail.includes('%%EOF');
}

/** Ends the browser and every process it started (it runs as a group leader on POSIX). */
function endBrowser(pid: number | undefined, kill: () => void): void {
  try {
    if (pid !== undefined && process.platform !== 'win32') process.kill(-pid, 'SIGKILL');
    else kill();
  } catch {
    // Already gone.
  }
}

/** Runs the browser; resolves with its exit code and the end of what it wrote to stderr. */
function runBrowser(chromium: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      // Only the end matters for a message; the browser logs a lot on some systems.
      stderr = (stderr + text).slice(-4000);
    });
    const timer = setTimeout(() => {
      endBrowser(child.pid, () => child.kill('SIGKILL'));
      reject(new PdfExportError(`${chromium} did not finish printing the PDF within ${Math.round(timeoutMs / 1000)} s and was stopped`, 'failed'));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new PdfExportError(`could not start ${chromium} to print the PDF: ${e.message}`, 'failed'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // A headless browser may leave helper processes behind; they belong to this print only.
      endBrowser(child.pid, () => {});
      resolvePromise({ code, stderr });
    });
  });
}

/** The last line of the browser's stderr that says something (skipping the noise of a machine without D-Bus). */
function lastMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/dbus|bus\.cc/i.test(l));
  return lines.at(-1) ?? '';
}

/** The HTML document printed to PDF by a headless Chromium (A4 unless the page's CSS says otherwise). */
export async function chromiumPdf(html: string, options: ChromiumPdfOptions = {}): Promise<Uint8Array> {
  const chromium = options.chromium ?? findChromium();
  const dir = mkdtempSync(join(tmpdir(), 'vglab-pdf-'));
  try {
    const htmlFile = join(dir, 'report.html');
    const pdfFile = join(dir, 'report.pdf');
    writeFileSync(htmlFile, html, 'utf8');
    const { code, stderr } = await runBrowser(chromium, chromiumPrintArgs(htmlFile, pdfFile, join(dir, 'profile')), options.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS);
    // Chromium exits 0 even when it printed nothing, so the file itself is the verdict.
    const pdf = existsSync(pdfFile) ? new Uint8Array(readFileSync(pdfFile)) : null;
    if (pdf === null || !looksLikePdf(pdf)) {
      const said = lastMessage(stderr);
      throw new PdfExportError(
        `${chromium} exited (code ${code ?? 'none'}) without printing a PDF${said ? `: ${said}` : ''}. Try another browser with ${CHROMIUM_ENV}, or export the HTML report and print it from a browser.`,
        'failed',
      );
    }
    return pdf;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints `html` with Chromium and writes the PDF to `path` atomically (never a half-written file). */
export async function writeChromiumPdf(html: string, path: string, options: ChromiumPdfOptions = {}): Promise<void> {
  writeFileAtomic(path, await chromiumPdf(html, options));
}
