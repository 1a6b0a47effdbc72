/**
 * Where ModelCheckpoint saves: into an existing folder only, checked when training begins (before any
 * epoch runs), never creating the folders above a checkpoint; each save is all or nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dense, loadModel, ModelCheckpoint, Sequential, SGD } from '../../src';
import { xorData } from '../helpers/datasets';
import { expectError } from '../helpers/errors';

const data = xorData(16);
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-checkpoint-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function compiledModel(): Sequential {
  const model = new Sequential([new Dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
  return model;
}

/** Fits with `checkpoint`, counting the epochs that began; returns the count and fit's error, if any. */
function fitWith(checkpoint: ModelCheckpoint): { epochs: number; run: () => unknown } {
  const counter = { epochs: 0 };
  const run = () => compiledModel().fit(data.x, data.y, { epochs: 2, verbose: 0,
    callbacks: [{ onEpochBegin: () => { counter.epochs += 1; } }, checkpoint] });
  return { get epochs() { return counter.epochs; }, run };
}

describe('ModelCheckpoint into a missing folder', () => {
  test.each([false, true])('is refused when training begins, naming the folder, and creates nothing (saveWeightsOnly %s)',
    (saveWeightsOnly) => {
      const filepath = path.join(dir, 'runs', 'today', saveWeightsOnly ? 'w-{epoch}.safetensors' : 'model-{epoch}');
      const fit = fitWith(new ModelCheckpoint({ filepath, saveWeightsOnly }));
      expectError(fit.run, 'ERR_ARGUMENT', `ModelCheckpoint: cannot write ${JSON.stringify(filepath)}: its folder ` +
        `${JSON.stringify(path.join(dir, 'runs', 'today'))} does not exist`);
      expect(fit.epochs).toBe(0);
      expect(fs.readdirSync(dir)).toEqual([]);
    });

  test('a folder named by a {field} is checked at each save, and not created either', () => {
    const filepath = path.join(dir, 'epoch-{epoch}', 'model');
    const fit = fitWith(new ModelCheckpoint({ filepath }));
    expectError(fit.run, 'ERR_ARGUMENT', `ModelCheckpoint: cannot write ${JSON.stringify(path.join(dir, 'epoch-1', 'model'))}: ` +
      `its folder ${JSON.stringify(path.join(dir, 'epoch-1'))} does not exist`);
    expect(fit.epochs).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('in an existing folder, each checkpoint folder is created, and saved whole', () => {
    const fit = fitWith(new ModelCheckpoint({ filepath: path.join(dir, 'model-{epoch}') }));
    fit.run();
    expect(fs.readdirSync(dir).sort()).toEqual(['model-1', 'model-2']);
    expect(loadModel(path.join(dir, 'model-2')).countParams()).toBe(3);
  });
});
