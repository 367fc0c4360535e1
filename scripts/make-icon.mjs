#!/usr/bin/env node
// Draws the app icon, build/icon.png (512x512 RGBA), with nothing but Node's zlib:
// a rounded square in a dark blue gradient with six bars that shrink and fade from
// left to right, a gradient vanishing layer by layer. electron-builder derives the
// Windows .ico and the macOS .icns from this file.
//
// Usage: node scripts/make-icon.mjs [out.png]   (default build/icon.png)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SUB = 4; // 4x4 samples per pixel: smooth edges without a rasteriser library

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'build', 'icon.png');

// Shapes in pixel coordinates of the 512 grid.
const MARGIN = 24;
const RADIUS = 96;
const BARS = 6;
const BAR_W = 44;
const GAP = 16;
const BASE_Y = 390;
const barsLeft = (SIZE - (BARS * BAR_W + (BARS - 1) * GAP)) / 2;

function insideRoundedSquare(x, y) {
  const lo = MARGIN + RADIUS;
  const hi = SIZE - MARGIN - RADIUS;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  if (x < MARGIN || y < MARGIN || x > SIZE - MARGIN || y > SIZE - MARGIN) return false;
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

/** The bar under (x, y): its index, or -1. Heights fall geometrically, as gradient norms do through sigmoid layers. */
function barAt(x, y) {
  for (let i = 0; i < BARS; i++) {
    const left = barsLeft + i * (BAR_W + GAP);
    const height = 280 * 0.62 ** i;
    if (x >= left && x <= left + BAR_W && y <= BASE_Y && y >= BASE_Y - height) return i;
  }
  return -1;
}

const mix = (a, b, t) => a + (b - a) * t;

/** Colour (straight RGBA, 0..1) of one sample point. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return [0, 0, 0, 0];
  const bar = barAt(x, y);
  if (bar >= 0) {
    // Warm orange at the output layer, cooling and fading towards the input.
    const t = bar / (BARS - 1);
    const bg = background(y);
    const alpha = mix(1, 0.35, t);
    return [mix(bg[0], mix(1.0, 0.55, t), alpha), mix(bg[1], mix(0.62, 0.7, t), alpha), mix(bg[2], mix(0.2, 0.95, t), alpha), 1];
  }
  // A thin baseline under the bars.
  if (y > BASE_Y + 10 && y < BASE_Y + 18 && x > barsLeft - 10 && x < SIZE - barsLeft + 10) return [0.85, 0.88, 0.95, 1];
  return [...background(y), 1];
}

function background(y) {
  const t = y / SIZE;
  return [mix(0.16, 0.07, t), mix(0.2, 0.09, t), mix(0.42, 0.2, t)];
}

function render() {
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let py = 0; py < SIZE; py++) {
    const rowStart = py * (1 + SIZE * 4);
    rows[rowStart] = 0; // filter: none
    for (let px = 0; px < SIZE; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) {
          const [cr, cg, cb, ca] = sample(px + (sx + 0.5) / SUB, py + (sy + 0.5) / SUB);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = rowStart + 1 + px * 4;
      // Average premultiplied samples, then store straight alpha as PNG wants.
      rows[o] = a ? Math.round((r / a) * 255) : 0;
      rows[o + 1] = a ? Math.round((g / a) * 255) : 0;
      rows[o + 2] = a ? Math.round((b / a) * 255) : 0;
      rows[o + 3] = Math.round((a / (SUB * SUB)) * 255);
    }
  }
  return rows;
}

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
ihdr[10] = 0; // deflate
ihdr[11] = 0; // adaptive filtering
ihdr[12] = 0; // no interlace

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(render(), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`${out}: ${SIZE}x${SIZE}, ${png.length} bytes`);
