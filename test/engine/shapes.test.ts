/**
 * Shape arguments: every layer's public build and computeOutputShape check the shape they receive
 * (once, in the Layer base class) and the shape helpers check theirs, so a bad value is a
 * KeratorchError naming the layer instead of a TypeError inside one of them.
 */
import {
  BatchNormalization, Concatenate, Conv2D, Dense, describeShape, Embedding, Input, Lambda, Layer, layerError,
  Sequential, shapeList, singleShape, Tensor,
} from '../../src';
import type { Shape } from '../../src';
import { expectError } from '../helpers/errors';

const nested = (depth: number): unknown => {
  let value: unknown = [1];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const model = () => new Sequential([new Dense({ units: 2, inputShape: [3] })]);

describe('build and computeOutputShape check the shape of every layer', () => {
  const layers: [string, () => Layer][] = [
    ['Dense', () => new Dense({ units: 2 })],
    ['Embedding', () => new Embedding({ inputDim: 10, outputDim: 4 })],
    ['Lambda', () => new Lambda((x: Tensor) => x)],
    ['Concatenate', () => new Concatenate()],
    ['Conv2D', () => new Conv2D({ filters: 2, kernelSize: 3 })],
    ['BatchNormalization', () => new BatchNormalization()],
    ['Sequential', model],
  ];
  const bad: [string, unknown][] = [['a number', 2], ['undefined', undefined], ['null', null], ['a string', 'mse'],
    ['a negative axis', [null, -1]], ['a fractional axis', [null, 1.5]], ['a hole', [null, , 3]], // eslint-disable-line no-sparse-arrays
    ['arrays nested 10,000 deep', nested(10000)], ['a list holding a non-shape', [[null, 3], 'x']]];
  test.each(layers)('%s', (_name, make) => {
    for (const method of ['build', 'computeOutputShape'] as const) {
      for (const [, value] of bad) {
        const layer = make();
        expectError(() => (layer[method] as (s: unknown) => unknown)(value), 'ERR_ARGUMENT',
          `layer "${layer.name}" (${layer.className}) ${method}: expected a shape`, 'for inputShape but received');
      }
    }
  });

  test('a custom layer gets the check without writing one, and receives a copy read once', () => {
    const seen: Shape[] = [];
    class Recording extends Layer {
      static className = 'Recording';
      call(inputs: Tensor | Tensor[]) { return inputs; }
      computeOutputShape(inputShape: Shape | Shape[]) { seen.push(inputShape as Shape); return inputShape; }
    }
    const layer = new Recording();
    expectError(() => layer.computeOutputShape(7 as unknown as Shape), 'ERR_ARGUMENT', 'layer "recording_1" (Recording)');
    let reads = 0;
    const flipping = Object.defineProperty([null, 3], '1', { get: () => (reads++ === 0 ? 3 : -1e9), enumerable: true });
    expect(layer.computeOutputShape(flipping as Shape)).toEqual([null, 3]);
    expect(seen[0]).not.toBe(flipping);
    expect(reads).toBe(1);
  });

  test('valid shapes still work, symbolic and concrete', () => {
    const dense = new Dense({ units: 2 });
    expect(dense.computeOutputShape([null, 3])).toEqual([null, 2]);
    const out = dense.apply(Input({ shape: [3] }));
    expect(!Array.isArray(out) && out.shape).toEqual([null, 2]);
    expect(new Concatenate().computeOutputShape([[null, 2], [null, 3]])).toEqual([null, 5]);
  });
});

describe('the shape helpers check their arguments', () => {
  const layer = { name: 'x', className: 'X' };
  test('describeShape describes anything and never throws', () => {
    expect(describeShape([null, 3])).toBe('(None, 3)');
    expect(describeShape([3])).toBe('(3,)');
    expect(describeShape(-1 as unknown as Shape)).toBe('-1');
    expect(describeShape(undefined as unknown as Shape)).toBe('undefined');
    expect(describeShape([Object.create(null)] as unknown as Shape)).toBe('[an object (Object)]');
  });

  test('layerError, singleShape and shapeList name themselves for a bad layer or shape', () => {
    expectError(() => layerError(undefined as never, 'x', 'y'), 'ERR_ARGUMENT',
      'layerError: expected a layer (an object with a string name and className) for layer but received undefined');
    expectError(() => layerError(layer, 1 as never, 'y'), 'ERR_ARGUMENT', 'layerError: expected a string for what');
    expectError(() => singleShape(undefined as never, [1]), 'ERR_ARGUMENT', 'singleShape: expected a layer');
    expectError(() => shapeList(undefined as never, [[1]]), 'ERR_ARGUMENT', 'shapeList: expected a layer');
    expectError(() => singleShape(layer, -1 as never), 'ERR_ARGUMENT', 'layer "x" (X) input: expected a shape',
      'but received -1');
    expectError(() => shapeList(layer, [1, 2]), 'ERR_ARGUMENT', 'expected a list of inputs but received one (1, 2)');
    expect(singleShape(layer, [null, 2])).toEqual([null, 2]);
  });
});
