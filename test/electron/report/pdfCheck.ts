/**
 * Checks of a printed PDF for the tests: the file is a whole PDF, and its first
 * page, rendered by poppler's pdftoppm, is not blank. Decodes pdftoppm's PNG
 * (8-bit, non-interlaced, grey or RGB) with node:zlib rather than a PNG package.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** The PDF header at the start and the end-of-file mark at the end (trailing newlines allowed). */
export function isWholePdf(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes).toString('latin1');
  return text.startsWith('%PDF-') && /%%EOF\s*$/.test(text);
}

interface Png {
  width: number;
  height: number;
  channels: number;
  /** Unfiltered rows, width * channels bytes each. */
  pixels: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(file: Uint8Array): Png {
  const buf = Buffer.from(file);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0) throw new Error(`unexpected PNG: depth ${depth}, interlace ${interlace}`);
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colour as 0 | 2 | 4 | 6];
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const left = x >= channels ? pixels[y * stride + x - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels] : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      pixels[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** The share of pixels of the first page that are not near white, rendered by `pdftoppm -png -f 1 -l 1`. */
export function firstPageInk(pdf: Uint8Array): { share: number; width: number; height: number } {
  const dir = mkdtempSync(join(tmpdir(), 'vglab-pdfcheck-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', join(dir, 'r.pdf'), join(dir, 'page')]);
    const png = decodePng(readFileSync(join(dir, 'page.png')));
    let inked = 0;
    const n = png.width * png.height;
    for (let i = 0; i < n; i++) {
      let dark = false;
      for (let c = 0; c < Math.min(3, png.channels); c++) if (png.pixels[i * png.channels + c] < 200) dark = true;
      if (dark) inked++;
    }
    return { share: inked / n, width: png.width, height: png.height };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
