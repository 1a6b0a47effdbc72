/**
 * Input-shape checks shared by layers (Keras's InputSpec). Failures are layer errors that name the
 * layer and the shape received: `layer "dense_1" (Dense) input: expected ... but received (None, 5)`.
 */
import { Tensor } from '../backend';
import { describeShape, Layer, layerError, Shape, singleShape } from '../engine';

/** The one input shape of a single-input layer, whose rank must be `rank` (or at least it). */
export function checkInputRank(layer: Layer, inputShape: Shape | Shape[], rank: number, atLeast = false): Shape {
  const shape = singleShape(layer, inputShape);
  if (atLeast ? shape.length < rank : shape.length !== rank) {
    throw layerError(layer, 'input', `expected an input of rank ${atLeast ? '>= ' : ''}${rank} ` +
      `but received ${describeShape(shape)} (rank ${shape.length})`);
  }
  return shape;
}

/** The size of `axis` in `shape`, which must be known (not null) to make the layer's weights. */
export function knownAxis(layer: Layer, shape: Shape, axis: number, what: string): number {
  const size = shape[axis];
  if (size === null || size === undefined) {
    throw layerError(layer, 'input', `expected a known size on axis ${axis} (${what}) but received ${describeShape(shape)}`);
  }
  return size;
}

/** Checks that `axis` of `shape` (null accepted) has the size the layer was built for. */
export function checkAxisSize(layer: Layer, shape: Shape, axis: number, size: number, what: string): void {
  const got = shape[axis];
  if (got !== null && got !== size) {
    throw layerError(layer, 'input', `expected an input with ${size} on axis ${axis} (${what}) ` +
      `but received ${describeShape(shape)}`);
  }
}

/** The list of input shapes of a layer that takes several inputs (at least `min`, at most `max`). */
export function checkInputCount(layer: Layer, inputShape: Shape | Shape[], min: number, max = Infinity): Shape[] {
  const isList = inputShape.length > 0 && inputShape.every((s) => Array.isArray(s));
  const count = isList ? inputShape.length : 1;
  if (!isList || count < min || count > max) {
    const want = min === max ? `exactly ${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    const got = isList ? `${count}: ${(inputShape as Shape[]).map(describeShape).join(', ')}`
      : `one input ${describeShape(inputShape as Shape)}`;
    throw layerError(layer, 'input', `expected a list of ${want} inputs but received ${got}`, 'ERR_ARGUMENT');
  }
  return inputShape as Shape[];
}

/** The one concrete input of a single-input layer's `call`. */
export function singleTensor(layer: Layer, inputs: Tensor | Tensor[]): Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length === 1) return inputs[0];
    throw layerError(layer, 'input', `expected one input but received ${inputs.length}`, 'ERR_ARGUMENT');
  }
  return inputs;
}

/** The concrete inputs of a multi-input layer's `call`, as a list. */
export function tensorList(inputs: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}
