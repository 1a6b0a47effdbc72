/**
 * The seed article's two models: a Lambda of K.abs on a (3, 3) input, and Keras 1's merge of two
 * inputs with a function mode (the sum of absolute values), with declared and inferred output shapes.
 */
import { Input, K, Lambda, merge, Model, Shape, SymbolicTensor, Tensor, tensor, tidy } from '../../src';

const matrix = [[[-1, 2, -3], [4, -5, 6], [-7, 8, -9]]];
const absolute = [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]];

describe('model 1: Lambda(K.abs) on Input({ shape: [3, 3] })', () => {
  test.each([
    ['inferred', undefined],
    ['declared as a sample shape', [3, 3]],
    ['declared as a function', (s: Shape | Shape[]) => s],
  ])('outputShape %s', (_, outputShape) => {
    const input = Input({ shape: [3, 3] });
    const output = new Lambda((x: Tensor) => K.abs(x), { outputShape: outputShape as Shape | undefined }).apply(input);
    expect(output.shape).toEqual([null, 3, 3]);
    expect(output.dtype).toBe('float32');
    const model = new Model({ inputs: input, outputs: output });
    tidy(() => {
      const y = model.apply(tensor(matrix)) as Tensor;
      expect(y.shape).toEqual([1, 3, 3]);
      expect(y.array()).toEqual(absolute);
    });
  });
});

describe('model 2: merge([a, b], { mode: sum of absolute values })', () => {
  const sumOfAbs = (xs: Tensor[]) => K.add(K.abs(xs[0]), K.abs(xs[1]));

  test.each([
    ['inferred', undefined],
    ['declared as a sample shape', [3]],
    ['declared as a function', (shapes: Shape | Shape[]) => (shapes as Shape[])[0]],
  ])('outputShape %s', (_, outputShape) => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const merged = merge([a, b], { mode: sumOfAbs, outputShape: outputShape as Shape | undefined, name: 'abs_sum' });
    expect(merged).toBeInstanceOf(SymbolicTensor);
    expect(merged.shape).toEqual([null, 3]);
    const model = new Model({ inputs: [a, b], outputs: merged });
    expect(model.getLayer('abs_sum').className).toBe('Merge');
    tidy(() => {
      const y = model.apply([tensor([[1, -2, 3], [0, 0, -1]]), tensor([[-4, 5, -6], [1, -1, 1]])]) as Tensor;
      expect(y.array()).toEqual([[5, 7, 9], [1, 1, 2]]);
    });
  });

  test('merge also works directly on concrete tensors', () => {
    tidy(() => {
      const y = merge([tensor([[1, -2, 3]]), tensor([[-4, 5, -6]])], { mode: sumOfAbs });
      expect(y).toBeInstanceOf(Tensor);
      expect(y.array()).toEqual([[5, 7, 9]]);
    });
  });

  test('built-in modes make the Keras 2 layers', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const cases: [string, Shape, string][] = [
      ['sum', [null, 3], 'Add'], ['mul', [null, 3], 'Multiply'], ['ave', [null, 3], 'Average'],
      ['max', [null, 3], 'Maximum'], ['concat', [null, 6], 'Concatenate'], ['dot', [null, 1], 'Dot'],
      ['cos', [null, 1], 'Dot'],
    ];
    for (const [mode, shape, className] of cases) {
      const out = merge([a, b], { mode: mode as 'sum' });
      expect(out.shape).toEqual(shape);
      expect(out.sourceLayer.className).toBe(className);
    }
    tidy(() => {
      const x = tensor([[3, 4, 0]]);
      const y = tensor([[6, 8, 0]]);
      expect((merge([x, y], { mode: 'cos' }).array() as number[][])[0][0]).toBeCloseTo(1, 6);
      expect(merge([x, y], { mode: 'dot' }).array()).toEqual([[50]]);
      expect(merge([x, y], { mode: 'concat', concatAxis: 1 }).array()).toEqual([[3, 4, 0, 6, 8, 0]]);
      expect(merge([x, y]).array()).toEqual([[9, 12, 0]]);
    });
  });
});
