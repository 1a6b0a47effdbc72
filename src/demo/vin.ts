/**
 * `npm run demo`: trains an 8x8 VIN on freshly generated gridworlds (CPU, a few minutes), evaluates
 * it on the paper's original 8x8 test set (when present) and on generated maps from an unseen seed,
 * draws one plan, and says where everything went.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildInfo, getNumThreads } from '../backend';
import { ProgressBar } from '../util/progress';
import { generateGridworld } from '../vin/data/generate';
import { loadOriginalGridworld } from '../vin/data/matlab';
import { datasetStats } from '../vin/data/stats';
import { saveDataset } from '../vin/data/npz';
import { evaluateVin, EvaluationResult } from '../vin/planning';
import { trainVin } from '../vin/train';
import { plan } from '../cli/plan';

const root = path.resolve(__dirname, '..', '..');
const outDir = path.join(root, 'demo-output');
// The paper's data: $KERATORCH_VIN_ORIGINAL, or ../shared/data/vin-original beside the checkout.
const originalDir = process.env.KERATORCH_VIN_ORIGINAL ?? path.resolve(root, '..', 'shared', 'data', 'vin-original');
const originalTest = path.join(originalDir, 'gridworld_8_test.mat');

function report(name: string, r: EvaluationResult): string {
  return `${name}: ${r.n} paths, action accuracy ${(100 * r.accuracy).toFixed(2)}%, success ${(100 * r.successRate).toFixed(2)}%, ` +
    `trajectory diff ${r.trajectoryDiff.toFixed(3)}`;
}

function main(): void {
  const epochs = Number(process.env.DEMO_EPOCHS ?? 20);
  const info = buildInfo();
  console.log(`keratorch VIN demo: libtorch ${info.torchVersion} (${info.torchSource}), ${getNumThreads()} thread(s)`);
  fs.mkdirSync(outDir, { recursive: true });
  const bar = new ProgressBar(5000, 'generate ');
  const train = generateGridworld({ gridSize: 8, numDomains: 5000, seed: 1, onProgress: (done) => bar.update(done) });
  const validation = generateGridworld({ gridSize: 8, numDomains: 500, seed: 2 });
  const stats = datasetStats(train);
  console.log(`training data: 5000 generated 8x8 maps, ${stats.numSamples} labelled states, obstacle density ` +
    `${stats.interiorDensity.toFixed(3)}`);
  const { model, seconds } = trainVin(train, { epochs, validation, verbose: 1 });
  const modelDir = path.join(outDir, 'vin-8x8');
  fs.rmSync(modelDir, { recursive: true, force: true });
  model.save(modelDir);
  console.log(`trained ${epochs} epochs in ${seconds.toFixed(1)} s; model saved to ${modelDir}`);
  const results: Record<string, EvaluationResult> = {};
  const unseen = generateGridworld({ gridSize: 8, numDomains: 1000, seed: 3 });
  const unseenFile = path.join(outDir, 'test-8x8.npz');
  saveDataset(unseenFile, unseen);
  results.generated = evaluateVin(model, unseen);
  console.log(report('generated test maps (seed 3, never trained on)', results.generated));
  let planData = unseenFile;
  if (fs.existsSync(originalTest)) {
    results.original = evaluateVin(model, loadOriginalGridworld(originalTest));
    console.log(report(`original 8x8 test set (${originalTest})`, results.original));
    planData = originalTest;
  } else {
    console.log(`original test set not found at ${originalTest} (set KERATORCH_VIN_ORIGINAL to its folder): skipped`);
  }
  plan(['--model', modelDir, '--data', planData, '--index', '0', '--png', path.join(outDir, 'plan.png')]);
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ epochs, seconds, ...results }, null, 2) + '\n');
  console.log(`everything is in ${outDir}: vin-8x8/ (model), plan.png (picture), results.json (figures), ` +
    'test-8x8.npz (the unseen test maps)');
}

main();
