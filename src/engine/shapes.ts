/** Shapes in the layer graph, and the one error shape for layer problems. */
import { ErrorCode, KeratorchError } from '../backend';

/** A tensor shape in a graph: null marks an axis of unknown size (usually the batch). */
export type Shape = (number | null)[];

/** Keras's notation: `(None, 3, 3)`. */
export function describeShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** True for a list of shapes (several inputs), false for one shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** A KeratorchError that names the layer: `layer "dense_1" (Dense) <what>: <message>`. */
export function layerError(layer: { name: string; className: string }, what: string, message: string,
  code: ErrorCode = 'ERR_SHAPE'): KeratorchError {
  return new KeratorchError(`layer "${layer.name}" (${layer.className}) ${what}: ${message}`, code, layer.name);
}

/** Throws a layer error when `shape` is a list of shapes (a layer that takes one input). */
export function singleShape(layer: { name: string; className: string }, shape: Shape | Shape[]): Shape {
  if (isShapeList(shape)) {
    throw layerError(layer, 'input', `expected one input but received ${shape.length}`, 'ERR_ARGUMENT');
  }
  return shape;
}

/** Throws a layer error when `shape` is one shape (a layer that takes several inputs). */
export function shapeList(layer: { name: string; className: string }, shape: Shape | Shape[]): Shape[] {
  if (!isShapeList(shape)) {
    throw layerError(layer, 'input', `expected a list of inputs but received one ${describeShape(shape)}`, 'ERR_ARGUMENT');
  }
  return shape;
}
