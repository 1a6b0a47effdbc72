/** `keratorch gen`: writes a generated gridworld dataset, or prints a dataset's statistics. */
import { ProgressBar } from '../util/progress';
import { generateGridworld, GRID_SIZE_LIMITS } from '../vin/data/generate';
import { saveDataset } from '../vin/data/npz';
import { datasetDistributions, datasetStats, formatDistributions } from '../vin/data/stats';
import { checkOutputPath, intOption, OptionSpec, parseOptions, UsageError } from './args';
import { loadAnyDataset } from './data-files';

export const genOptions: OptionSpec = {
  grid: { type: 'string', help: `map side n >= ${GRID_SIZE_LIMITS.min} (8, 16, 28 use the paper's settings; required to generate)` },
  domains: { type: 'string', help: 'maps to generate (default 5000)' },
  paths: { type: 'string', help: 'expert paths a map (default 7)' },
  seed: { type: 'string', help: 'random seed (default 0)' },
  out: { type: 'string', help: 'the .npz file to write (required to generate)' },
  stats: { type: 'boolean', help: 'print per-map obstacle density and path length figures (of --data, or of what was generated)' },
  data: { type: 'string', help: 'with --stats: the dataset to measure instead of generating (.npz, or the paper\'s .mat)' },
};

/** Runs `keratorch gen`. */
export function gen(argv: string[]): void {
  const o = parseOptions('gen', argv, genOptions);
  if (o.data !== undefined) {
    if (!o.stats) throw new UsageError('keratorch gen: --data is only read with --stats (--stats --data <file> measures it)');
    const generating = ['grid', 'domains', 'paths', 'seed', 'out'].filter((name) => o[name] !== undefined);
    if (generating.length > 0) {
      throw new UsageError(`keratorch gen: --stats --data measures an existing dataset and generates nothing, so it ` +
        `takes no ${generating.map((name) => `--${name}`).join(', ')}`);
    }
    for (const line of formatDistributions(datasetDistributions(loadAnyDataset('gen', o.data as string)))) console.log(line);
    return;
  }
  for (const name of ['grid', 'out']) {
    if (o[name] === undefined) throw new UsageError(`keratorch gen: --${name} is required (or --stats --data <file> to measure one)`);
  }
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
  if (o.stats) for (const line of formatDistributions(datasetDistributions(ds))) console.log(line);
}
