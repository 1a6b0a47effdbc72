/** Shapes in the layer graph, and the one error shape for layer problems. */
import { ErrorCode, KeratorchError } from '../backend';
import { describe, fail } from '../backend/validate';

/** A tensor shape in a graph: null marks an axis of unknown size (usually the batch). */
export type Shape = (number | null)[];

/** What a layer's shape arguments accept, for messages. */
const SHAPE_EXPECTED = 'a shape (an array of non-negative integers or null) or a list of shapes';

/** Whether `value` is one shape: an array of non-negative integers and nulls (holes are not). */
export function isShape(value: unknown): value is Shape {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const d: unknown = value[i];
    if (d !== null && !(typeof d === 'number' && Number.isInteger(d) && d >= 0)) return false;
  }
  return true;
}

/** Keras's notation: `(None, 3, 3)`. Anything else is described as any value is: messages must not throw. */
export function describeShape(shape: Shape): string {
  if (!isShape(shape)) return describe(shape);
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** True for a list of shapes (several inputs), false for one shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return Array.isArray(shape) && shape.length > 0 && Array.isArray(shape[0]);
}

/** Checks what layerError and the shape helpers are given as the layer: anything with a string name and className. */
function checkLayer(fn: string, layer: unknown): { name: string; className: string } {
  const named = typeof layer === 'object' && layer !== null && typeof (layer as { name?: unknown }).name === 'string' &&
    typeof (layer as { className?: unknown }).className === 'string';
  if (!named) fail(fn, 'a layer (an object with a string name and className)', 'layer', layer);
  return layer as { name: string; className: string };
}

/** A KeratorchError that names the layer: `layer "dense_1" (Dense) <what>: <message>`. */
export function layerError(layer: { name: string; className: string }, what: string, message: string,
  code: ErrorCode = 'ERR_SHAPE'): KeratorchError {
  checkLayer('layerError', layer);
  if (typeof what !== 'string') fail('layerError', 'a string', 'what', what);
  if (typeof message !== 'string') fail('layerError', 'a string', 'message', message);
  return new KeratorchError(`layer "${layer.name}" (${layer.className}) ${what}: ${message}`, code, layer.name);
}

/**
 * `value` checked as the input shape a layer's `stage` (build, computeOutputShape) receives: one
 * shape, or a list of shapes for a layer of several inputs. Returns a copy, so the layer reads each
 * axis once, whatever the caller's array does on later reads.
 */
export function layerInputShape(layer: { name: string; className: string }, stage: string,
  value: unknown): Shape | Shape[] {
  const copy = (shape: unknown): Shape => {
    const copied = Array.isArray(shape) ? Array.from(shape) : shape;
    if (!isShape(copied)) {
      throw layerError(layer, stage, `expected ${SHAPE_EXPECTED} for inputShape but received ${describe(value)}`,
        'ERR_ARGUMENT');
    }
    return copied;
  };
  if (!Array.isArray(value)) return copy(value);
  const items = Array.from(value);
  return items.length > 0 && Array.isArray(items[0]) ? items.map(copy) : copy(items);
}

/** Throws a layer error when `shape` is a list of shapes (a layer that takes one input). */
export function singleShape(layer: { name: string; className: string }, shape: Shape | Shape[]): Shape {
  const checked = layerInputShape(checkLayer('singleShape', layer), 'input', shape);
  if (isShapeList(checked)) {
    throw layerError(layer, 'input', `expected one input but received ${checked.length}`, 'ERR_ARGUMENT');
  }
  return checked;
}

/** Throws a layer error when `shape` is one shape (a layer that takes several inputs). */
export function shapeList(layer: { name: string; className: string }, shape: Shape | Shape[]): Shape[] {
  const checked = layerInputShape(checkLayer('shapeList', layer), 'input', shape);
  if (!isShapeList(checked)) {
    throw layerError(layer, 'input', `expected a list of inputs but received one ${describeShape(checked)}`, 'ERR_ARGUMENT');
  }
  return checked;
}
