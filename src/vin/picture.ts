/**
 * Pictures of gridworld plans as PNG files: the map with the planned (and expert) path, and, when given,
 * the VIN's learned reward and value maps as heatmaps. Pure TypeScript: it needs neither the native
 * addon nor tensors, so it can run anywhere a plan was saved.
 */
import { checkInt, fail } from '../backend/validate';
import { Color, Point, Raster, measureText } from '../util/raster';
import { ObstacleMap, obstacleCells } from './obstacle_map';

/** A grid cell as (row, col), row 0 at the top. */
export type Cell = readonly [number, number];

/** What {@link renderPlanPicture} draws. Arrays are row-major over the n x n cells. */
export interface PlanPictureOptions {
  /** The map as `plan` takes it: n rows of n cells, or n*n cells row-major (a Uint8Array, say); 1 = obstacle, 0 = free. */
  obstacles: ObstacleMap;
  /** n: the map is n x n cells (2..256). */
  gridSize: number;
  /** The start cell. */
  start: Cell;
  /** The goal cell. */
  goal: Cell;
  /** The planner's path, start to end, as cells (drawn through cell centres; may be empty). */
  plannedPath: readonly Cell[];
  /** The expert (shortest) path, drawn thinner and dashed on top of the planned one. */
  expertPath?: readonly Cell[];
  /** n*n learned rewards (a Float32Array, or any array of numbers); drawn as a heatmap panel. */
  reward?: ArrayLike<number>;
  /** n*n values; drawn as a heatmap panel. */
  value?: ArrayLike<number>;
  /** A line of text above the panels (cut short with "..." when wider than the picture). */
  title?: string;
  /** Whether the plan reached the goal; shown next to the title, in green or red. */
  reached?: boolean;
}

/** Where one panel and its grid lie in the picture, in pixels. */
export interface PanelLayout {
  /** What the panel shows. */
  kind: 'map' | 'reward' | 'value';
  /** Width of the panel's column (at least the grid's; the grid sits at its left). */
  width: number;
  /** Left edge of the grid (column 0), and of the panel's caption, legend or colour scale. */
  x: number;
  /** Top edge of the grid (row 0). */
  y: number;
  /** The grid's width and height: gridSize * cellSize. */
  size: number;
}

/** The geometry of a plan picture, for callers (and tests) that need to find cells in it. */
export interface PlanPictureLayout {
  /** Picture width in pixels. */
  width: number;
  /** Picture height in pixels. */
  height: number;
  /** Side of one cell in pixels. */
  cellSize: number;
  /** The panels, left to right: the map, then the reward and value heatmaps that were given. */
  panels: PanelLayout[];
}

const FN = 'renderPlanPicture';

const WHITE: Color = [255, 255, 255];
const INK: Color = [34, 34, 34];
const MUTED: Color = [110, 110, 110];
const GRID_LINE: Color = [218, 218, 218];
const FRAME: Color = [140, 140, 140];
const OBSTACLE: Color = [68, 68, 68];
const START: Color = [32, 168, 64];
const GOAL: Color = [222, 36, 36];
const PLANNED: Color = [36, 96, 230];
const EXPERT: Color = [255, 145, 0];
const REACHED: Color = [28, 140, 52];
const NOT_REACHED: Color = [205, 30, 30];

// Layout, in pixels. Text is the 5x7 font at scale 2 (capitals 14 px high): readable at 100%.
const MARGIN = 16;
const PANEL_GAP = 32;
const TEXT_SCALE = 2;
const LINE = measureText('', TEXT_SCALE).height;
const CAPTION_GAP = 6;
const FOOTER_GAP = 12;
const MIN_PANEL_WIDTH = 240;
const LEGEND_ROW = 22;
const LEGEND_SWATCH = 28;
const BAR_HEIGHT = 14;
const BAR_LABEL_GAP = 5;
// A long title may widen a narrow picture up to this width; beyond it, it is cut short.
const MAX_TITLE_WIDTH = 1000;
const TITLE_GAP = '   ';

/**
 * Cell side in pixels: 24 for small maps, shrinking so a panel stays near 340 px, never under 8 (a 28x28
 * map gets 12 px cells).
 */
function cellSizeFor(gridSize: number): number {
  return Math.max(8, Math.min(24, Math.floor(340 / gridSize)));
}

/**
 * The viridis colour map (matplotlib's default), interpolated linearly between 9 evenly spaced control
 * points; `t` is clamped to [0, 1]. Perceptually uniform and readable in greyscale and by most colour-blind
 * readers, so low and high values cannot be confused.
 */
export function viridis(t: number): [number, number, number] {
  const stops: readonly (readonly [number, number, number])[] = [
    [68, 1, 84], [71, 45, 123], [59, 82, 139], [44, 114, 142], [33, 144, 140],
    [39, 173, 129], [93, 200, 99], [170, 220, 50], [253, 231, 37],
  ];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]))) as [number, number, number];
}

function checkCell(name: string, cell: unknown, n: number): Cell {
  if (!Array.isArray(cell) || cell.length !== 2 || !cell.every((v) => typeof v === 'number')) {
    fail(FN, 'a cell [row, col]', name, cell);
  }
  if (!cell.every((v) => Number.isInteger(v) && v >= 0 && v < n)) {
    fail(FN, `a cell [row, col] on the ${n}x${n} map (integers in [0, ${n - 1}])`, name, cell, 'ERR_VALUE');
  }
  return cell as unknown as Cell;
}

function checkPath(name: string, path: unknown, n: number): readonly Cell[] {
  if (!Array.isArray(path)) fail(FN, 'an array of cells [row, col]', name, path);
  path.forEach((cell, i) => checkCell(`${name}[${i}]`, cell, n));
  return path as Cell[];
}

function checkField(name: string, field: unknown, n: number): ArrayLike<number> {
  const isArrayLike = Array.isArray(field) || (ArrayBuffer.isView(field) && !(field instanceof DataView));
  if (!isArrayLike) fail(FN, `a Float32Array of ${n * n} values`, name, field);
  const values = field as ArrayLike<number>;
  if (values.length !== n * n) {
    fail(FN, `${n * n} values (gridSize^2 = ${n}*${n})`, `${name} length`, values.length, 'ERR_SHAPE');
  }
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) {
      fail(FN, 'finite numbers', `${name}[${i}] (row ${Math.floor(i / n)}, col ${i % n})`, values[i], 'ERR_VALUE');
    }
  }
  return values;
}

/** `options` checked, with the obstacles as n*n cells whatever form they came in. */
type CheckedOptions = PlanPictureOptions & { obstacles: Uint8Array };

function checkOptions(options: PlanPictureOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) fail(FN, 'an options object', 'options', options);
  const n = checkInt(FN, 'gridSize', options.gridSize, 2, 256);
  const obstacles = obstacleCells(FN, options.obstacles, n, `gridSize ${n}`);
  checkCell('start', options.start, n);
  checkCell('goal', options.goal, n);
  checkPath('plannedPath', options.plannedPath, n);
  if (options.expertPath !== undefined) checkPath('expertPath', options.expertPath, n);
  if (options.reward !== undefined) checkField('reward', options.reward, n);
  if (options.value !== undefined) checkField('value', options.value, n);
  if (options.title !== undefined && typeof options.title !== 'string') fail(FN, 'a string', 'title', options.title);
  if (options.reached !== undefined && typeof options.reached !== 'boolean') {
    fail(FN, 'a boolean', 'reached', options.reached);
  }
  return { ...options, obstacles };
}

function legendEntries(options: PlanPictureOptions): string[] {
  return ['start', 'goal', 'planned path', ...(options.expertPath ? ['expert path'] : []), 'obstacle'];
}

function headerHeight(options: PlanPictureOptions): number {
  return options.title !== undefined || options.reached !== undefined ? LINE + 12 : 0;
}

function statusText(reached: boolean): string {
  return reached ? 'goal reached' : 'goal not reached';
}

/** The width of the title line at full length: title, a gap, then the reached status. */
function headerWidth(options: PlanPictureOptions): number {
  const parts = [options.title, options.reached === undefined ? undefined : statusText(options.reached)];
  return measureText(parts.filter((p) => p !== undefined).join(TITLE_GAP), TEXT_SCALE).width;
}

/**
 * The geometry of the picture {@link renderPlanPicture} draws for `options`: its size, the cell size and
 * where each panel's grid lies. Validates `options` the same way.
 */
export function layoutPlanPicture(options: PlanPictureOptions): PlanPictureLayout {
  checkOptions(options);
  const n = options.gridSize;
  const cellSize = cellSizeFor(n);
  const size = n * cellSize;
  const kinds: PanelLayout['kind'][] = ['map'];
  if (options.reward !== undefined) kinds.push('reward');
  if (options.value !== undefined) kinds.push('value');
  const panelWidth = Math.max(size, MIN_PANEL_WIDTH);
  const gridTop = MARGIN + headerHeight(options) + LINE + CAPTION_GAP;
  const legendHeight = legendEntries(options).length * LEGEND_ROW;
  const barHeight = kinds.length > 1 ? BAR_HEIGHT + BAR_LABEL_GAP + LINE : 0;
  const panels = kinds.map((kind, i) => {
    return { kind, width: panelWidth, x: MARGIN + i * (panelWidth + PANEL_GAP), y: gridTop, size };
  });
  const panelsWidth = kinds.length * panelWidth + (kinds.length - 1) * PANEL_GAP;
  return {
    width: 2 * MARGIN + Math.max(panelsWidth, Math.min(headerWidth(options), MAX_TITLE_WIDTH)),
    height: gridTop + size + FOOTER_GAP + Math.max(legendHeight, barHeight) + MARGIN,
    cellSize,
    panels,
  };
}

function centre(panel: PanelLayout, cellSize: number, [row, col]: Cell): [number, number] {
  return [panel.x + (col + 0.5) * cellSize, panel.y + (row + 0.5) * cellSize];
}

function starPoints(cx: number, cy: number, outer: number, inner: number): Point[] {
  const points: Point[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    points.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
  }
  return points;
}

function drawStart(canvas: Raster, x: number, y: number, radius: number): void {
  canvas.fillCircle(x, y, radius + 1.5, WHITE);
  canvas.fillCircle(x, y, radius, START);
}

function drawGoal(canvas: Raster, x: number, y: number, radius: number): void {
  canvas.fillPolygon(starPoints(x, y, radius + 2, (radius + 2) * 0.5), WHITE);
  canvas.fillPolygon(starPoints(x, y, radius, radius * 0.45), GOAL);
}

function strokes(cellSize: number): { planned: number; expert: number; dash: [number, number] } {
  return {
    planned: Math.max(3, cellSize * 0.32),
    expert: Math.max(1.5, cellSize * 0.13),
    dash: [Math.max(3, cellSize * 0.45), Math.max(2, cellSize * 0.3)],
  };
}

/** Draws `text`, cut short with "..." when it is wider than `maxWidth`. */
function drawFittedText(canvas: Raster, text: string, x: number, y: number, maxWidth: number, color: Color): number {
  let shown = text;
  if (measureText(shown, TEXT_SCALE).width > maxWidth) {
    const chars = [...text];
    while (chars.length > 0 && measureText(chars.join('') + '...', TEXT_SCALE).width > maxWidth) chars.pop();
    shown = chars.join('') + '...';
  }
  return canvas.drawText(shown, x, y, { color, scale: TEXT_SCALE });
}

function drawMapPanel(canvas: Raster, panel: PanelLayout, cellSize: number, options: CheckedOptions): void {
  const n = options.gridSize;
  const { x, y, size } = panel;
  canvas.fillRect(x, y, size, size, WHITE);
  for (let i = 1; i < n; i++) {
    canvas.fillRect(x + i * cellSize, y, 1, size, GRID_LINE);
    canvas.fillRect(x, y + i * cellSize, size, 1, GRID_LINE);
  }
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (options.obstacles[r * n + c] === 1) canvas.fillRect(x + c * cellSize, y + r * cellSize, cellSize, cellSize, OBSTACLE);
    }
  }
  canvas.strokeRect(x - 1, y - 1, size + 2, size + 2, FRAME);
  const stroke = strokes(cellSize);
  const toPoints = (path: readonly Cell[]): Point[] => path.map((cell) => centre(panel, cellSize, cell));
  canvas.drawPolyline(toPoints(options.plannedPath), { color: PLANNED, width: stroke.planned });
  if (options.expertPath !== undefined) {
    canvas.drawPolyline(toPoints(options.expertPath), { color: EXPERT, width: stroke.expert, dash: stroke.dash });
  }
  // Markers may spill over their cell on dense maps: a start or goal must never be hard to find.
  drawStart(canvas, ...centre(panel, cellSize, options.start), Math.max(cellSize * 0.36, 5));
  drawGoal(canvas, ...centre(panel, cellSize, options.goal), Math.max(cellSize * 0.5, 7.5));
}

function drawLegend(canvas: Raster, left: number, top: number, options: PlanPictureOptions, cellSize: number): void {
  const stroke = strokes(Math.max(cellSize, 16));
  legendEntries(options).forEach((label, i) => {
    const cy = top + i * LEGEND_ROW + LINE / 2 - 1;
    const x0 = left + 2;
    const x1 = left + LEGEND_SWATCH - 2;
    const cx = (x0 + x1) / 2;
    if (label === 'start') drawStart(canvas, cx, cy, 6);
    else if (label === 'goal') drawGoal(canvas, cx, cy, 8);
    else if (label === 'planned path') canvas.drawLine(x0, cy, x1, cy, { color: PLANNED, width: stroke.planned });
    else if (label === 'expert path') {
      canvas.drawLine(x0, cy, x1, cy, { color: EXPERT, width: stroke.expert, dash: [6, 4] });
    } else canvas.fillRect(cx - 7, cy - 7, 14, 14, OBSTACLE);
    canvas.drawText(label, left + LEGEND_SWATCH + 8, top + i * LEGEND_ROW, { color: INK, scale: TEXT_SCALE });
  });
}

/** A number in at most about 7 characters: 3 significant digits, exponent form when very large or small. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function drawHeatmapPanel(canvas: Raster, panel: PanelLayout, cellSize: number, field: ArrayLike<number>,
  options: CheckedOptions): void {
  const n = options.gridSize;
  const { x, y, size } = panel;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < field.length; i++) {
    lo = Math.min(lo, field[i]);
    hi = Math.max(hi, field[i]);
  }
  // A constant map is drawn in the middle colour rather than dividing by zero.
  const scale = (v: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      canvas.fillRect(x + c * cellSize, y + r * cellSize, cellSize, cellSize, viridis(scale(field[r * n + c])));
    }
  }
  outlineObstacles(canvas, panel, cellSize, options);
  canvas.strokeRect(x - 1, y - 1, size + 2, size + 2, FRAME);

  const barTop = y + size + FOOTER_GAP;
  for (let i = 0; i < size; i++) canvas.fillRect(x + i, barTop, 1, BAR_HEIGHT, viridis(i / Math.max(size - 1, 1)));
  canvas.strokeRect(x - 1, barTop - 1, size + 2, BAR_HEIGHT + 2, FRAME);
  const labelTop = barTop + BAR_HEIGHT + BAR_LABEL_GAP;
  let low = formatValue(lo);
  let high = formatValue(hi);
  const withWords = measureText(`min ${low}`, TEXT_SCALE).width + measureText(`max ${high}`, TEXT_SCALE).width + 16;
  if (withWords <= size) {
    low = `min ${low}`;
    high = `max ${high}`;
  }
  canvas.drawText(low, x, labelTop, { color: INK, scale: TEXT_SCALE });
  // Right-aligned under the bar's end, or past it (still inside the column) when a tiny grid leaves no room.
  const lowWidth = measureText(low, TEXT_SCALE).width;
  const highWidth = measureText(high, TEXT_SCALE).width;
  const highLeft = Math.max(x + size - highWidth, x + lowWidth + 16);
  canvas.drawText(high, highLeft, labelTop, { color: INK, scale: TEXT_SCALE });
}

/**
 * Outlines the obstacle regions on a heatmap: a white line wherever an obstacle cell meets a free cell
 * (or the map edge), with a dark core so it reads on both ends of the colour scale.
 */
function outlineObstacles(canvas: Raster, panel: PanelLayout, cellSize: number, options: CheckedOptions): void {
  const n = options.gridSize;
  const isObstacle = (r: number, c: number): boolean =>
    r >= 0 && c >= 0 && r < n && c < n && options.obstacles[r * n + c] === 1;
  const t = Math.max(1, Math.round(cellSize / 10));
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!isObstacle(r, c)) continue;
      const left = panel.x + c * cellSize;
      const top = panel.y + r * cellSize;
      // Inside the obstacle cell, along each side that borders free space.
      if (!isObstacle(r - 1, c) && r > 0) canvas.fillRect(left, top, cellSize, t, WHITE);
      if (!isObstacle(r + 1, c) && r < n - 1) canvas.fillRect(left, top + cellSize - t, cellSize, t, WHITE);
      if (!isObstacle(r, c - 1) && c > 0) canvas.fillRect(left, top, t, cellSize, WHITE);
      if (!isObstacle(r, c + 1) && c < n - 1) canvas.fillRect(left + cellSize - t, top, t, cellSize, WHITE);
    }
  }
}

/**
 * Draws a plan as a PNG picture: (1) the map, with free cells white, obstacles dark grey, the start a green
 * disc, the goal a red star, the planned path a thick blue line through cell centres and the expert path
 * a thin dashed orange line, and a legend; then, when given, (2) the learned reward and (3) the value
 * map as viridis heatmaps with their colour scale and min/max, obstacle regions outlined in white.
 * Cells are 24 px on small maps and at least 8 px (12 px at 28x28). See {@link layoutPlanPicture} for
 * the geometry. Throws KeratorchError (ERR_ARGUMENT, ERR_VALUE or ERR_SHAPE) naming the bad option.
 */
export function renderPlanPicture(picture: PlanPictureOptions): Uint8Array {
  const layout = layoutPlanPicture(picture);
  const options = checkOptions(picture);
  const canvas = new Raster(layout.width, layout.height, WHITE);
  const { cellSize } = layout;
  const usable = layout.width - 2 * MARGIN;
  let titleWidth = 0;
  if (options.title !== undefined) {
    const reserve = options.reached === undefined ? 0 : measureText(TITLE_GAP + statusText(options.reached), TEXT_SCALE).width;
    titleWidth = drawFittedText(canvas, options.title, MARGIN, MARGIN, Math.max(usable - reserve, 0), INK);
  }
  if (options.reached !== undefined) {
    // The gap's advance: the spaces plus the blank column that ends the title's last glyph.
    const gap = measureText(TITLE_GAP + '.', TEXT_SCALE).width - measureText('.', TEXT_SCALE).width;
    const x = MARGIN + (titleWidth > 0 ? titleWidth + gap : 0);
    canvas.drawText(statusText(options.reached), x, MARGIN,
      { color: options.reached ? REACHED : NOT_REACHED, scale: TEXT_SCALE });
  }
  const n = options.gridSize;
  for (const panel of layout.panels) {
    const captionTop = panel.y - CAPTION_GAP - LINE;
    const caption = panel.kind === 'map' ? `Map ${n}x${n}` : panel.kind === 'reward' ? 'Reward (learned)' : 'Value';
    drawFittedText(canvas, caption, panel.x, captionTop, panel.width, INK);
    if (panel.kind === 'map') {
      drawMapPanel(canvas, panel, cellSize, options);
      drawLegend(canvas, panel.x, panel.y + panel.size + FOOTER_GAP, options, cellSize);
    } else {
      drawHeatmapPanel(canvas, panel, cellSize, panel.kind === 'reward' ? options.reward! : options.value!, options);
    }
  }
  return canvas.toPng();
}
