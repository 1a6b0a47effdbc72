/** Keras backend settings: the fuzz factor and the default float type. */
import { DType } from './dtypes';
import { checkNumber, checkOption } from './validate';

let fuzz = 1e-7;
let defaultFloat: 'float32' | 'float64' = 'float32';

/** The fuzz factor used to avoid log(0) and division by zero (Keras's default 1e-7). */
export function epsilon(): number {
  return fuzz;
}

/** Sets the fuzz factor. */
export function setEpsilon(value: number): void {
  fuzz = checkNumber('setEpsilon', 'value', value);
}

/** The default float dtype for variables and constants. */
export function floatx(): DType {
  return defaultFloat;
}

/** Sets the default float dtype ('float32' or 'float64'). */
export function setFloatx(value: 'float32' | 'float64'): void {
  defaultFloat = checkOption('setFloatx', 'value', value, ['float32', 'float64'] as const);
}
