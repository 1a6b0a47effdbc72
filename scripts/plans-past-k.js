// Plans past k (README, "Plans past k"): success on the longest 10% of a dataset's expert paths, at most
// twice the expert's steps each, at the model's k and with k: 'auto' (KS=model,40,auto for others), and
// why each plan ended. A model trained on other map sizes plans with its weights in a VIN of the data's size.
//   npm run build:ts && node scripts/plans-past-k.js models/vin-16x16 test16.npz [paths]
const path = require('path');
const { loadPlanner, buildVin, Planner, loadDataset } = require(path.join(__dirname, '../lib/vin'));
const [modelDir, dataFile, limitArg] = process.argv.slice(2);
const ds = loadDataset(dataFile);
const n = ds.gridSize;
const loaded = loadPlanner(modelDir);
let planner = loaded;
if (loaded.gridSize !== n) {
  // The weights are size-agnostic (convolutions): the same VIN on n x n maps.
  const model = buildVin({ gridSize: n, k: loaded.model.getLayer('vi').k });
  model.setWeights(loaded.model.getWeights());
  planner = new Planner(model);
}
const P = ds.pathDomain.length;
const steps = Array.from({ length: P }, (_, p) => ds.pathOffsets[p + 1] - ds.pathOffsets[p] - 1);
const longest = [...steps.keys()].sort((a, b) => steps[b] - steps[a] || a - b).slice(0, Math.ceil(P / 10));
const limit = limitArg ? Number(limitArg) : longest.length;
const picked = longest.slice(0, limit);
console.log(`${dataFile}: ${P} paths; the longest ${picked.length}: ${steps[picked[picked.length - 1]]}..${steps[picked[0]]} steps`);
for (const k of (process.env.KS ? process.env.KS.split(',').map((v) => (v === 'auto' ? v : v === 'model' ? undefined : Number(v))) : [undefined, 'auto'])) {
  const ends = {}; const ks = {}; let reached = 0; const t0 = Date.now();
  for (const p of picked) {
    const d = ds.pathDomain[p]; const first = ds.pathOffsets[p];
    const obstacles = ds.obstacles.subarray(d * n * n, (d + 1) * n * n);
    const r = planner.plan({ obstacles, goal: [ds.goals[2 * d], ds.goals[2 * d + 1]],
      start: [ds.pathCells[2 * first], ds.pathCells[2 * first + 1]], maxSteps: 2 * steps[p], k });
    if (r.reached) reached++;
    ends[r.ended] = (ends[r.ended] || 0) + 1; ks[r.k] = (ks[r.k] || 0) + 1;
  }
  console.log(`k ${k ?? 'model'}: ${(100 * reached / picked.length).toFixed(1)}% reached; ended ${JSON.stringify(ends)}; k ${JSON.stringify(ks)}; ${Date.now() - t0} ms`);
}
