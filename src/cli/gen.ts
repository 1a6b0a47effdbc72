/** `keratorch gen`: writes a generated gridworld dataset. */
import { ProgressBar } from '../util/progress';
import { generateGridworld, GRID_SIZE_LIMITS } from '../vin/data/generate';
import { saveDataset } from '../vin/data/npz';
import { datasetStats } from '../vin/data/stats';
import { checkOutputPath, intOption, OptionSpec, parseOptions } from './args';

export const genOptions: OptionSpec = {
  grid: { type: 'string', required: true, help: `map side n >= ${GRID_SIZE_LIMITS.min} (8, 16, 28 use the paper's settings)` },
  domains: { type: 'string', help: 'maps to generate (default 5000)' },
  paths: { type: 'string', help: 'expert paths a map (default 7)' },
  seed: { type: 'string', help: 'random seed (default 0)' },
  out: { type: 'string', required: true, help: 'the .npz file to write' },
};

/** Runs `keratorch gen`. */
export function gen(argv: string[]): void {
  const o = parseOptions('gen', argv, genOptions);
  const gridSize = intOption('gen', 'grid', o.grid, 0, GRID_SIZE_LIMITS.min, GRID_SIZE_LIMITS.max);
  const numDomains = intOption('gen', 'domains', o.domains, 5000);
  const seed = intOption('gen', 'seed', o.seed, 0, 0);
  const pathsPerDomain = intOption('gen', 'paths', o.paths, 7);
  checkOutputPath('gen', 'out', o.out as string, 'file');
  const bar = new ProgressBar(numDomains, 'gen ', { stream: process.stderr });
  const ds = generateGridworld({ gridSize, numDomains, seed, pathsPerDomain, onProgress: (done) => bar.update(done) });
  saveDataset(o.out as string, ds);
  const stats = datasetStats(ds);
  console.log(`wrote ${o.out}: ${ds.numDomains} ${gridSize}x${gridSize} maps, ${stats.numPaths} expert paths, ` +
    `${stats.numSamples} labelled states; interior obstacle density ${stats.interiorDensity.toFixed(3)}, ` +
    `${stats.meanPathStates.toFixed(2)} cells a path`);
}
