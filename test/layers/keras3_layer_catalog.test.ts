/**
 * Keras 3's activation layers, Identity, LayerNormalization and UnitNormalization against real
 * Keras 3.15.1 (test/golden/keras_layer_catalog_golden.json, made by
 * make_keras_layer_catalog_golden.py): outputs and the gradients of sum(output * w) for the input and
 * every weight, at rtol 1e-4; then shapes, config round trips and refusals.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ELU, Identity, Input, K, KeratorchError, Layer, LayerNormalization, LeakyReLU, Model, PReLU, ReLU, Softmax, tensor,
  Tensor, UnitNormalization,
} from '../../src';
import { deserializeLayer, serializeLayer } from '../../src/engine';
import { expectClose } from '../helpers/close';

type Nested = number | Nested[];
interface CatalogCase {
  name: string;
  className: string;
  options: Record<string, unknown>;
  input: Nested;
  weights: { name: string; shape: number[]; values: Nested }[];
  output: Nested;
  w: Nested;
  gradInput: Nested;
  gradWeights: Nested[];
}
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/keras_layer_catalog_golden.json'), 'utf8')) as
  { keras: string; cases: CatalogCase[] };
const CLASSES: Record<string, new (args: never) => Layer> = {
  ReLU, LeakyReLU, PReLU, ELU, Softmax, Identity, LayerNormalization, UnitNormalization,
} as never;
const asTensor = (v: Nested): Tensor => tensor(v as number[][]);

test.each(golden.cases.map((c) => [c.name, c] as const))('%s matches Keras 3, gradients included', (_name, c) => {
  K.tidy(() => {
    const layer = new CLASSES[c.className](c.options as never);
    const x = K.variable(asTensor(c.input));
    layer.apply(x); // builds it
    expect(layer.weights.map((w) => w.name.split('/').pop())).toEqual(c.weights.map((w) => w.name));
    layer.setWeights(c.weights.map((w) => asTensor(w.values)));
    const y = layer.apply(x) as Tensor;
    expectClose(y, c.output, 1e-4, 1e-6);
    const grads = K.gradients(K.sum(K.multiply(y, asTensor(c.w))), [x, ...layer.trainableWeights]);
    expectClose(grads[0], c.gradInput, 1e-4, 1e-5);
    c.gradWeights.forEach((g, i) => expectClose(grads[i + 1], g, 1e-4, 1e-5));
  });
});

test('in a model: output shapes, and configs that rebuild the same layers', () => {
  const input = Input({ shape: [3, 4] });
  let h = new ReLU({ maxValue: 6 }).apply(input);
  h = new LeakyReLU({ negativeSlope: 0.1 }).apply(h);
  h = new PReLU({ sharedAxes: [1] }).apply(h);
  h = new ELU({ alpha: 0.5 }).apply(h);
  h = new LayerNormalization({ axis: [1, 2], rmsScaling: false }).apply(h);
  h = new UnitNormalization().apply(h);
  h = new Identity().apply(h);
  const out = new Softmax({ axis: 1 }).apply(h);
  const model = new Model({ inputs: input, outputs: out });
  expect(model.outputs[0].shape).toEqual([null, 3, 4]);
  const prelu = model.layers.find((l) => l instanceof PReLU) as PReLU;
  expect(prelu.alpha?.shape).toEqual([1, 4]);
  const copy = deserializeLayer(serializeLayer(model)) as Model;
  expect(copy.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
  K.tidy(() => {
    copy.setWeights(model.getWeights());
    const x = K.randomNormal([2, 3, 4]);
    expectClose(copy.predict(x) as Tensor, (model.predict(x) as Tensor).array() as number[][][]);
    expectClose(K.sum(model.predict(x) as Tensor, 1), [[1, 1, 1, 1], [1, 1, 1, 1]], 1e-5);
  });
});

test('refusals name the layer and the option', () => {
  const refused = (make: () => unknown, message: string): void => {
    expect(make).toThrow(KeratorchError);
    expect(make).toThrow(message);
  };
  refused(() => new ReLU({ negativeSlope: -1 }), 'ReLU');
  refused(() => new ReLU({ maxValue: -1 }), 'maxValue');
  refused(() => new LeakyReLU({ alpha: 0.2 } as never), 'LeakyReLU');
  refused(() => new Softmax({ axis: 1.5 }), 'axis');
  refused(() => new PReLU({ sharedAxes: [0] }), 'sharedAxes');
  refused(() => new LayerNormalization({ axis: 0 }), 'not the batch axis');
  refused(() => new LayerNormalization({ epsilon: -1 }), 'epsilon');
  refused(() => new UnitNormalization({ axis: [] }), 'axis');
  refused(() => new LayerNormalization({ gammaConstraint: 'nonNeg' } as never), 'gammaConstraint');
  K.tidy(() => {
    refused(() => new Softmax({ axis: 3 }).apply(K.ones([2, 3])), 'axis 3');
    refused(() => new LayerNormalization({ axis: 2 }).apply(K.ones([2, 3])), 'axes [2]');
  });
});
