/** The progress bar: redrawn in place on a terminal; on a log, a line every 30 s and one at the end. */
import { ProgressBar } from '../../src/util/progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

afterEach(() => jest.useRealTimers());

test('on a log: silent until 30 s pass, then one line; always a line at the end', () => {
  jest.useFakeTimers({ now: 1_000_000 });
  const { writes, stream } = fakeStream(false);
  const bar = new ProgressBar(10, 'epoch 1 ', { stream, width: 10 });
  bar.update(1, { loss: 1.5 });
  jest.setSystemTime(1_000_000 + 29_000);
  bar.update(2, { loss: 1.25 });
  expect(writes).toEqual([]);
  jest.setSystemTime(1_000_000 + 31_000);
  bar.update(3, { loss: 1 });
  expect(writes).toEqual(['epoch 1  3/10 [==>.......] - 31.0s - loss: 1.0000\n']);
  bar.update(4, { loss: 1 });
  expect(writes).toHaveLength(1);
  bar.update(10, { loss: 0.5 });
  expect(writes[1]).toBe('epoch 1 10/10 [==========] - 31.0s - loss: 0.5000\n');
});

test('on a terminal: every update redraws the line in place, and the end adds a newline', () => {
  const { writes, stream } = fakeStream(true);
  const bar = new ProgressBar(2, '', { stream, width: 4 });
  bar.update(1);
  bar.update(2);
  expect(writes[0]).toMatch(/^\r1\/2 \[=>\.\.\] - \d+\.\ds\x1b\[K$/);
  expect(writes[1]).toMatch(/^\r2\/2 \[====\] - \d+\.\ds\x1b\[K$/);
  expect(writes[2]).toBe('\n');
});
