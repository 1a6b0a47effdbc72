/** SeededRandom refuses what it cannot shuffle or draw from, rather than throwing a TypeError or returning NaN. */
import { SeededRandom } from '../../../src/vin';
import { expectKeratorchError } from '../../helpers/memory';

test('shuffle takes an array or a TypedArray, and shuffles it in place', () => {
  const random = new SeededRandom(1);
  for (const bad of [undefined, 'same', 3, new DataView(new ArrayBuffer(4))]) {
    expectKeratorchError(() => random.shuffle(bad as never), 'ERR_ARGUMENT', 'SeededRandom.shuffle',
      'expected an array or a TypedArray for values');
  }
  const values = [1, 2, 3, 4, 5];
  expect(random.shuffle(values)).toBe(values);
  expect([...values].sort()).toEqual([1, 2, 3, 4, 5]);
  expect(Array.from(random.shuffle(Int32Array.of(1, 2, 3))).sort()).toEqual([1, 2, 3]);
});

test('int takes an integer in [1, 2^32]', () => {
  const random = new SeededRandom(1);
  expectKeratorchError(() => random.int('x' as never), 'ERR_ARGUMENT', 'SeededRandom.int', 'for n');
  expectKeratorchError(() => random.int(0), 'ERR_VALUE', 'SeededRandom.int', 'for n');
  expect(random.int(3)).toBeLessThan(3);
});
