/**
 * `vin.qAtCells` (binding/vin.cc), the engine of the QAtState layer: q[b, :, row, col] for one or
 * several cells a map. On the CPU, int32 and int64 cells take a direct pass that builds and checks
 * the indexes; other dtypes take libtorch ops (as a recording and CUDA do). Both must pick exactly
 * what a slice by hand picks, route the gradient only to the picked cells, refuse off-map cells
 * with the bounds they received, and leave no tensor behind.
 */
import { DType, K, Tensor, tensor, tidy, vin } from '../../src';
import { expectKeratorchError, expectNoLeak, settle } from '../helpers/memory';

beforeEach(settle);

/** q[b, :, row, col] for each cell, read with K.slice. */
function byHand(q: Tensor, cells: [number, number][][]): number[][][] {
  const channels = q.shape[1];
  return cells.map((mapCells, b) => mapCells.map(([row, col]) =>
    Array.from(K.reshape(K.slice(q, [b, 0, row, col], [1, channels, 1, 1]), [channels]).data() as Float32Array)));
}

const CELLS: [number, number][][] = [[[0, 0], [4, 5], [2, 3]], [[3, 1], [0, 5], [4, 0]]];

describe.each<[DType]>([['int32'], ['int64'], ['float32']])('cells as %s', (dtype) => {
  test('(batch, S, 2) picks (batch, S, channels) exactly; (batch, 2) picks (batch, channels)', () => {
    expectNoLeak(() => tidy(() => {
      const q = K.randomNormal([2, 4, 5, 6], 0, 1, 'float32', 11);
      const many = K.cast(tensor(Int32Array.from(CELLS.flat(2)), [2, 3, 2], 'int32'), dtype);
      const picked = vin.qAtCells(q, many);
      expect(picked.shape).toEqual([2, 3, 4]);
      expect(picked.array()).toEqual(byHand(q, CELLS));
      const one = K.cast(tensor(Int32Array.from([4, 5, 0, 2]), [2, 2], 'int32'), dtype);
      expect(vin.qAtCells(q, one).array()).toEqual(byHand(q, [[[4, 5]], [[0, 2]]]).map((rows) => rows[0]));
      // Strided cells (a transposed (2, batch) tensor) pick the same.
      const strided = K.transpose(K.cast(tensor(Int32Array.from([4, 0, 5, 2]), [2, 2], 'int32'), dtype));
      expect(vin.qAtCells(q, strided).array()).toEqual(vin.qAtCells(q, one).array());
    }));
  });

  test('the gradient reaches only the picked cells, summed where a cell is picked twice', () => {
    tidy(() => {
      const q = K.variable(K.randomNormal([2, 3, 4, 4], 0, 1, 'float32', 12));
      const cells = K.cast(tensor(Int32Array.from([1, 2, 1, 2, 3, 0, 0, 3]), [2, 2, 2], 'int32'), dtype);
      const weights = K.randomNormal([2, 2, 3], 0, 1, 'float32', 13);
      const [grad] = K.gradients(K.sum(K.multiply(vin.qAtCells(q, cells), weights)), [q]);
      const w = weights.data() as Float32Array;
      const expected = new Float32Array(2 * 3 * 4 * 4);
      [[[1, 2], [1, 2]], [[3, 0], [0, 3]]].forEach((mapCells, b) => mapCells.forEach(([row, col], s) => {
        for (let c = 0; c < 3; c++) expected[((b * 3 + c) * 4 + row) * 4 + col] += w[(b * 2 + s) * 3 + c];
      }));
      expect(Array.from(grad.data() as Float32Array)).toEqual(Array.from(expected));
      q.dispose();
    });
  });

  test('an off-map cell throws ERR_VALUE with the rows and cols received, and frees what it made', () => {
    const q = K.zeros([2, 3, 4, 5]);
    for (const [cells, bounds] of [
      [[0, 0, 4, 1], 'rows 0..4 and cols 0..1'],
      [[0, -1, 2, 2], 'rows 0..2 and cols -1..2'],
      [[1, 5, 3, 0], 'rows 1..3 and cols 0..5'],
    ] as const) {
      const given = K.cast(tensor(Int32Array.from(cells), [2, 2], 'int32'), dtype);
      expectKeratorchError(() => vin.qAtCells(q, given), 'ERR_VALUE', 'qAtCells',
        `expected agent cells (row, col) inside the 4x5 map but received ${bounds}`);
      given.dispose();
    }
    q.dispose();
  });
});

test('shapes other than q (batch, channels, rows, cols) and cells (batch, 2) / (batch, S, 2) are refused in TS', () => {
  tidy(() => {
    const q = K.zeros([2, 3, 4, 4]);
    const cells = tensor(Int32Array.from([0, 0, 1, 1]), [2, 2], 'int32');
    const [rank3, threeWide, otherBatch] = [K.zeros([2, 3, 4]), K.zeros([2, 3], 'int32'), K.zeros([3, 2], 'int32')];
    expectKeratorchError(() => vin.qAtCells(rank3, cells), 'ERR_SHAPE', 'qAtCells',
      'expected q maps of shape (batch, channels, rows, cols) for q');
    expectKeratorchError(() => vin.qAtCells(q, threeWide), 'ERR_SHAPE', 'qAtCells',
      'expected cells of shape (2, 2) or (2, S, 2) for cells');
    expectKeratorchError(() => vin.qAtCells(q, otherBatch), 'ERR_SHAPE', 'qAtCells',
      'expected cells of shape (2, 2) or (2, S, 2) for cells');
  });
});
