/**
 * Random obstacle maps as in the VIN paper's generator (avivt/VIN, `obstacle_gen.m`): a random number
 * of rectangles and circles at random places, each rejected if it would cover the goal, then a
 * one-cell border.
 *
 * The original drew the shapes with MATLAB's `insertShape` (SmoothEdges off); these are the cells we
 * infer it filled, from the paper's data (MATLAB is not at hand to check): a size s is
 * `ceil(rand * maxObsSize)`, so uniform in 1..maxObsSize, and 0 when maxObsSize is 0 (the 8x8 data).
 * A rectangle of height h and width w covers h rows and w columns from a random corner (r, c),
 * clipped at the map's edge, so size 0 covers nothing. A circle of radius s around a random cell is a
 * raster disc: the cells (dr, dc) with dr² + dc² < s(s + 1), and the centre alone at radius 0
 * (radius 1: a plus of 5 cells; 2: a 5x5 block without its corners, 21 cells; up to radius 5 this is
 * the midpoint circle algorithm's disc). Corners and centres are anywhere on the map, border
 * included, so some obstacles only add to the border. These sizes reproduce the per-map density
 * distribution of the original 8x8, 16x16 and 28x28 data (`npm run bench:gen-stats`). An earlier
 * reading, with rectangles one cell longer and circles of only the cells strictly inside radius s,
 * matched at 8x8 (where size 0 gives one shape one cell and the other nothing either way) but made
 * maps 13% too sparse at 16x16 and 23% at 28x28.
 */
import { SeededRandom } from './random';

/** Where a shape would go; `cells` receives its flat cell indices, the count is returned. */
function drawShape(rng: SeededRandom, n: number, maxObsSize: number, cells: Int32Array): number {
  const size = (): number => (maxObsSize === 0 ? 0 : 1 + rng.int(maxObsSize));
  let count = 0;
  if (rng.next() < 0.5) {
    const height = size();
    const width = size();
    const row = rng.int(n);
    const col = rng.int(n);
    for (let r = row; r < Math.min(row + height, n); r++) {
      for (let c = col; c < Math.min(col + width, n); c++) cells[count++] = r * n + c;
    }
  } else {
    const radius = size();
    const row = rng.int(n);
    const col = rng.int(n);
    // max(.., 1) puts the centre in at radius 0.
    const limit = Math.max(radius * (radius + 1), 1);
    for (let r = Math.max(row - radius, 0); r <= Math.min(row + radius, n - 1); r++) {
      for (let c = Math.max(col - radius, 0); c <= Math.min(col + radius, n - 1); c++) {
        if ((r - row) ** 2 + (c - col) ** 2 < limit) cells[count++] = r * n + c;
      }
    }
  }
  return count;
}

/**
 * Draws one obstacle map into `map` (n*n, zeroed first): 1 + rng.int(maxObs) shapes, each kept unless
 * it covers `goal` (a flat cell index), then the border. Returns how many shapes were kept; the caller
 * redraws a map that kept none, as the original did.
 */
export function drawObstacleMap(rng: SeededRandom, n: number, goal: number, maxObs: number, maxObsSize: number,
  map: Uint8Array, scratch: Int32Array): number {
  map.fill(0);
  const attempts = 1 + rng.int(maxObs);
  let kept = 0;
  for (let i = 0; i < attempts; i++) {
    const count = drawShape(rng, n, maxObsSize, scratch);
    let coversGoal = false;
    for (let k = 0; k < count; k++) if (scratch[k] === goal) coversGoal = true;
    if (coversGoal) continue;
    for (let k = 0; k < count; k++) map[scratch[k]] = 1;
    kept++;
  }
  for (let k = 0; k < n; k++) {
    map[k] = 1;
    map[(n - 1) * n + k] = 1;
    map[k * n] = 1;
    map[k * n + n - 1] = 1;
  }
  return kept;
}

/** The scratch size {@link drawObstacleMap} needs: the most cells one shape can cover. */
export function shapeScratchSize(n: number, maxObsSize: number): number {
  const side = Math.min(2 * maxObsSize + 1, n);
  return side * side;
}
