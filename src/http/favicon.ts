import type { Context } from 'hono';

// Every browser asks for /favicon.ico on its own; without an answer each page load logged a 404
// and tabs showed a blank icon. The icon is drawn here, pixel by pixel, so nothing is fetched from
// anywhere and no binary file needs reviewing: a white „S“ on a rounded square in KERN's action blue.

const SIZE = 32;
/** KERN's --kern-color-action-default (darkblue-700, oklch(42.84% 0.1689 265.02)) in sRGB. */
const BLUE = [0x20, 0x44, 0xaa] as const;

/** The letter on a 5 × 7 grid, drawn four pixels per cell. */
const GLYPH = ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'];
const CELL = 4;

function pixel(x: number, y: number): [number, number, number, number] {
  // Rounded corners of radius 6: outside them the icon is transparent.
  const r = 6;
  const cx = x < r ? r : x >= SIZE - r ? SIZE - r - 1 : x;
  const cy = y < r ? r : y >= SIZE - r ? SIZE - r - 1 : y;
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return [0, 0, 0, 0];
  const gx = Math.floor((x - (SIZE - 5 * CELL) / 2) / CELL);
  const gy = Math.floor((y - (SIZE - 7 * CELL) / 2) / CELL);
  if (GLYPH[gy]?.[gx] === '#') return [255, 255, 255, 255];
  return [...BLUE, 255];
}

/** A Windows icon file with one 32 × 32 image, 32 bits per pixel (BGRA rows bottom-up, then an empty AND mask). */
function drawIcon(): Uint8Array<ArrayBuffer> {
  const pixelBytes = SIZE * SIZE * 4;
  const maskBytes = SIZE * 4; // one bit per pixel, rows padded to four bytes
  const imageBytes = 40 + pixelBytes + maskBytes;
  const out = Buffer.alloc(6 + 16 + imageBytes);
  out.writeUInt16LE(0, 0); // reserved
  out.writeUInt16LE(1, 2); // type: icon
  out.writeUInt16LE(1, 4); // one image
  out.writeUInt8(SIZE, 6);
  out.writeUInt8(SIZE, 7);
  out.writeUInt8(0, 8); // no palette
  out.writeUInt8(0, 9);
  out.writeUInt16LE(1, 10); // colour planes
  out.writeUInt16LE(32, 12); // bits per pixel
  out.writeUInt32LE(imageBytes, 14);
  out.writeUInt32LE(22, 18); // offset of the image
  const bmp = 22;
  out.writeUInt32LE(40, bmp); // BITMAPINFOHEADER
  out.writeInt32LE(SIZE, bmp + 4);
  out.writeInt32LE(SIZE * 2, bmp + 8); // colour image and mask together
  out.writeUInt16LE(1, bmp + 12);
  out.writeUInt16LE(32, bmp + 14);
  out.writeUInt32LE(0, bmp + 16); // uncompressed
  out.writeUInt32LE(pixelBytes + maskBytes, bmp + 20);
  let at = bmp + 40;
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = pixel(x, y);
      out.writeUInt8(b, at++);
      out.writeUInt8(g, at++);
      out.writeUInt8(r, at++);
      out.writeUInt8(a, at++);
    }
  }
  return new Uint8Array(out);
}

const ICON = drawIcon();

export function faviconResponse(c: Context) {
  c.header('Content-Type', 'image/x-icon');
  // A fixed URL, so no year-long immutable caching: a week, then the browser asks again.
  c.header('Cache-Control', 'public, max-age=604800');
  return c.body(ICON);
}
