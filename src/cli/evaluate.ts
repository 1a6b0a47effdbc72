/** `keratorch eval`: the paper's metrics of a saved VIN on a dataset. */
import { loadModel } from '../io/model-io';
import { ProgressBar } from '../util/progress';
import { evaluateVin } from '../vin/planning';
import { OptionSpec, parseOptions } from './args';
import { loadAnyDataset } from './data-files';
import { kOption, planOptions } from './plan';

export const evalOptions: OptionSpec = {
  model: { type: 'string', required: true, help: 'folder of a saved VIN (keratorch train --out)' },
  data: { type: 'string', required: true, help: '.npz (keratorch gen) or the paper\'s *_test.mat' },
  json: { type: 'boolean', help: 'print one JSON object {n, accuracy, successRate, trajectoryDiff}' },
  k: planOptions.k,
};

/** Runs `keratorch eval`. */
export function evaluate(argv: string[]): void {
  const o = parseOptions('eval', argv, evalOptions);
  const k = kOption('eval', o.k);
  const model = loadModel(o.model as string, { compile: false });
  const data = loadAnyDataset('eval', o.data as string);
  const bar = o.json ? null : new ProgressBar(data.sampleLabel.length + data.pathDomain.length, 'eval ', { stream: process.stderr });
  const result = evaluateVin(model, data, { onProgress: (done) => bar?.update(done), k });
  if (o.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`${o.data}: ${result.n} expert paths, ${data.sampleLabel.length} labelled states`);
  console.log(`  action accuracy   ${(100 * result.accuracy).toFixed(2)}%`);
  console.log(`  success rate      ${(100 * result.successRate).toFixed(2)}%`);
  console.log(`  trajectory diff.  ${result.trajectoryDiff.toFixed(3)} steps (mean over successes)`);
}
