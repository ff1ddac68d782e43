// Draws media/icon.png (128×128, the Marketplace minimum) with Node built-ins only: a readiness
// gauge around a check mark on a rounded tile. `node media/generate-icon.mjs` rewrites the file.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // supersampling per axis, for anti-aliased edges

const TILE_RADIUS = 26;
const CENTER = SIZE / 2;
const RING_OUTER = 46;
const RING_INNER = 36;
const GAUGE_START = (135 * Math.PI) / 180; // gauge opens at the bottom, like a speedometer
const GAUGE_SWEEP = (270 * Math.PI) / 180;
const GAUGE_FILLED = 0.8; // the share of the gauge drawn bright
const CHECK = [[46, 66], [59, 79], [84, 52]];
const CHECK_HALF_WIDTH = 6;

const TOP = [30, 58, 95]; // #1e3a5f
const BOTTOM = [15, 118, 110]; // #0f766e
const BRIGHT = [134, 239, 172]; // #86efac
const WHITE = [255, 255, 255];

function insideTile(x, y) {
  const dx = Math.max(TILE_RADIUS - x, 0, x - (SIZE - TILE_RADIUS));
  const dy = Math.max(TILE_RADIUS - y, 0, y - (SIZE - TILE_RADIUS));
  return dx * dx + dy * dy <= TILE_RADIUS * TILE_RADIUS;
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

/** Colour and coverage of one sample point, or null outside the tile. */
function sample(x, y) {
  if (!insideTile(x, y)) return null;
  const t = (x + y) / (2 * SIZE);
  let color = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
  const r = Math.hypot(x - CENTER, y - CENTER);
  if (r >= RING_INNER && r <= RING_OUTER) {
    let angle = Math.atan2(y - CENTER, x - CENTER) - GAUGE_START;
    while (angle < 0) angle += 2 * Math.PI;
    if (angle <= GAUGE_SWEEP) {
      const filled = angle <= GAUGE_SWEEP * GAUGE_FILLED;
      const mix = filled ? 1 : 0.25;
      const ink = filled ? BRIGHT : WHITE;
      color = color.map((c, i) => c + (ink[i] - c) * mix);
    }
  }
  if (distanceToSegment(x, y, CHECK[0], CHECK[1]) <= CHECK_HALF_WIDTH || distanceToSegment(x, y, CHECK[1], CHECK[2]) <= CHECK_HALF_WIDTH) {
    color = WHITE;
  }
  return color;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = sample(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        covered++;
        for (let i = 0; i < 3; i++) sum[i] += c[i];
      }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    for (let i = 0; i < 3; i++) raw[o + i] = covered ? Math.round(sum[i] / covered) : 0;
    raw[o + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
