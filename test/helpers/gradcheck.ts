/** Numerical gradient checks: central finite differences in float64 against K.gradients. */
import { K, Tensor, tensor, tidy } from '../../src';

/**
 * Checks the gradient of `loss()` (a scalar tensor) with respect to each of `params` (float64
 * tensors that require gradients) against central differences with step `step`: every element
 * must agree within `atol + rtol * |numeric|`.
 */
export function expectGradientsMatch(loss: () => Tensor, params: Tensor[], rtol = 1e-6, atol = 1e-8, step = 1e-5): void {
  const analytic = tidy(() => {
    const value = loss();
    return K.gradients(value, params).map((g) => Array.from(g.data() as Float64Array));
  });
  params.forEach((param, p) => {
    expect(param.dtype).toBe('float64');
    const original = Float64Array.from(param.data() as Float64Array);
    const shape = param.shape;
    const evaluate = (values: Float64Array): number => {
      tidy(() => K.setValue(param, tensor(values, shape, 'float64')));
      return tidy(() => K.noGrad(() => loss().item() as number));
    };
    const numeric = new Float64Array(original.length);
    for (let i = 0; i < original.length; i++) {
      const shifted = Float64Array.from(original);
      shifted[i] = original[i] + step;
      const up = evaluate(shifted);
      shifted[i] = original[i] - step;
      const down = evaluate(shifted);
      numeric[i] = (up - down) / (2 * step);
    }
    tidy(() => K.setValue(param, tensor(original, shape, 'float64')));
    const got = analytic[p];
    for (let i = 0; i < numeric.length; i++) {
      const bound = atol + rtol * Math.abs(numeric[i]);
      if (!(Math.abs(got[i] - numeric[i]) <= bound)) {
        throw new Error(`gradient of param ${p} (${param.name ?? param.describe()}) element ${i}: K.gradients gave ` +
          `${got[i]}, finite differences ${numeric[i]} (bound ${bound})`);
      }
    }
  });
}

/** A fixed pseudo-random weighting of `shape` in [-1, 1], so that sum(out * w) exercises every output. */
export function weighting(shape: number[], seed = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = (state / 2147483648) * 2 - 1;
  }
  return tensor(values, shape, 'float64');
}
