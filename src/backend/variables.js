"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toDevice = exports.randomBinomial = exports.randomUniform = exports.randomNormal = exports.arange = exports.eye = exports.ones = exports.zeros = exports.countParams = exports.dtype = exports.ndim = exports.intShape = exports.getValue = void 0;
exports.variable = variable;
exports.constant = constant;
exports.evaluate = evaluate;
exports.batchGetValue = batchGetValue;
exports.setValue = setValue;
exports.batchSetValue = batchSetValue;
exports.update = update;
exports.updateAdd = updateAdd;
exports.updateSub = updateSub;
exports.shape = shape;
exports.cast = cast;
exports.zerosLike = zerosLike;
exports.onesLike = onesLike;
/** Keras variables and constants, evaluation, and introspection. */
var operands_1 = require("./operands");
var tensor_1 = require("./tensor");
var dtypes_1 = require("./dtypes");
var config_1 = require("./config");
var creation_1 = require("./creation");
var validate_1 = require("./validate");
var engine_1 = require("./engine");
function markTrainable(t, name) {
    if ((0, dtypes_1.isFloatDType)(t.dtype))
        operands_1.native.setRequiresGrad(t.handle, true);
    if (name !== undefined)
        t.name = name;
    return t;
}
function fromValue(fn, value, dtype) {
    if (value instanceof tensor_1.Tensor) {
        (0, operands_1.handleOf)(fn, value, 'value');
        // A detached copy: a variable owns its storage and starts a new graph.
        var copy_1 = (0, operands_1.wrap)(operands_1.native.clone((0, operands_1.wrap)(operands_1.native.detach(value.handle)).handle));
        return dtype && dtype !== copy_1.dtype ? (0, engine_1.tidy)(function () { return copy_1.cast(dtype); }) : copy_1;
    }
    var isTyped = ArrayBuffer.isView(value);
    return (0, creation_1.tensor)(value, undefined, dtype !== null && dtype !== void 0 ? dtype : (isTyped ? undefined : (0, config_1.floatx)()));
}
/**
 * A trainable tensor (for float dtypes), as Keras's `variable`: gradients flow to it and
 * `setValue` updates it in place. Numbers and arrays default to `floatx()`.
 */
function variable(value, dtype, name) {
    if (dtype !== undefined)
        (0, validate_1.checkDType)('variable', dtype);
    return markTrainable(fromValue('variable', value, dtype), name);
}
/** A constant tensor; with `shape`, a number fills that shape. */
function constant(value, dtype, shape, name) {
    var fn = 'constant';
    if (dtype !== undefined)
        (0, validate_1.checkDType)(fn, dtype);
    var t;
    if (shape !== undefined) {
        (0, validate_1.checkShape)(fn, 'shape', shape);
        if (typeof value !== 'number' && typeof value !== 'boolean') {
            t = (0, engine_1.tidy)(function () { return (0, operands_1.wrap)(operands_1.native.reshape(fromValue(fn, value, dtype).handle, shape)); });
        }
        else {
            t = (0, creation_1.full)(shape, Number(value), dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)());
        }
    }
    else {
        t = fromValue(fn, value, dtype);
    }
    if (name !== undefined)
        t.name = name;
    return t;
}
/** The values as nested arrays. */
function evaluate(x) {
    return (0, operands_1.tensorArg)('eval', x).array();
}
/** The values of a variable as nested arrays. */
var getValue = function (x) { return (0, operands_1.tensorArg)('getValue', x).array(); };
exports.getValue = getValue;
/** The values of several variables. */
function batchGetValue(xs) {
    return xs.map(function (x) { return (0, exports.getValue)(x); });
}
/** Overwrites a variable's values in place (same shape), outside the gradient graph. */
function setValue(x, value) {
    var fn = 'setValue';
    var h = (0, operands_1.handleOf)(fn, x);
    (0, engine_1.tidy)(function () {
        var v = value instanceof tensor_1.Tensor ? (0, operands_1.tensorArg)(fn, value, 'value') : (0, creation_1.tensor)(value, undefined, x.dtype);
        var xs = x.shapeRef;
        var vs = v.shapeRef;
        if (xs.length !== vs.length || xs.some(function (d, i) { return d !== vs[i]; })) {
            (0, validate_1.fail)(fn, "a value of shape [".concat(xs, "]"), 'value', v, 'ERR_SHAPE');
        }
        operands_1.native.assign(h, v.handle);
    });
}
/** Sets several variables: pairs of [variable, value]. */
function batchSetValue(pairs) {
    for (var _i = 0, pairs_1 = pairs; _i < pairs_1.length; _i++) {
        var _a = pairs_1[_i], x = _a[0], value = _a[1];
        setValue(x, value);
    }
}
/** x := newX (in place); returns x. */
function update(x, newX) {
    setValue(x, newX);
    return x;
}
/** x := x + increment (in place); returns x. */
function updateAdd(x, increment) {
    (0, operands_1.handleOf)('updateAdd', x);
    (0, engine_1.tidy)(function () { return setValue(x, (0, operands_1.wrap)(operands_1.native.binary('add', (0, operands_1.wrap)(operands_1.native.detach(x.handle)).handle, increment instanceof tensor_1.Tensor ? (0, operands_1.handleOf)('updateAdd', increment, 'increment') : increment))); });
    return x;
}
/** x := x - decrement (in place); returns x. */
function updateSub(x, decrement) {
    (0, operands_1.handleOf)('updateSub', x);
    (0, engine_1.tidy)(function () { return setValue(x, (0, operands_1.wrap)(operands_1.native.binary('subtract', (0, operands_1.wrap)(operands_1.native.detach(x.handle)).handle, decrement instanceof tensor_1.Tensor ? (0, operands_1.handleOf)('updateSub', decrement, 'decrement') : decrement))); });
    return x;
}
/** The shape as a 1-D int32 tensor. */
function shape(x) {
    return (0, creation_1.tensor)(Int32Array.from((0, operands_1.tensorArg)('shape', x).shapeRef));
}
/** The shape as an array of numbers. */
var intShape = function (x) { return (0, operands_1.tensorArg)('intShape', x).shape; };
exports.intShape = intShape;
/** The number of axes. */
var ndim = function (x) { return (0, operands_1.tensorArg)('ndim', x).rank; };
exports.ndim = ndim;
/** The dtype name. */
var dtype = function (x) { return (0, operands_1.tensorArg)('dtype', x).dtype; };
exports.dtype = dtype;
/** The number of elements. */
var countParams = function (x) { return (0, operands_1.tensorArg)('countParams', x).size; };
exports.countParams = countParams;
/** A copy with another dtype. */
function cast(x, dtype) {
    return (0, operands_1.wrap)(operands_1.native.cast((0, operands_1.handleOf)('cast', x), (0, validate_1.checkDType)('cast', dtype)));
}
/** A variable of zeros (Keras's K.zeros). */
var zeros = function (shape, dtype, name) {
    return markTrainable((0, creation_1.full)((0, validate_1.checkShape)('zeros', 'shape', shape), 0, dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)()), name);
};
exports.zeros = zeros;
/** A variable of ones. */
var ones = function (shape, dtype, name) {
    return markTrainable((0, creation_1.full)((0, validate_1.checkShape)('ones', 'shape', shape), 1, dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)()), name);
};
exports.ones = ones;
/** An identity-matrix variable. */
var eye = function (size, dtype, name) {
    return markTrainable((0, creation_1.eye)(size, undefined, dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)()), name);
};
exports.eye = eye;
/** A variable of zeros shaped like x. */
function zerosLike(x, dtype, name) {
    var t = (0, operands_1.tensorArg)('zerosLike', x);
    return markTrainable((0, creation_1.full)(t.shape, 0, dtype !== null && dtype !== void 0 ? dtype : t.dtype, t.device), name);
}
/** A variable of ones shaped like x. */
function onesLike(x, dtype, name) {
    var t = (0, operands_1.tensorArg)('onesLike', x);
    return markTrainable((0, creation_1.full)(t.shape, 1, dtype !== null && dtype !== void 0 ? dtype : t.dtype, t.device), name);
}
/** Keras's arange: int32 by default; `arange(n)` is 0..n-1. */
var arange = function (start, stop, step, dtype) {
    if (step === void 0) { step = 1; }
    if (dtype === void 0) { dtype = 'int32'; }
    return (0, creation_1.arange)(start, stop !== null && stop !== void 0 ? stop : undefined, step, dtype);
};
exports.arange = arange;
/** Normally distributed values (Keras's random_normal). */
var randomNormal = function (shape, mean, stddev, dtype, seed) {
    if (mean === void 0) { mean = 0; }
    if (stddev === void 0) { stddev = 1; }
    return (0, creation_1.randomNormal)(shape, mean, stddev, dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)(), seed);
};
exports.randomNormal = randomNormal;
/** Uniform values in [minval, maxval) (Keras's random_uniform). */
var randomUniform = function (shape, minval, maxval, dtype, seed) {
    if (minval === void 0) { minval = 0; }
    if (maxval === void 0) { maxval = 1; }
    return (0, creation_1.randomUniform)(shape, minval, maxval, dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)(), seed);
};
exports.randomUniform = randomUniform;
/** 1 with probability p, else 0 (Keras's random_binomial). */
var randomBinomial = function (shape, p, dtype, seed) {
    if (p === void 0) { p = 0; }
    return (0, creation_1.randomBinomial)(shape, p, dtype !== null && dtype !== void 0 ? dtype : (0, config_1.floatx)(), seed);
};
exports.randomBinomial = randomBinomial;
/** Moves a tensor to a device (`cpu`, `cuda`, `cuda:N`). */
var toDevice = function (x, device) { return (0, operands_1.tensorArg)('toDevice', x).to(device); };
exports.toDevice = toDevice;
