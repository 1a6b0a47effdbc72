/** serving.recordForward and its recordings check their arguments, naming the recording. */
import { K, ones, serving } from '../../src';
import { expectError } from '../helpers/errors';

async function expectRejection(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expectError(() => { throw caught; }, code as never, ...fragments);
}

describe('recordForward', () => {
  test('refuses a bad name, inputs, params, forward and forward result', () => {
    expectError(() => serving.recordForward(true as never, 1 as never, 2 as never), 'ERR_ARGUMENT',
      'recordForward: expected a non-empty string for name but received boolean true');
    expectError(() => serving.recordForward('f', [[1, 2]] as never, [], (xs) => xs), 'ERR_ARGUMENT',
      'f: expected a Tensor for inputs[0] but received [1,2]');
    expectError(() => serving.recordForward('f', [ones([2])], 3 as never, (xs) => xs), 'ERR_ARGUMENT',
      'f: expected an array of Tensors for params but received 3');
    expectError(() => serving.recordForward('f', [ones([2])], [], undefined as never), 'ERR_ARGUMENT',
      'f: expected a function for forward but received undefined');
    expectError(() => serving.recordForward('f', [ones([2])], [], () => NaN as never), 'ERR_ARGUMENT',
      "f: expected an array of Tensors for forward's result but received NaN");
  });

  test('a recording refuses bad run and planRollouts arguments', async () => {
    const recording = serving.recordForward('f', [ones([2])], [], ([x]) => [K.square(x)]);
    await expectRejection(recording.run(undefined as never, []), 'ERR_ARGUMENT', 'f: expected an array of Tensors for inputs');
    await expectRejection(recording.run([ones([2, 3])], undefined as never), 'ERR_ARGUMENT',
      'f: expected an array of Tensors for params');
    await expectRejection((recording.planRollouts as () => Promise<unknown>)(), 'ERR_ARGUMENT', 'f: expected a Tensor for images');
    const images = ones([1, 2, 3, 3]);
    const kernel = ones([1, 8]);
    const moves = new Int32Array(16);
    await expectRejection(recording.planRollouts(images, [], kernel, new Uint8Array(8), new Int32Array(6), moves),
      'ERR_SHAPE', "f: expected maps x n x n cells for the images' 1 maps for obstacles");
    await expectRejection(recording.planRollouts(images, [], kernel, new Uint8Array(9), Int32Array.of(1, 0, 0, 0, 0, 5), moves),
      'ERR_VALUE', 'f: expected a map in [0, 1) and a start in the 3x3 grid for jobs[0] but received [1,0,0]');
    await expectRejection(recording.planRollouts(images, [], kernel, new Uint8Array(9), Int32Array.of(0, 3, 0, 0, 0, 5), moves),
      'ERR_VALUE', 'for jobs[0] but received [0,3,0]');
  });

  test('a valid recording still runs', async () => {
    const recording = serving.recordForward('f', [ones([2])], [], ([x]) => [K.add(x, 1)]);
    const [out] = await recording.run([ones([2])], []);
    expect(out.array()).toEqual([2, 2]);
  });
});
