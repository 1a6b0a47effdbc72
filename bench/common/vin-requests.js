// What the serving benchmarks (server.js, batching.js) plan with: a VIN model folder per grid and
// plan requests on generated maps.
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..', '..');

/** The shipped model's folder for a grid, else an untrained VIN saved to a temporary folder. */
function modelFor(grid) {
  const shipped = path.join(root, 'models', `vin-${grid}x${grid}`);
  if (fs.existsSync(path.join(shipped, 'model.json'))) return { dir: shipped, trained: true };
  const { buildVin } = require('../../lib/vin');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keratorch-vin-${grid}-`));
  const model = buildVin({ gridSize: grid });
  model.save(dir);
  model.dispose();
  return { dir, trained: false };
}

/** Plan requests { obstacles (n rows of n), start, goal } on generated maps, the expert path's first cell as the start. */
function planRequests(grid, count) {
  const { generateGridworld } = require('../../lib/vin');
  const ds = generateGridworld({ gridSize: grid, numDomains: count, pathsPerDomain: 1, seed: 5 });
  const cells = grid * grid;
  return Array.from({ length: count }, (_, d) => {
    const first = ds.pathOffsets[ds.pathDomain.indexOf(d)];
    const obstacles = Array.from({ length: grid },
      (_, r) => Array.from(ds.obstacles.subarray(d * cells + r * grid, d * cells + (r + 1) * grid)));
    return { obstacles, start: [ds.pathCells[2 * first], ds.pathCells[2 * first + 1]], goal: [ds.goals[2 * d], ds.goals[2 * d + 1]] };
  });
}

module.exports = { modelFor, planRequests };
