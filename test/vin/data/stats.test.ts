/**
 * datasetStats, and generated data against the original VIN data: the original 8x8 test set
 * (gridworld_8_test.mat, 1000 domains, one expert path each) has an interior obstacle density of 0.108,
 * 3.96 cells a path (start and goal included), and 9.4% of its maps have no interior obstacle.
 */
import { datasetStats, generateGridworld } from '../../../src';
import type { GridworldDataset } from '../../../src';

const ORIGINAL_8 = { interiorDensity: 0.108, meanPathStates: 3.96, emptyInteriorFraction: 0.094 };

function emptyInteriorFraction(ds: GridworldDataset): number {
  const n = ds.gridSize;
  let empty = 0;
  for (let d = 0; d < ds.numDomains; d++) {
    let count = 0;
    for (let r = 1; r < n - 1; r++) for (let c = 1; c < n - 1; c++) count += ds.obstacles[(d * n + r) * n + c];
    if (count === 0) empty++;
  }
  return empty / ds.numDomains;
}

describe('datasetStats', () => {
  test('counts on a hand-made dataset', () => {
    const ds: GridworldDataset = {
      gridSize: 4,
      numDomains: 1,
      obstacles: Uint8Array.of(1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1),
      goals: Int32Array.of(2, 2),
      sampleDomain: Int32Array.of(0, 0),
      sampleState: Int32Array.of(1, 1, 2, 1),
      sampleLabel: Uint8Array.of(6, 2),
      pathDomain: Int32Array.of(0, 0),
      pathOffsets: Int32Array.of(0, 2, 4),
      pathCells: Int32Array.of(1, 1, 2, 2, 2, 1, 2, 2),
    };
    expect(datasetStats(ds)).toEqual({ interiorDensity: 0.25, meanPathStates: 2, numPaths: 2, numSamples: 2 });
  });

  test('generated 8x8 data matches the original within 10%', () => {
    const ds = generateGridworld({ gridSize: 8, numDomains: 1000, seed: 2016 });
    const stats = datasetStats(ds);
    expect(Math.abs(stats.interiorDensity / ORIGINAL_8.interiorDensity - 1)).toBeLessThan(0.1);
    expect(Math.abs(stats.meanPathStates / ORIGINAL_8.meanPathStates - 1)).toBeLessThan(0.1);
    // The shapes' reading also reproduces how often a map's interior stays empty (obstacles that land
    // on the border only); a reading with a single cell for every obstacle gives about 2%.
    expect(Math.abs(emptyInteriorFraction(ds) - ORIGINAL_8.emptyInteriorFraction)).toBeLessThan(0.03);
    expect(stats.numPaths).toBe(7000);
    expect(stats.numSamples).toBe(ds.pathCells.length / 2 - stats.numPaths);
  });

  test.each([
    { n: 16, density: [0.1, 0.3], cells: [5, 11] },
    { n: 28, density: [0.1, 0.3], cells: [9, 19] },
  ])('generated $n x $n data is plausible (density in $density, cells a path in $cells)', ({ n, density, cells }) => {
    const stats = datasetStats(generateGridworld({ gridSize: n, numDomains: 300, seed: 2016 }));
    expect(stats.interiorDensity).toBeGreaterThan(density[0]);
    expect(stats.interiorDensity).toBeLessThan(density[1]);
    expect(stats.meanPathStates).toBeGreaterThan(cells[0]);
    expect(stats.meanPathStates).toBeLessThan(cells[1]);
  });
});
