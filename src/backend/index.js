"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildInfo = exports.setNumThreads = exports.getNumThreads = exports.cuda = exports.dispose = exports.memory = exports.keep = exports.tidy = exports.setSeed = exports.randomBinomial = exports.randomUniform = exports.randomNormal = exports.onesLike = exports.zerosLike = exports.eye = exports.arange = exports.full = exports.ones = exports.zeros = exports.tensor = exports.KeratorchError = exports.Tensor = exports.K = void 0;
/**
 * The Keras backend `K`: every keras.backend function under its camelCase name, with the
 * TensorFlow backend's positional parameters and semantics. Layers and models use only this.
 */
var native_1 = require("../native");
var errors_1 = require("./errors");
require("./methods");
var math = require("./math");
var reduction = require("./reduction");
var shapes = require("./shapes");
var linalg = require("./linalg");
var nn = require("./nn");
var losses = require("./losses");
var variables = require("./variables");
var autograd = require("./autograd");
var config = require("./config");
var creation_1 = require("./creation");
var engine_1 = require("./engine");
// Native errors are built with keratorch's class, so `instanceof KeratorchError` works for both.
native_1.native.setErrorClass(errors_1.KeratorchError);
/** The Keras backend. */
exports.K = {
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
    setSeed: creation_1.setSeed,
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
    switch: math.where,
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
    spatial2dPadding: shapes.spatial2dPadding,
    temporalPadding: shapes.temporalPadding,
    // nn
    relu: nn.relu,
    elu: nn.elu,
    leakyRelu: nn.leakyRelu,
    sigmoid: nn.sigmoid,
    hardSigmoid: nn.hardSigmoid,
    tanh: nn.tanh,
    softmax: nn.softmax,
    logSoftmax: nn.logSoftmax,
    softplus: nn.softplus,
    softsign: nn.softsign,
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
    tidy: engine_1.tidy,
    keep: engine_1.keep,
    dispose: engine_1.dispose,
    memory: engine_1.memory,
};
var tensor_1 = require("./tensor");
Object.defineProperty(exports, "Tensor", { enumerable: true, get: function () { return tensor_1.Tensor; } });
var errors_2 = require("./errors");
Object.defineProperty(exports, "KeratorchError", { enumerable: true, get: function () { return errors_2.KeratorchError; } });
var creation_2 = require("./creation");
Object.defineProperty(exports, "tensor", { enumerable: true, get: function () { return creation_2.tensor; } });
Object.defineProperty(exports, "zeros", { enumerable: true, get: function () { return creation_2.zeros; } });
Object.defineProperty(exports, "ones", { enumerable: true, get: function () { return creation_2.ones; } });
Object.defineProperty(exports, "full", { enumerable: true, get: function () { return creation_2.full; } });
Object.defineProperty(exports, "arange", { enumerable: true, get: function () { return creation_2.arange; } });
Object.defineProperty(exports, "eye", { enumerable: true, get: function () { return creation_2.eye; } });
Object.defineProperty(exports, "zerosLike", { enumerable: true, get: function () { return creation_2.zerosLike; } });
Object.defineProperty(exports, "onesLike", { enumerable: true, get: function () { return creation_2.onesLike; } });
Object.defineProperty(exports, "randomNormal", { enumerable: true, get: function () { return creation_2.randomNormal; } });
Object.defineProperty(exports, "randomUniform", { enumerable: true, get: function () { return creation_2.randomUniform; } });
Object.defineProperty(exports, "randomBinomial", { enumerable: true, get: function () { return creation_2.randomBinomial; } });
Object.defineProperty(exports, "setSeed", { enumerable: true, get: function () { return creation_2.setSeed; } });
var engine_2 = require("./engine");
Object.defineProperty(exports, "tidy", { enumerable: true, get: function () { return engine_2.tidy; } });
Object.defineProperty(exports, "keep", { enumerable: true, get: function () { return engine_2.keep; } });
Object.defineProperty(exports, "memory", { enumerable: true, get: function () { return engine_2.memory; } });
Object.defineProperty(exports, "dispose", { enumerable: true, get: function () { return engine_2.dispose; } });
var system_1 = require("./system");
Object.defineProperty(exports, "cuda", { enumerable: true, get: function () { return system_1.cuda; } });
Object.defineProperty(exports, "getNumThreads", { enumerable: true, get: function () { return system_1.getNumThreads; } });
Object.defineProperty(exports, "setNumThreads", { enumerable: true, get: function () { return system_1.setNumThreads; } });
Object.defineProperty(exports, "buildInfo", { enumerable: true, get: function () { return system_1.buildInfo; } });
