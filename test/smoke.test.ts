import { K, memory } from '../src';

test('the article example: K.dot of two 2x2 variables', () => {
  const a = K.variable([[1, 2], [3, 4]]);
  const b = K.variable([[5, 6], [7, 8]]);
  expect(K.eval(K.dot(a, b))).toEqual([[19, 22], [43, 50]]);
  expect(memory().numTensors).toBeGreaterThan(0);
});
