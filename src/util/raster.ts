/**
 * A tiny RGBA canvas for diagrams: rectangles, thick (optionally dashed) anti-aliased lines and
 * polylines, discs, polygons, and text in a built-in 5x7 bitmap font. Pixel (x, y) covers the square
 * [x, x+1) x [y, y+1), so its centre is (x + 0.5, y + 0.5); shapes take real-valued coordinates.
 */
import { checkInt, checkNumber, fail } from '../backend/validate';
import { encodePng } from './png';

// Math's functions as module constants: inside vm contexts (jest runs tests in one) every global lookup
// goes through an interceptor and makes pixel loops several times slower.
const { ceil, floor, hypot, max, min, round, sqrt } = Math;

/** A colour as [r, g, b] or [r, g, b, a], each 0-255 (alpha defaults to 255). */
export type Color = readonly [number, number, number] | readonly [number, number, number, number];

/** A point (x, y) in pixel coordinates. */
export type Point = readonly [number, number];

/** How {@link Raster.drawLine} and {@link Raster.drawPolyline} stroke. */
export interface StrokeOptions {
  /** The stroke colour. */
  color: Color;
  /** Line width in pixels (default 1). Ends and joins are round. */
  width?: number;
  /** Dash pattern [on, off] in pixels along the line; solid when absent. */
  dash?: readonly [number, number];
}

/** How {@link Raster.drawText} draws. */
export interface TextOptions {
  /** The text colour. */
  color: Color;
  /** Integer magnification of the 5x7 font (default 1: glyphs 5x7 px, advance 6 px). */
  scale?: number;
}

/** Glyph width in font pixels. */
export const GLYPH_WIDTH = 5;
/** Glyph height above the baseline (capitals and digits) in font pixels. */
export const GLYPH_HEIGHT = 7;
/** Height of a line of text in font pixels: the glyph height plus two rows for descenders (g, j, p, q, y). */
export const LINE_HEIGHT = 9;
// One blank column between glyphs.
const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

/**
 * The 5x7 font: rows top to bottom as two hex digits each (bit 4 is the leftmost column); 7 rows, or 9
 * for glyphs that descend below the baseline. After the classic HD44780 character-LCD font.
 */
const FONT: Readonly<Record<string, string>> = {
  ' ': '00000000000000', '!': '04040404040004', '%': '18190204081303', '#': '0A0A1F0A1F0A0A',
  "'": '0C040800000000', '(': '02040808080402', ')': '08040202020408', '*': '0004150E150400',
  '+': '0004041F040400', ',': '0000000000000C0408', '-': '0000001F000000', '.': '00000000000C0C',
  '/': '00010204081000', ':': '000C0C000C0C00', '<': '02040810080402', '=': '00001F001F0000',
  '>': '08040201020408', '?': '0E110102040004', '[': '0E08080808080E', ']': '0E02020202020E',
  '_': '0000000000001F',
  '0': '0E11131519110E', '1': '040C040404040E', '2': '0E11010204081F', '3': '1F02040201110E',
  '4': '02060A121F0202', '5': '1F101E0101110E', '6': '0608101E11110E', '7': '1F010204080808',
  '8': '0E11110E11110E', '9': '0E11110F01020C',
  A: '0E1111111F1111', B: '1E11111E11111E', C: '0E11101010110E', D: '1C12111111121C',
  E: '1F10101E10101F', F: '1F10101E101010', G: '0E11101711110F', H: '1111111F111111',
  I: '0E04040404040E', J: '0702020202120C', K: '11121418141211', L: '1010101010101F',
  M: '111B1515111111', N: '11111915131111', O: '0E11111111110E', P: '1E11111E101010',
  Q: '0E11111115120D', R: '1E11111E141211', S: '0F10100E01011E', T: '1F040404040404',
  U: '1111111111110E', V: '11111111110A04', W: '1111111515150A', X: '11110A040A1111',
  Y: '1111110A040404', Z: '1F01020408101F',
  a: '00000E010F110F', b: '1010161911111E', c: '00000E1010110E', d: '01010D1311110F',
  e: '00000E111F100E', f: '0609081C080808', g: '00000F1111110F010E', h: '10101619111111',
  i: '04000C0404040E', j: '02000602020202120C', k: '10101214181412', l: '0C04040404040E',
  m: '00001A15151111', n: '00001619111111', o: '00000E1111110E', p: '00001E1111111E1010',
  q: '00000F1111110F0101', r: '00001619101010', s: '00000E100E011E', t: '08081C08080906',
  u: '0000111111130D', v: '00001111110A04', w: '0000111115150A', x: '0000110A040A11',
  y: '0000111111110F010E', z: '00001F0204081F',
};

// A hollow box, drawn for characters the font lacks, so a label never silently loses a letter.
const MISSING_GLYPH = '1F11111111111F';

function glyphRows(ch: string): number[] {
  const hex = FONT[ch] ?? MISSING_GLYPH;
  const rows: number[] = [];
  for (let r = 0; r < hex.length / 2; r++) rows.push(parseInt(hex.slice(2 * r, 2 * r + 2), 16));
  return rows;
}

/** Whether the built-in font has a glyph for `ch` (others are drawn as a hollow box). */
export function hasGlyph(ch: string): boolean {
  return Object.prototype.hasOwnProperty.call(FONT, ch);
}

/** The size in pixels of `text` drawn by {@link Raster.drawText} at `scale` (its height includes descenders). */
export function measureText(text: string, scale = 1): { width: number; height: number } {
  const n = [...text].length;
  return { width: n === 0 ? 0 : (n * GLYPH_ADVANCE - 1) * scale, height: LINE_HEIGHT * scale };
}

function checkColor(fn: string, name: string, color: unknown): Color {
  if (!Array.isArray(color) || (color.length !== 3 && color.length !== 4) ||
    !color.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 255)) {
    fail(fn, 'a colour [r, g, b] or [r, g, b, a] of integers 0-255', name, color, 'ERR_VALUE');
  }
  return color as unknown as Color;
}

/** An RGBA image in memory that shapes and text are drawn onto, then encoded with {@link Raster.toPng}. */
export class Raster {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The pixels, row-major from the top-left, 4 bytes (R, G, B, A) each. */
  readonly rgba: Uint8Array;

  /** A `width` x `height` canvas filled with `background` (default opaque white). */
  constructor(width: number, height: number, background: Color = [255, 255, 255]) {
    this.width = checkInt('Raster', 'width', width, 1, 1 << 15);
    this.height = checkInt('Raster', 'height', height, 1, 1 << 15);
    this.rgba = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, checkColor('Raster', 'background', background));
  }

  /** The colour of pixel (x, y) as [r, g, b, a]. */
  getPixel(x: number, y: number): [number, number, number, number] {
    checkInt('Raster.getPixel', 'x', x, 0, this.width - 1);
    checkInt('Raster.getPixel', 'y', y, 0, this.height - 1);
    const i = (y * this.width + x) * 4;
    return [this.rgba[i], this.rgba[i + 1], this.rgba[i + 2], this.rgba[i + 3]];
  }

  /** Paints `color` over pixel (x, y) with opacity alpha*coverage ("over" compositing); ignores pixels off the canvas. */
  blendPixel(x: number, y: number, color: Color, coverage = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || coverage <= 0) return;
    const a = (min(coverage, 1) * (color[3] ?? 255)) / 255;
    const i = (y * this.width + x) * 4;
    const p = this.rgba;
    if (a >= 1) {
      p[i] = color[0];
      p[i + 1] = color[1];
      p[i + 2] = color[2];
      p[i + 3] = 255;
      return;
    }
    const dstA = p[i + 3] / 255;
    const outA = a + dstA * (1 - a);
    if (outA === 0) return;
    for (let c = 0; c < 3; c++) p[i + c] = round((color[c] * a + p[i + c] * dstA * (1 - a)) / outA);
    p[i + 3] = round(outA * 255);
  }

  /** Fills the rectangle from (x, y), `w` x `h` pixels (integers; clipped to the canvas). */
  fillRect(x: number, y: number, w: number, h: number, color: Color): void {
    const x0 = max(0, round(x));
    const y0 = max(0, round(y));
    const x1 = min(this.width, round(x + w));
    const y1 = min(this.height, round(y + h));
    const opaque = (color[3] ?? 255) === 255;
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        if (!opaque) {
          this.blendPixel(xx, yy, color);
          continue;
        }
        const i = (yy * this.width + xx) * 4;
        this.rgba[i] = color[0];
        this.rgba[i + 1] = color[1];
        this.rgba[i + 2] = color[2];
        this.rgba[i + 3] = 255;
      }
    }
  }

  /** Outlines the rectangle from (x, y), `w` x `h` pixels, with a border `thickness` pixels wide inside it. */
  strokeRect(x: number, y: number, w: number, h: number, color: Color, thickness = 1): void {
    const t = min(thickness, floor(w / 2), floor(h / 2));
    this.fillRect(x, y, w, t, color);
    this.fillRect(x, y + h - t, w, t, color);
    this.fillRect(x, y + t, t, h - 2 * t, color);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, color);
  }

  /** Draws the segment (x0, y0)-(x1, y1). */
  drawLine(x0: number, y0: number, x1: number, y1: number, options: StrokeOptions): void {
    this.drawPolyline([[x0, y0], [x1, y1]], options);
  }

  /**
   * Draws a polyline through `points`, anti-aliased, with round joins and caps; a single point is a dot.
   * Each pixel is painted once (by its distance to the nearest segment), so a translucent line does not
   * darken at its joins, and dashes run on continuously along the whole polyline.
   */
  drawPolyline(points: readonly Point[], options: StrokeOptions): void {
    const fn = 'Raster.drawPolyline';
    if (!Array.isArray(points)) fail(fn, 'an array of [x, y] points', 'points', points);
    if (points.length === 0) return;
    for (const p of points) {
      if (!Array.isArray(p) || p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        fail(fn, 'points [x, y] of finite numbers', 'a point', p, 'ERR_VALUE');
      }
    }
    const color = checkColor(fn, 'color', options.color);
    const half = checkNumber(fn, 'width', options.width ?? 1) / 2;
    const dash = options.dash;
    if (dash !== undefined && (!(dash[0] > 0) || !(dash[1] >= 0))) {
      fail(fn, '[on, off] with on > 0 and off >= 0', 'dash', dash, 'ERR_VALUE');
    }
    const pts = points.length === 1 ? [points[0], points[0]] : points;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const reach = half + 1;
    const left = max(0, floor(min(...xs) - reach));
    const top = max(0, floor(min(...ys) - reach));
    const w = min(this.width, ceil(max(...xs) + reach) + 1) - left;
    const h = min(this.height, ceil(max(...ys) + reach) + 1) - top;
    if (w <= 0 || h <= 0) return;
    // Per pixel of the bounding box: distance to the nearest segment, and arc length there (for dashes).
    // Each segment visits only its own box, so long polylines stay cheap.
    const nearest = new Float64Array(w * h).fill(Infinity);
    const along = new Float64Array(w * h);
    let travelled = 0;
    for (let s = 1; s < pts.length; s++) {
      const [ax, ay] = pts[s - 1];
      const [bx, by] = pts[s];
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const length = sqrt(len2);
      const sx0 = max(left, floor(min(ax, bx) - reach));
      const sx1 = min(left + w - 1, ceil(max(ax, bx) + reach));
      const sy0 = max(top, floor(min(ay, by) - reach));
      const sy1 = min(top + h - 1, ceil(max(ay, by) + reach));
      for (let y = sy0; y <= sy1; y++) {
        for (let x = sx0; x <= sx1; x++) {
          const px = x + 0.5 - ax;
          const py = y + 0.5 - ay;
          const t = len2 === 0 ? 0 : min(1, max(0, (px * dx + py * dy) / len2));
          const d = hypot(px - t * dx, py - t * dy);
          const k = (y - top) * w + (x - left);
          if (d < nearest[k]) {
            nearest[k] = d;
            along[k] = travelled + t * length;
          }
        }
      }
      travelled += length;
    }
    for (let k = 0; k < w * h; k++) {
      const coverage = min(1, half + 0.5 - nearest[k]);
      if (coverage <= 0) continue;
      if (dash !== undefined && along[k] % (dash[0] + dash[1]) >= dash[0]) continue;
      this.blendPixel(left + (k % w), top + floor(k / w), color, coverage);
    }
  }

  /** Fills the disc of radius `r` around (cx, cy), anti-aliased. */
  fillCircle(cx: number, cy: number, r: number, color: Color): void {
    const x0 = max(0, floor(cx - r - 1));
    const x1 = min(this.width - 1, ceil(cx + r + 1));
    const y0 = max(0, floor(cy - r - 1));
    const y1 = min(this.height - 1, ceil(cy + r + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        this.blendPixel(x, y, color, min(1, r + 0.5 - hypot(x + 0.5 - cx, y + 0.5 - cy)));
      }
    }
  }

  /** Fills a simple polygon (even-odd rule), anti-aliased by 4x4 supersampling. */
  fillPolygon(points: readonly Point[], color: Color): void {
    if (points.length < 3) return;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const x0 = max(0, floor(min(...xs)));
    const x1 = min(this.width - 1, ceil(max(...xs)));
    const y0 = max(0, floor(min(...ys)));
    const y1 = min(this.height - 1, ceil(max(...ys)));
    const inside = (px: number, py: number): boolean => {
      let odd = false;
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const [xi, yi] = points[i];
        const [xj, yj] = points[j];
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
      }
      return odd;
    };
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        let hits = 0;
        for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
        this.blendPixel(x, y, color, hits / 16);
      }
    }
  }

  /**
   * Draws `text` with its top-left corner at (x, y) in the built-in 5x7 font (digits, A-Z, a-z, space and
   * . , % : - + = ( ) [ ] / _ ! ? ' # * < >; anything else is a hollow box). Returns the width drawn.
   */
  drawText(text: string, x: number, y: number, options: TextOptions): number {
    const fn = 'Raster.drawText';
    if (typeof text !== 'string') fail(fn, 'a string', 'text', text);
    const color = checkColor(fn, 'color', options.color);
    const scale = checkInt(fn, 'scale', options.scale ?? 1, 1, 64);
    const left = round(x);
    const top = round(y);
    let cursor = left;
    for (const ch of text) {
      const rows = glyphRows(ch);
      for (let r = 0; r < rows.length; r++) {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (rows[r] & (1 << (GLYPH_WIDTH - 1 - c))) this.fillRect(cursor + c * scale, top + r * scale, scale, scale, color);
        }
      }
      cursor += GLYPH_ADVANCE * scale;
    }
    return measureText(text, scale).width;
  }

  /** The canvas as a PNG file. */
  toPng(): Uint8Array {
    return encodePng(this);
  }
}
