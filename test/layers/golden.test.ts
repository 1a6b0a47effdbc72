/**
 * Golden values for layers: outputs (and BatchNormalization's moving statistics) against the
 * float64 PyTorch references in test/golden/layers_golden.json, made by
 * `/usr/bin/python3 test/golden/make_layers_golden.py`. Layers run in float64.
 */
import * as fs from 'fs';
import * as path from 'path';
import { getRegisteredClass, Layer, tensor, Tensor, tidy } from '../../src';
import type { NestedArray } from '../../src';
import { expectClose } from '../helpers/close';

interface LayerCase {
  name: string;
  layer: string;
  config: Record<string, unknown>;
  weights: NestedArray[];
  inputs: NestedArray[];
  intInputs: boolean;
  training: boolean;
  expected: NestedArray;
  weightsAfter?: NestedArray[];
}

const golden: { cases: LayerCase[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'golden', 'layers_golden.json'), 'utf8'));

test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
  const Cls = getRegisteredClass(c.layer) as unknown as new (config: Record<string, unknown>) => Layer;
  const layer = new Cls(c.config);
  tidy(() => {
    const inputs = c.inputs.map((x) => tensor(x, undefined, c.intInputs ? 'int64' : 'float64'));
    const x = inputs.length === 1 ? inputs[0] : inputs;
    if (c.weights.length > 0) {
      layer.apply(x);
      layer.setWeights(c.weights);
    }
    const y = layer.apply(x, { training: c.training }) as Tensor;
    expect(y.dtype).toBe('float64');
    expectClose(y, c.expected, 1e-10, 1e-12);
    c.weightsAfter?.forEach((w, i) => expectClose(layer.weights[i], w, 1e-10, 1e-12));
  });
});
