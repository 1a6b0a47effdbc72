/**
 * The Keras backend `K`: every keras.backend function under its camelCase name, with the
 * TensorFlow backend's positional parameters and semantics. Layers and models use only this.
 */
import { native } from '../native';
import { KeratorchError } from './errors';
import './methods';
import * as math from './math';
import * as reduction from './reduction';
import * as shapes from './shapes';
import * as topK from './top_k';
import * as linalg from './linalg';
import * as nn from './nn';
import * as activations from './activations';
import * as losses from './losses';
import * as variables from './variables';
import * as autograd from './autograd';
import * as config from './config';
import { setSeed } from './creation';
import { tidy, keep, memory, dispose } from './engine';

// Native errors are built with keratorch's class, so `instanceof KeratorchError` works for both.
native.setErrorClass(KeratorchError);

/** The Keras backend. */
export const K = {
  // variables, evaluation, creation
  variable: variables.variable,
  constant: variables.constant,
  eval: variables.evaluate,
  getValue: variables.getValue,
  batchGetValue: variables.batchGetValue,
  setValue: variables.setValue,
  batchSetValue: variables.batchSetValue,
  update: variables.update,
  updateAdd: variables.updateAdd,
  updateSub: variables.updateSub,
  shape: variables.shape,
  intShape: variables.intShape,
  ndim: variables.ndim,
  dtype: variables.dtype,
  countParams: variables.countParams,
  cast: variables.cast,
  zeros: variables.zeros,
  ones: variables.ones,
  eye: variables.eye,
  zerosLike: variables.zerosLike,
  onesLike: variables.onesLike,
  arange: variables.arange,
  randomNormal: variables.randomNormal,
  randomUniform: variables.randomUniform,
  randomBinomial: variables.randomBinomial,
  setSeed,
  toDevice: variables.toDevice,
  // arithmetic and math
  add: math.add,
  subtract: math.subtract,
  multiply: math.multiply,
  divide: math.divide,
  floorDiv: math.floorDiv,
  mod: math.mod,
  neg: math.neg,
  abs: math.abs,
  square: math.square,
  sqrt: math.sqrt,
  exp: math.exp,
  log: math.log,
  log1p: math.log1p,
  pow: math.pow,
  clip: math.clip,
  sign: math.sign,
  round: math.round,
  floor: math.floor,
  ceil: math.ceil,
  minimum: math.minimum,
  maximum: math.maximum,
  equal: math.equal,
  notEqual: math.notEqual,
  greater: math.greater,
  greaterEqual: math.greaterEqual,
  less: math.less,
  lessEqual: math.lessEqual,
  logicalAnd: math.logicalAnd,
  logicalOr: math.logicalOr,
  logicalNot: math.logicalNot,
  sin: math.sin,
  cos: math.cos,
  tan: math.tan,
  reciprocal: math.reciprocal,
  isNaN: math.isNaN,
  where: math.where,
  switch: math.kerasSwitch,
  // reductions
  sum: reduction.sum,
  mean: reduction.mean,
  max: reduction.max,
  min: reduction.min,
  prod: reduction.prod,
  std: reduction.std,
  var: reduction.variance,
  any: reduction.any,
  all: reduction.all,
  argmax: reduction.argmax,
  argmin: reduction.argmin,
  cumsum: reduction.cumsum,
  cumprod: reduction.cumprod,
  logsumexp: reduction.logsumexp,
  // linear algebra
  dot: linalg.dot,
  batchDot: linalg.batchDot,
  transpose: shapes.transpose,
  // shape
  reshape: shapes.reshape,
  permuteDimensions: shapes.permuteDimensions,
  expandDims: shapes.expandDims,
  squeeze: shapes.squeeze,
  flatten: shapes.flatten,
  batchFlatten: shapes.batchFlatten,
  concatenate: shapes.concatenate,
  stack: shapes.stack,
  tile: shapes.tile,
  repeat: shapes.repeat,
  repeatElements: shapes.repeatElements,
  reverse: shapes.reverse,
  slice: shapes.slice,
  gather: shapes.gather,
  oneHot: shapes.oneHot,
  inTopK: topK.inTopK,
  indexBounds: shapes.indexBounds,
  spatial2dPadding: shapes.spatial2dPadding,
  temporalPadding: shapes.temporalPadding,
  // nn
  relu: nn.relu,
  elu: nn.elu,
  leakyRelu: nn.leakyRelu,
  sigmoid: nn.sigmoid,
  tanh: nn.tanh,
  softmax: nn.softmax,
  logSoftmax: nn.logSoftmax,
  softplus: nn.softplus,
  softsign: nn.softsign,
  // Keras 3's activations (keras.ops; mish from keras.activations)
  relu6: activations.relu6,
  gelu: activations.gelu,
  silu: activations.silu,
  swish: activations.silu,
  mish: activations.mish,
  selu: activations.selu,
  celu: activations.celu,
  glu: activations.glu,
  logSigmoid: activations.logSigmoid,
  hardSigmoid: activations.hardSigmoid,
  hardSilu: activations.hardSilu,
  hardSwish: activations.hardSilu,
  hardTanh: activations.hardTanh,
  hardShrink: activations.hardShrink,
  softShrink: activations.softShrink,
  tanhShrink: activations.tanhShrink,
  sparseSigmoid: activations.sparseSigmoid,
  sparsePlus: activations.sparsePlus,
  squareplus: activations.squareplus,
  threshold: activations.threshold,
  sparsemax: activations.sparsemax,
  dropout: nn.dropout,
  conv2d: nn.conv2d,
  pool2d: nn.pool2d,
  biasAdd: nn.biasAdd,
  l2Normalize: nn.l2Normalize,
  categoricalCrossentropy: losses.categoricalCrossentropy,
  sparseCategoricalCrossentropy: losses.sparseCategoricalCrossentropy,
  binaryCrossentropy: losses.binaryCrossentropy,
  // autograd
  gradients: autograd.gradients,
  stopGradient: autograd.stopGradient,
  noGrad: autograd.noGrad,
  // settings and lifetime
  epsilon: config.epsilon,
  setEpsilon: config.setEpsilon,
  floatx: config.floatx,
  setFloatx: config.setFloatx,
  tidy,
  keep,
  dispose,
  memory,
};

export { Tensor } from './tensor';
export type { NestedArray } from './tensor';
export type { DType, Device, TypedArray, DataTypeMap } from './dtypes';
export { KeratorchError } from './errors';
export type { ErrorCode } from './errors';
export type { Operand } from './operands';
export type { Axis } from './reduction';
export type { DataFormat } from './shapes';
export type { Padding } from './nn';
export type { GradientsOptions } from './autograd';
export type { TensorInput, TensorLike } from './creation';
export { tensor, zeros, ones, full, arange, eye, zerosLike, onesLike, randomNormal, randomUniform,
  randomBinomial, setSeed } from './creation';
export { tidy, keep, memory, dispose } from './engine';
export type { TensorContainer } from './engine';
export type { MemoryInfo } from '../native';
export { cuda, cpuCache, getNumThreads, setNumThreads, setFlushDenormal, getFlushDenormal, parallelTeamSize, buildInfo } from './system';
export type { CpuCacheInfo, HeapPolicy, LoadedTorchInfo } from './system';
/** Fused optimizer update steps (one native call per step for all parameters); used by `src/optimizers`. */
export * as optim from './optim';
export * as vin from './vin';
export * as serving from './serving';
export type { ServingOptions, RecordedForward } from './serving';
