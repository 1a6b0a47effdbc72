/**
 * Random obstacle maps as in the VIN paper's generator: a random number of rectangles and circles at
 * random places, each rejected if it would cover the goal, then a one-cell border.
 *
 * The exact shapes are the reading of "size up to maxObsSize" that reproduces the original 8x8 data
 * (interior density 0.108, 9.4% of maps with an empty interior, the same histogram of interior obstacle
 * cells; giving every obstacle one cell instead doubles the density): a size s is uniform in
 * 1..maxObsSize (0 when maxObsSize is 0); a rectangle of height h and width w covers rows r..r+h and
 * columns c..c+w from a random corner (r, c), clipped at the map's edge (so size 0 is a single cell);
 * a circle of radius s around a random cell covers the cells whose centres lie strictly inside it
 * (radius 0 nothing, 1 the centre cell, 2 a 3x3 block). Corners and centres are anywhere on the map,
 * border included, so some obstacles only add to the border.
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
    for (let r = row; r <= Math.min(row + height, n - 1); r++) {
      for (let c = col; c <= Math.min(col + width, n - 1); c++) cells[count++] = r * n + c;
    }
  } else {
    const radius = size();
    const row = rng.int(n);
    const col = rng.int(n);
    for (let r = Math.max(row - radius, 0); r <= Math.min(row + radius, n - 1); r++) {
      for (let c = Math.max(col - radius, 0); c <= Math.min(col + radius, n - 1); c++) {
        if ((r - row) ** 2 + (c - col) ** 2 < radius * radius) cells[count++] = r * n + c;
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
