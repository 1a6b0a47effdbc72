/**
 * The native rollout (binding/rollout.cc) reads q maps, obstacles and moves by the indices its jobs
 * give: every one is checked against what the recorded forward made, so a mismatch rejects with a
 * KeratorchError instead of reading past an array's end.
 */
import { K, KeratorchError, ones, Tensor } from '../../src';
import { native, NativeHandle } from '../../src/native';

const N = 4;
const CHANNELS = 3;

// A recording whose q maps are (2, CHANNELS, N, N), and a logits kernel with 8 actions.
function setup(): { recording: ReturnType<typeof native.traceFunction>; input: Tensor; kernel: Tensor } {
  const input = ones([2, CHANNELS, N, N]);
  const recording = native.traceFunction([input.handle as NativeHandle], [],
    () => [K.multiply(new Tensor(native.clone(input.handle as NativeHandle)), 2).handle as NativeHandle], 'q');
  return { recording, input, kernel: ones([CHANNELS, 8]) };
}

const MOVES = new Int32Array([-1, 0, 1, 0, 0, 1, 0, -1, -1, 1, -1, -1, 1, 1, 1, -1]);

function plan(jobs: number[], obstacles = new Uint8Array(2 * N * N), moves: ArrayBufferView = MOVES) {
  const { recording, input, kernel } = setup();
  return native.planRolloutsAsync(recording, [input.handle as NativeHandle], kernel.handle as NativeHandle,
    obstacles, new Int32Array(jobs), moves as Int32Array, 1);
}

async function rejection(promise: () => Promise<unknown>): Promise<KeratorchError> {
  try {
    await promise();
  } catch (error) {
    expect(error).toBeInstanceOf(KeratorchError);
    return error as KeratorchError;
  }
  throw new Error('expected a rejection');
}

test('a job inside the maps plans', async () => {
  const [result] = await plan([1, 0, 0, 0, 0, 5]);
  expect(result.reached).toBe(true);
});

test('a job on a map or cell outside the q maps is refused', async () => {
  for (const job of [[2, 0, 0, 1, 1, 5], [-1, 0, 0, 1, 1, 5], [0, N, 0, 1, 1, 5], [0, 0, 0, 1, -1, 5]]) {
    const error = await rejection(() => plan(job));
    expect(error.message).toMatch(/job 0 \(map -?\d+, .*\) lies outside 2 maps of 4x4/);
  }
});

test('obstacles of another size than the q maps are refused', async () => {
  const error = await rejection(() => plan([0, 0, 0, 1, 1, 5], new Uint8Array(N * N)));
  expect(error.message).toContain('the obstacles hold 16 cells, but the q maps are 2 of 4x4');
});

test('typed arrays of another type are refused (their lengths would be read as the wrong width)', async () => {
  const error = await rejection(async () => plan([0, 0, 0, 1, 1, 5], new Uint8Array(2 * N * N), new Uint8Array(16)));
  expect(error.message).toContain('moves must be an Int32Array');
});
