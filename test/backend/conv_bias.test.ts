/**
 * K.conv2d's optional bias, added inside libtorch's convolution: equal to conv2d then biasAdd in
 * both data formats, with the same gradients for x, the kernel and the bias.
 */
import { K, Tensor, tidy } from '../../src';

test.each(['channelsFirst', 'channelsLast'] as const)('%s: conv2d(..., bias) equals conv2d then biasAdd, values and gradients', (format) => {
  tidy(() => {
    const x = K.variable(K.randomNormal(format === 'channelsFirst' ? [2, 3, 6, 5] : [2, 6, 5, 3], 0, 1, 'float64', 1), 'float64');
    const kernel = K.variable(K.randomNormal([3, 3, 3, 4], 0, 1, 'float64', 2), 'float64');
    const bias = K.variable(K.randomNormal([4], 0, 1, 'float64', 3), 'float64');
    const weights = K.randomNormal(format === 'channelsFirst' ? [2, 4, 3, 3] : [2, 3, 3, 4], 0, 1, 'float64', 4);
    const run = (fused: boolean): number[][] => {
      const y = fused ? K.conv2d(x, kernel, 2, 'same', format, 1, bias)
        : K.biasAdd(K.conv2d(x, kernel, 2, 'same', format), bias, format);
      const grads = K.gradients(K.sum(K.multiply(y, weights)), [x, kernel, bias]);
      return [y, ...grads].map((t: Tensor) => Array.from(t.data() as Float64Array));
    };
    const fused = run(true);
    const separate = run(false);
    fused.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(separate[i][j], 12)));
    expect(fused[3].some((g) => g !== 0)).toBe(true);
  });
});
