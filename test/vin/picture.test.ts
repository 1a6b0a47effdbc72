/**
 * Plan pictures: a hand-made 8x8 plan is rendered, decoded and checked pixel by pixel where the meaning is
 * unambiguous (start green, goal red, obstacles dark, the planned path blue, heatmap colours at their
 * extremes, the colour scale), plus layout rules, argument errors and the raster primitives it is drawn with.
 */
import type { ErrorCode } from '../../src/backend/errors';
import { expectError } from '../helpers/errors';
import { decodePng } from '../../src/util/png';
import type { RgbaImage } from '../../src/util/png';
import { Raster, hasGlyph, measureText } from '../../src/util/raster';
import { formatValue, layoutPlanPicture, renderPlanPicture, viridis } from '../../src/vin/picture';
import type { Cell, PanelLayout, PlanPictureOptions } from '../../src/vin/picture';


const N = 8;
// prettier-ignore
const MAP = [
  1, 1, 1, 1, 1, 1, 1, 1,
  1, 0, 0, 0, 0, 0, 0, 1, // goal (1, 6)
  1, 0, 1, 1, 0, 0, 0, 1,
  1, 0, 0, 1, 0, 1, 0, 1,
  1, 0, 0, 0, 0, 1, 0, 1,
  1, 0, 1, 0, 0, 0, 0, 1,
  1, 0, 0, 0, 1, 0, 0, 1, // start (6, 1)
  1, 1, 1, 1, 1, 1, 1, 1,
];
const START: Cell = [6, 1];
const GOAL: Cell = [1, 6];
const PLANNED: Cell[] = [[6, 1], [5, 1], [4, 2], [4, 3], [3, 4], [2, 5], [1, 6]];
const EXPERT: Cell[] = [[6, 1], [6, 2], [6, 3], [5, 4], [4, 4], [3, 4], [2, 5], [1, 6]];

/** Rewards: -1 on obstacles, -0.1 on free cells, +1 at the goal. Values: minus the king-move distance to the goal. */
function fields(): { reward: Float32Array; value: Float32Array } {
  const reward = new Float32Array(N * N);
  const value = new Float32Array(N * N);
  for (let r = 0; r < N; r++) {
    for (let c = 0; c < N; c++) {
      reward[r * N + c] = MAP[r * N + c] ? -1 : -0.1;
      value[r * N + c] = -Math.max(Math.abs(r - GOAL[0]), Math.abs(c - GOAL[1])) - (MAP[r * N + c] ? 5 : 0);
    }
  }
  reward[GOAL[0] * N + GOAL[1]] = 1;
  return { reward, value };
}

/** A flat n*n map as n rows. */
function rowsOf(flat: readonly number[]): number[][] {
  return Array.from({ length: N }, (_, r) => flat.slice(r * N, (r + 1) * N));
}

function plan(extra: Partial<PlanPictureOptions> = {}): PlanPictureOptions {
  return { obstacles: Uint8Array.from(MAP), gridSize: N, start: START, goal: GOAL, plannedPath: PLANNED,
    expertPath: EXPERT, ...fields(), title: 'Hand-made 8x8 plan', reached: true, ...extra };
}

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = (Math.floor(y) * image.width + Math.floor(x)) * 4;
  return [...image.rgba.subarray(i, i + 4)];
}

function cellCentre(panel: PanelLayout, cellSize: number, [row, col]: Cell): [number, number] {
  return [panel.x + col * cellSize + cellSize / 2, panel.y + row * cellSize + cellSize / 2];
}

function expectColourNear(actual: number[], expected: readonly number[], tolerance = 2): void {
  const ok = expected.every((v, c) => Math.abs(actual[c] - v) <= tolerance);
  if (!ok) throw new Error(`expected a colour near [${expected}] but found [${actual}]`);
}

describe('renderPlanPicture: a hand-made 8x8 plan', () => {
  const options = plan();
  const layout = layoutPlanPicture(options);
  const image = decodePng(renderPlanPicture(options));
  const [map, reward, value] = layout.panels;
  const cell = layout.cellSize;
  const at = (panel: PanelLayout, c: Cell): number[] => pixel(image, ...cellCentre(panel, cell, c));

  test('size and layout: three panels side by side, 24 px cells', () => {
    expect(layout.panels.map((p) => p.kind)).toEqual(['map', 'reward', 'value']);
    expect(cell).toBe(24);
    expect([image.width, image.height]).toEqual([layout.width, layout.height]);
    for (const p of layout.panels) {
      expect(p.size).toBe(N * cell);
      expect(p.x + p.size).toBeLessThanOrEqual(image.width);
      expect(p.y + p.size).toBeLessThanOrEqual(image.height);
    }
    expect(map.x + map.size).toBeLessThan(reward.x);
    expect(reward.x + reward.size).toBeLessThan(value.x);
    expect(new Set(layout.panels.map((p) => p.y)).size).toBe(1);
  });

  test('the map: start green, goal red, obstacles dark, free cells white, light grid lines', () => {
    const [r, g, b] = at(map, START);
    expect(g).toBeGreaterThan(140);
    expect(r).toBeLessThan(90);
    expect(b).toBeLessThan(110);
    const [gr, gg, gb] = at(map, GOAL);
    expect(gr).toBeGreaterThan(200);
    expect(gg).toBeLessThan(80);
    expect(gb).toBeLessThan(80);
    for (const obstacle of [[2, 2], [3, 5], [0, 0]] as Cell[]) {
      const [or, og, ob] = at(map, obstacle);
      expect(Math.max(or, og, ob)).toBeLessThan(100);
    }
    expect(at(map, [1, 2])).toEqual([255, 255, 255, 255]);
    // The boundary between free cells (1, 2) and (1, 3): a light grey grid line.
    const [lr, lg, lb] = pixel(image, map.x + 3 * cell, map.y + 1.5 * cell);
    expect(lr).toBeGreaterThan(180);
    expect(lr).toBeLessThan(250);
    expect([lg, lb]).toEqual([lr, lr]);
  });

  test('the planned path is a thick blue line through cell centres; the expert path is orange', () => {
    for (const c of [[5, 1], [4, 2], [4, 3]] as Cell[]) {
      const [r, g, b] = at(map, c);
      expect(b).toBeGreaterThan(200);
      expect(r).toBeLessThan(80);
      expect(g).toBeLessThan(130);
    }
    // Thick: still blue a few pixels off the centre line, across the path (here (4,2)->(4,3) is horizontal).
    const [x, y] = cellCentre(map, cell, [4, 2]);
    expect(pixel(image, x + cell / 2, y + 3)[2]).toBeGreaterThan(200);
    // The expert path alone passes (6, 2) and (5, 4): orange somewhere near their centres (dashes leave gaps).
    const orange = (c: Cell): boolean => {
      const [cx, cy] = cellCentre(map, cell, c);
      for (let dy = -3; dy <= 3; dy++) {
        for (let dx = -cell / 2; dx <= cell / 2; dx++) {
          const [r, g, b] = pixel(image, cx + dx, cy + dy);
          if (r > 220 && g > 110 && g < 180 && b < 60) return true;
        }
      }
      return false;
    };
    expect(orange([6, 2])).toBe(true);
    expect(orange([5, 4])).toBe(true);
  });

  test('the reward heatmap: viridis ends at the goal (max) and on obstacles (min), obstacles outlined', () => {
    expectColourNear(at(reward, GOAL), viridis(1));
    expectColourNear(at(reward, [2, 2]), viridis(0));
    expectColourNear(at(reward, [1, 2]), viridis(0.45));
    // Obstacle (2, 2) meets free cell (1, 2) along its top edge: a white outline there.
    const [x] = cellCentre(reward, cell, [2, 2]);
    expect(pixel(image, x, reward.y + 2 * cell)).toEqual([255, 255, 255, 255]);
  });

  test('the value heatmap: brightest at the goal, many levels, a colour scale with both ends', () => {
    expectColourNear(at(value, GOAL), viridis(1));
    const colours = new Set<string>();
    for (let r = 1; r < N - 1; r++) for (let c = 1; c < N - 1; c++) if (!MAP[r * N + c]) colours.add(at(value, [r, c]).join());
    expect(colours.size).toBeGreaterThanOrEqual(5);
    const barY = value.y + value.size + 12 + 7;
    expectColourNear(pixel(image, value.x + 1, barY), viridis(0), 4);
    expectColourNear(pixel(image, value.x + value.size - 2, barY), viridis(1), 4);
    // The min/max labels below the bar: dark text pixels on white.
    let dark = 0;
    for (let y = barY + 10; y < barY + 30; y++) for (let x = value.x; x < value.x + value.size; x++) if (pixel(image, x, y)[0] < 80) dark++;
    expect(dark).toBeGreaterThan(40);
  });

  test('the title line, with the reached status in green or red', () => {
    const countIn = (img: RgbaImage, test: (p: number[]) => boolean): number => {
      let n = 0;
      for (let y = 0; y < map.y - 30; y++) for (let x = 0; x < img.width; x++) if (test(pixel(img, x, y))) n++;
      return n;
    };
    const green = (p: number[]): boolean => p[1] > 120 && p[0] < 60 && p[2] < 80;
    const red = (p: number[]): boolean => p[0] > 180 && p[1] < 60 && p[2] < 60;
    expect(countIn(image, green)).toBeGreaterThan(50);
    const failed = decodePng(renderPlanPicture(plan({ reached: false })));
    expect(countIn(failed, red)).toBeGreaterThan(50);
    expect(countIn(failed, green)).toBe(0);
    const untitled = layoutPlanPicture(plan({ title: undefined, reached: undefined }));
    expect(untitled.height).toBeLessThan(layout.height);
    expect(untitled.panels[0].y).toBeLessThan(map.y);
  });
});

describe('renderPlanPicture: layout rules', () => {
  test('without reward and value only the map panel is drawn; with one of them, two panels', () => {
    const mapOnly = plan({ reward: undefined, value: undefined });
    const layout = layoutPlanPicture(mapOnly);
    expect(layout.panels.map((p) => p.kind)).toEqual(['map']);
    const image = decodePng(renderPlanPicture(mapOnly));
    expect([image.width, image.height]).toEqual([layout.width, layout.height]);
    expect(layoutPlanPicture(plan({ reward: undefined })).panels.map((p) => p.kind)).toEqual(['map', 'value']);
    expect(layoutPlanPicture(plan({ value: undefined })).panels.map((p) => p.kind)).toEqual(['map', 'reward']);
  });

  test('cells shrink on big maps but stay readable: 28x28 gets 12 px, never under 8 px', () => {
    const sizeFor = (n: number): number => layoutPlanPicture({ obstacles: new Uint8Array(n * n), gridSize: n,
      start: [0, 0], goal: [n - 1, n - 1], plannedPath: [] }).cellSize;
    expect(sizeFor(8)).toBe(24);
    expect(sizeFor(16)).toBeGreaterThanOrEqual(16);
    expect(sizeFor(28)).toBe(12);
    expect(sizeFor(64)).toBe(8);
    expect(sizeFor(200)).toBe(8);
  });

  test('a 28x28 picture renders, and a long title widens a narrow picture only up to a limit', () => {
    const n = 28;
    const obstacles = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) obstacles[i] = obstacles[n * n - 1 - i] = 1;
    const path: Cell[] = Array.from({ length: n - 2 }, (_, i) => [i + 1, i + 1] as Cell);
    const options: PlanPictureOptions = { obstacles, gridSize: n, start: [1, 1], goal: [n - 2, n - 2], plannedPath: path,
      value: new Float32Array(n * n).map((_, i) => i % n), title: 'x'.repeat(60) };
    const image = decodePng(renderPlanPicture(options));
    const layout = layoutPlanPicture(options);
    expect([image.width, image.height]).toEqual([layout.width, layout.height]);
    const narrow = layoutPlanPicture({ ...options, value: undefined, title: 'short' }).width;
    const titled = layoutPlanPicture({ ...options, value: undefined, title: 'A fairly long title, longer than the map' }).width;
    const huge = layoutPlanPicture({ ...options, value: undefined, title: 'y'.repeat(500) }).width;
    expect(titled).toBeGreaterThan(narrow);
    expect(huge).toBeLessThanOrEqual(1100);
  });

  test('degenerate input still draws: an empty or one-cell path, a constant heatmap', () => {
    for (const plannedPath of [[], [START]] as Cell[][]) {
      const options = plan({ plannedPath, expertPath: undefined, reward: new Float32Array(N * N).fill(3) });
      const image = decodePng(renderPlanPicture(options));
      const layout = layoutPlanPicture(options);
      expectColourNear(pixel(image, ...cellCentre(layout.panels[1], layout.cellSize, [1, 1])), viridis(0.5));
    }
  });
});

describe('renderPlanPicture: argument errors', () => {
  const check = (extra: Partial<PlanPictureOptions>, code: ErrorCode, ...fragments: (string | RegExp)[]): void => {
    expectError(() => renderPlanPicture(plan(extra)), code, /^renderPlanPicture: /, ...fragments);
  };

  test('paths and cells off the map', () => {
    check({ plannedPath: [[6, 1], [7, 2], [8, 2]] }, 'ERR_VALUE', /on the 8x8 map/, /plannedPath\[2\]/, /\[8,2\]/);
    check({ expertPath: [[-1, 0]] }, 'ERR_VALUE', /expertPath\[0\]/);
    check({ plannedPath: [[1.5, 2]] }, 'ERR_VALUE', /plannedPath\[0\]/);
    check({ plannedPath: [[1, 2, 3]] as unknown as Cell[] }, 'ERR_ARGUMENT', /a cell \[row, col\]/);
    check({ plannedPath: 'north' as unknown as Cell[] }, 'ERR_ARGUMENT', /plannedPath/);
    check({ start: [8, 8] }, 'ERR_VALUE', /for start/);
    check({ goal: [0, 8] }, 'ERR_VALUE', /for goal/);
  });

  test('arrays of the wrong size or contents', () => {
    check({ obstacles: new Uint8Array(63) }, 'ERR_SHAPE', /expected 64 obstacle cells \(an 8x8 map\) but received 63/);
    check({ obstacles: 'walls' as never }, 'ERR_ARGUMENT', /expected obstacles as an 8x8 array of 0\/1 but received "walls"/);
    check({ obstacles: Uint8Array.from(MAP, (v, i) => (i === 9 ? 2 : v)) }, 'ERR_VALUE', /obstacles\[1\]\[1\] but received 2/);
    check({ obstacles: rowsOf(MAP).slice(1) }, 'ERR_SHAPE', /8 rows of 8 cells \(gridSize 8\) but received 7 rows/);
    check({ reward: new Float32Array(60) }, 'ERR_SHAPE', /64 values .* for reward length but received 60/);
    check({ value: new Float32Array(64).fill(Number.NaN) }, 'ERR_VALUE', /value\[0\] \(row 0, col 0\)/);
    check({ value: 'warm' as unknown as Float32Array }, 'ERR_ARGUMENT', /for value/);
  });

  test('the map as plan takes it: n rows of n cells, or n*n cells (a Uint8Array, a number[] or booleans)', () => {
    const png = renderPlanPicture(plan());
    for (const obstacles of [rowsOf(MAP), MAP, MAP.map((v) => v === 1), Float32Array.from(MAP)]) {
      expect(Buffer.from(renderPlanPicture(plan({ obstacles }))).equals(Buffer.from(png))).toBe(true);
    }
    expect(layoutPlanPicture(plan({ obstacles: rowsOf(MAP) }))).toEqual(layoutPlanPicture(plan()));
  });

  test('other options', () => {
    check({ gridSize: 2.5 }, 'ERR_VALUE', /gridSize/);
    check({ gridSize: 1 }, 'ERR_VALUE', /gridSize/);
    check({ title: 42 as unknown as string }, 'ERR_ARGUMENT', /title/);
    check({ reached: 'yes' as unknown as boolean }, 'ERR_ARGUMENT', /reached/);
    expectError(() => renderPlanPicture(null as unknown as PlanPictureOptions), 'ERR_ARGUMENT', /options/);
  });
});

describe('colour scale and labels', () => {
  test('viridis: its ends and middle, clamped outside [0, 1]', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(0.5)).toEqual([33, 144, 140]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
  });

  test('formatValue keeps labels short', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(-1.23456)).toBe('-1.23');
    expect(formatValue(0.012345)).toBe('0.0123');
    expect(formatValue(123456)).toBe('1.2e+5');
    expect(formatValue(-0.00001234)).toBe('-1.2e-5');
  });
});

describe('Raster (the canvas the picture is drawn on)', () => {
  test('the font covers the label characters; others draw as a box', () => {
    const required = '0123456789 .%:-()/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    expect([...required].filter((ch) => !hasGlyph(ch))).toEqual([]);
    expect(hasGlyph('~')).toBe(false);
    expect(measureText('abc', 2)).toEqual({ width: 34, height: 18 });
    const canvas = new Raster(8, 10);
    canvas.drawText('~', 1, 1, { color: [0, 0, 0] });
    const ink = (x: number, y: number): boolean => canvas.getPixel(x, y)[0] === 0;
    expect([ink(1, 1), ink(5, 1), ink(1, 7), ink(5, 7), ink(3, 4)]).toEqual([true, true, true, true, false]);
  });

  test('text: "1" in the 5x7 font, at scale 2', () => {
    const canvas = new Raster(12, 16);
    canvas.drawText('1', 0, 0, { color: [0, 0, 0], scale: 2 });
    const rows: string[] = [];
    for (let y = 0; y < 14; y += 2) {
      let row = '';
      for (let x = 0; x < 10; x += 2) row += canvas.getPixel(x, y)[0] === 0 ? '#' : '.';
      rows.push(row);
    }
    expect(rows).toEqual(['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.']);
  });

  test('lines: thick and anti-aliased; dashes leave gaps; translucent colours blend', () => {
    const canvas = new Raster(40, 12);
    // From y = 4.3 to 8.3: rows 5-7 fully covered, rows 4 and 8 partly (anti-aliased), row 1 untouched.
    canvas.drawLine(2, 6.3, 38, 6.3, { color: [0, 0, 255], width: 4 });
    expect(canvas.getPixel(20, 5)).toEqual([0, 0, 255, 255]);
    expect(canvas.getPixel(20, 7)).toEqual([0, 0, 255, 255]);
    expect(canvas.getPixel(20, 1)).toEqual([255, 255, 255, 255]);
    const edge = canvas.getPixel(20, 8);
    expect(edge[0]).toBeGreaterThan(0);
    expect(edge[0]).toBeLessThan(255);
    const dashed = new Raster(40, 4);
    dashed.drawLine(0, 2, 40, 2, { color: [0, 0, 0], width: 2, dash: [5, 5] });
    const row = Array.from({ length: 40 }, (_, x) => (dashed.getPixel(x, 1)[0] < 128 ? '#' : '.')).join('');
    expect(row).toBe('#####.....#####.....#####.....#####.....');
    const glass = new Raster(2, 2, [0, 0, 0]);
    glass.fillRect(0, 0, 1, 1, [255, 255, 255, 128]);
    expect(glass.getPixel(0, 0)).toEqual([128, 128, 128, 255]);
    expectError(() => canvas.drawLine(0, 0, 1, 1, { color: [0, 0, 300] }), 'ERR_VALUE', /colour/);
  });

  test('discs and polygons fill their inside, PNG output decodes to the same pixels', () => {
    const canvas = new Raster(20, 20);
    canvas.fillCircle(10, 10, 5, [255, 0, 0]);
    canvas.fillPolygon([[0, 0], [6, 0], [0, 6]], [0, 255, 0]);
    expect(canvas.getPixel(10, 10)).toEqual([255, 0, 0, 255]);
    expect(canvas.getPixel(10, 16)).toEqual([255, 255, 255, 255]);
    expect(canvas.getPixel(1, 1)).toEqual([0, 255, 0, 255]);
    expect(canvas.getPixel(5, 5)).toEqual([255, 255, 255, 255]);
    expect(decodePng(canvas.toPng()).rgba).toEqual(canvas.rgba);
  });
});
