/** `keratorch gen`: writes a generated gridworld dataset. */
import { ProgressBar } from '../util/progress';
import { generateGridworld } from '../vin/data/generate';
import { saveDataset } from '../vin/data/npz';
import { datasetStats } from '../vin/data/stats';
import { intOption, OptionSpec, parseOptions } from './args';

export const genOptions: OptionSpec = {
  grid: { type: 'string', required: true, help: 'map side n (8, 16, 28 use the paper\'s settings)' },
  domains: { type: 'string', help: 'maps to generate (default 5000)' },
  paths: { type: 'string', help: 'expert paths a map (default 7)' },
  seed: { type: 'string', help: 'random seed (default 0)' },
  out: { type: 'string', required: true, help: 'the .npz file to write' },
};

/** Runs `keratorch gen`. */
export function gen(argv: string[]): void {
  const o = parseOptions('gen', argv, genOptions);
  const gridSize = intOption('gen', 'grid', o.grid, 0, 3, 256);
  const numDomains = intOption('gen', 'domains', o.domains, 5000);
  const bar = new ProgressBar(numDomains, 'gen ', { stream: process.stderr });
  const ds = generateGridworld({
    gridSize, numDomains, seed: intOption('gen', 'seed', o.seed, 0, 0),
    pathsPerDomain: intOption('gen', 'paths', o.paths, 7),
    onProgress: (done) => bar.update(done),
  });
  saveDataset(o.out as string, ds);
  const stats = datasetStats(ds);
  console.log(`wrote ${o.out}: ${ds.numDomains} ${gridSize}x${gridSize} maps, ${stats.numPaths} expert paths, ` +
    `${stats.numSamples} labelled states; interior obstacle density ${stats.interiorDensity.toFixed(3)}, ` +
    `${stats.meanPathStates.toFixed(2)} cells a path`);
}
