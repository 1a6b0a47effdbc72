/** Op methods on Tensor, for code that reads better as `a.add(b)` or `x.sum(1, true)`. */
import { Tensor } from './tensor';
import * as math from './math';
import * as reduction from './reduction';
import * as shapes from './shapes';
import * as linalg from './linalg';
import * as nn from './nn';
import { Operand } from './operands';
import { Axis } from './reduction';

declare module './tensor' {
  interface Tensor {
    /** this + y */ add(y: Operand): Tensor;
    /** this - y */ sub(y: Operand): Tensor;
    /** this * y */ mul(y: Operand): Tensor;
    /** this / y */ div(y: Operand): Tensor;
    /** this ** y */ pow(y: Operand): Tensor;
    /** Elementwise minimum. */ minimum(y: Operand): Tensor;
    /** Elementwise maximum. */ maximum(y: Operand): Tensor;
    /** this == y */ equal(y: Operand): Tensor;
    /** this != y */ notEqual(y: Operand): Tensor;
    /** this > y */ greater(y: Operand): Tensor;
    /** this >= y */ greaterEqual(y: Operand): Tensor;
    /** this < y */ less(y: Operand): Tensor;
    /** this <= y */ lessEqual(y: Operand): Tensor;
    /** -this */ neg(): Tensor;
    /** |this| */ abs(): Tensor;
    /** this² */ square(): Tensor;
    /** Square root (negatives clipped to 0). */ sqrt(): Tensor;
    /** e^this */ exp(): Tensor;
    /** ln(this) */ log(): Tensor;
    /** Sign. */ sign(): Tensor;
    /** Round half to even. */ round(): Tensor;
    /** Sine. */ sin(): Tensor;
    /** Cosine. */ cos(): Tensor;
    /** Clip to [min, max]. */ clip(minValue: number | null, maxValue: number | null): Tensor;
    /** Sum over axes. */ sum(axis?: Axis, keepdims?: boolean): Tensor;
    /** Mean over axes. */ mean(axis?: Axis, keepdims?: boolean): Tensor;
    /** Max over axes. */ max(axis?: Axis, keepdims?: boolean): Tensor;
    /** Min over axes. */ min(axis?: Axis, keepdims?: boolean): Tensor;
    /** Product over axes. */ prod(axis?: Axis, keepdims?: boolean): Tensor;
    /** Index of the maximum. */ argmax(axis?: number): Tensor;
    /** Index of the minimum. */ argmin(axis?: number): Tensor;
    /** Reshape. */ reshape(shape: number[]): Tensor;
    /** Reorder axes. */ permute(pattern: number[]): Tensor;
    /** Reverse all axes. */ transpose(): Tensor;
    /** Insert an axis of size 1. */ expandDims(axis?: number): Tensor;
    /** Remove an axis of size 1. */ squeeze(axis: number): Tensor;
    /** Flatten to 1-D. */ flatten(): Tensor;
    /** Keras dot. */ dot(y: Tensor): Tensor;
    /** Matrix product (Keras dot). */ matmul(y: Tensor): Tensor;
    /** ReLU. */ relu(): Tensor;
    /** Sigmoid. */ sigmoid(): Tensor;
    /** Hyperbolic tangent. */ tanh(): Tensor;
    /** Softmax. */ softmax(axis?: number): Tensor;
  }
}

type Method = (this: Tensor, ...args: never[]) => Tensor;
const methods: Record<string, Method> = {
  add(y: Operand) { return math.add(this, y); },
  sub(y: Operand) { return math.subtract(this, y); },
  mul(y: Operand) { return math.multiply(this, y); },
  div(y: Operand) { return math.divide(this, y); },
  pow(y: Operand) { return math.pow(this, y); },
  minimum(y: Operand) { return math.minimum(this, y); },
  maximum(y: Operand) { return math.maximum(this, y); },
  equal(y: Operand) { return math.equal(this, y); },
  notEqual(y: Operand) { return math.notEqual(this, y); },
  greater(y: Operand) { return math.greater(this, y); },
  greaterEqual(y: Operand) { return math.greaterEqual(this, y); },
  less(y: Operand) { return math.less(this, y); },
  lessEqual(y: Operand) { return math.lessEqual(this, y); },
  neg() { return math.neg(this); },
  abs() { return math.abs(this); },
  square() { return math.square(this); },
  sqrt() { return math.sqrt(this); },
  exp() { return math.exp(this); },
  log() { return math.log(this); },
  sign() { return math.sign(this); },
  round() { return math.round(this); },
  sin() { return math.sin(this); },
  cos() { return math.cos(this); },
  clip(minValue: number | null, maxValue: number | null) { return math.clip(this, minValue, maxValue); },
  sum(axis?: Axis, keepdims?: boolean) { return reduction.sum(this, axis, keepdims); },
  mean(axis?: Axis, keepdims?: boolean) { return reduction.mean(this, axis, keepdims); },
  max(axis?: Axis, keepdims?: boolean) { return reduction.max(this, axis, keepdims); },
  min(axis?: Axis, keepdims?: boolean) { return reduction.min(this, axis, keepdims); },
  prod(axis?: Axis, keepdims?: boolean) { return reduction.prod(this, axis, keepdims); },
  argmax(axis?: number) { return reduction.argmax(this, axis); },
  argmin(axis?: number) { return reduction.argmin(this, axis); },
  reshape(shape: number[]) { return shapes.reshape(this, shape); },
  permute(pattern: number[]) { return shapes.permuteDimensions(this, pattern); },
  transpose() { return shapes.transpose(this); },
  expandDims(axis?: number) { return shapes.expandDims(this, axis); },
  squeeze(axis: number) { return shapes.squeeze(this, axis); },
  flatten() { return shapes.flatten(this); },
  dot(y: Tensor) { return linalg.dot(this, y); },
  matmul(y: Tensor) { return linalg.dot(this, y); },
  relu() { return nn.relu(this); },
  sigmoid() { return nn.sigmoid(this); },
  tanh() { return nn.tanh(this); },
  softmax(axis?: number) { return nn.softmax(this, axis); },
};

for (const [name, method] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: method, writable: true, configurable: true });
}
