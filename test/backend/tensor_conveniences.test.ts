/**
 * Tensor conveniences (issue 19): slice (tfjs's short forms on K.slice), print (tfjs's rendering,
 * to console.log), toJSON (nested arrays; a disposed tensor throws), arraySync / dataSync aliases.
 */
import { K, Tensor, tensor, arange, tidy } from '../../src';
import { expectError } from '../helpers/errors';
import { expectNoLeak } from '../helpers/memory';

describe('slice', () => {
  const grid = () => arange(0, 12).reshape([3, 4]);

  test('full begin and size lists: the same block as K.slice', () => tidy(() => {
    const x = grid();
    expect(x.slice([1, 1], [2, 2]).array()).toEqual([[5, 6], [9, 10]]);
    expect(x.slice([1, 1], [2, 2]).array()).toEqual(K.slice(x, [1, 1], [2, 2]).array());
    expect(x.slice([0, 2], [-1, -1]).array()).toEqual([[2, 3], [6, 7], [10, 11]]);
  }));

  test('a number or a short list starts the first axes; a missing size runs to the end', () => tidy(() => {
    const x = grid();
    expect(x.slice(2).array()).toEqual([[8, 9, 10, 11]]);
    expect(x.slice(1, 1).array()).toEqual([[4, 5, 6, 7]]);
    expect(x.slice([1], [1, 2]).array()).toEqual([[4, 5]]);
    expect(x.slice([0, 3]).shape).toEqual([3, 1]);
  }));

  test('bad begin and size are refused by K.slice, naming slice; no tensor is left behind', () => {
    const x = grid();
    expectNoLeak(() => {
      expectError(() => x.slice([0, 0, 0]), 'ERR_SHAPE', /^slice: expected 2 start and size values/);
      expectError(() => x.slice([2, 0], [2, 4]), 'ERR_VALUE', /^slice: expected a block inside int32\[3,4\]/);
      expectError(() => x.slice('1' as never), 'ERR_ARGUMENT', 'slice: expected an array of integers for start but received "1"');
      expectError(() => x.slice([0.5, 0]), 'ERR_VALUE', 'slice: expected an array of integers >= 0 for start');
    });
    x.dispose();
    expectError(() => x.slice(0), 'ERR_DISPOSED', 'slice: expected a live tensor');
  });
});

describe('print', () => {
  let log: jest.SpyInstance;
  beforeEach(() => { log = jest.spyOn(console, 'log').mockImplementation(() => undefined); });
  afterEach(() => log.mockRestore());

  test('writes "Tensor" and the indented values, as tfjs does', () => {
    const x = tensor([[1, 2], [3, 4]]);
    x.print();
    expect(log.mock.calls).toEqual([['Tensor\n    [[1., 2.],\n     [3., 4.]]']]);
    x.dispose();
  });

  test('verbose adds dtype, rank, shape and device', () => {
    const x = tensor([true, false], [2], 'bool');
    x.print(true);
    expect(log.mock.calls).toEqual([[
      'Tensor\n  dtype:  bool\n  rank:   1\n  shape:  [2]\n  device: cpu\n  values:\n    [ True, False]']]);
    x.dispose();
  });

  test('a disposed tensor and a non-boolean verbose are refused', () => {
    const x = tensor([1]);
    expectError(() => x.print('yes' as never), 'ERR_ARGUMENT', 'print: expected a boolean for verbose but received "yes"');
    x.dispose();
    expectError(() => x.print(), 'ERR_DISPOSED', 'print: expected a live tensor');
    expect(log).not.toHaveBeenCalled();
  });
});

describe('toJSON, arraySync, dataSync', () => {
  test('JSON.stringify gives the nested values, inside objects too', () => tidy(() => {
    const x = tensor([[1.5, 2], [3, 4]]);
    expect(JSON.stringify(x)).toBe('[[1.5,2],[3,4]]');
    expect(JSON.stringify({ w: x, n: tensor(3, [], 'int32'), b: tensor([true], [1], 'bool') }))
      .toBe('{"w":[[1.5,2],[3,4]],"n":3,"b":[true]}');
  }));

  test('a disposed tensor\'s toJSON throws ERR_DISPOSED instead of dumping internals', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expectError(() => JSON.stringify({ x }), 'ERR_DISPOSED', 'toJSON: expected a live tensor', 'float32[2]');
  });

  test('arraySync and dataSync are array and data', () => tidy(() => {
    const x = tensor([[1, 2], [3, 4]], [2, 2], 'int32');
    expect(x.arraySync()).toEqual(x.array());
    const data = x.dataSync<'int32'>();
    expect(data).toBeInstanceOf(Int32Array);
    expect(Array.from(data)).toEqual([1, 2, 3, 4]);
    const big: Tensor = tensor([5], [1], 'int64');
    expect(big.dataSync()).toEqual(new BigInt64Array([5n]));
  }));
});
