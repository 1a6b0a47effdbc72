"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tensor = tensor;
exports.toTensor = toTensor;
exports.full = full;
exports.zeros = zeros;
exports.ones = ones;
exports.zerosLike = zerosLike;
exports.onesLike = onesLike;
exports.arange = arange;
exports.eye = eye;
exports.randomNormal = randomNormal;
exports.randomUniform = randomUniform;
exports.randomBinomial = randomBinomial;
exports.setSeed = setSeed;
/** Making tensors: from JS values, filled, ranges, identity and random. */
var native_1 = require("../native");
var dtypes_1 = require("./dtypes");
var tensor_1 = require("./tensor");
var validate_1 = require("./validate");
function inferShape(fn, values) {
    var shape = [];
    var level = values;
    while (Array.isArray(level)) {
        shape.push(level.length);
        if (level.length === 0)
            break;
        level = level[0];
    }
    return shape;
}
function flatten(fn, values, shape) {
    var flat = [];
    var walk = function (value, axis, path) {
        if (axis === shape.length) {
            if (Array.isArray(value))
                (0, validate_1.fail)(fn, "a rectangular nested array of shape [".concat(shape, "]"), 'values', "a deeper array at ".concat(path), 'ERR_SHAPE');
            if (typeof value !== 'number' && typeof value !== 'boolean') {
                (0, validate_1.fail)(fn, 'numbers or booleans', "values".concat(path), value);
            }
            flat.push(value);
            return;
        }
        if (!Array.isArray(value) || value.length !== shape[axis]) {
            (0, validate_1.fail)(fn, "a rectangular nested array of shape [".concat(shape, "]"), "values".concat(path), value, 'ERR_SHAPE');
        }
        for (var i = 0; i < value.length; i++)
            walk(value[i], axis + 1, "".concat(path, "[").concat(i, "]"));
    };
    walk(values, 0, '');
    return flat;
}
function sourceArray(fn, flat, dtype) {
    var integral = !(0, dtypes_1.isFloatDType)(dtype) && dtype !== 'bool';
    if (integral) {
        for (var i = 0; i < flat.length; i++) {
            var v = Number(flat[i]);
            if (!Number.isInteger(v))
                (0, validate_1.fail)(fn, "integers (dtype ".concat(dtype, ")"), "values[".concat(i, "]"), flat[i], 'ERR_VALUE');
        }
    }
    switch (dtype) {
        case 'float32': return Float32Array.from(flat, Number);
        case 'float64':
        case 'int64': return Float64Array.from(flat, Number);
        case 'int32': return Int32Array.from(flat, Number);
        default: return Uint8Array.from(flat, function (v) { return (dtype === 'bool' ? (v ? 1 : 0) : Number(v)); });
    }
}
/**
 * Makes a tensor from a number, a boolean, nested arrays or a TypedArray (tfjs's argument order).
 * Numbers default to float32, booleans to bool, TypedArrays to their own type.
 */
function tensor(values, shape, dtype, device) {
    var fn = 'tensor';
    if (dtype !== undefined)
        (0, validate_1.checkDType)(fn, dtype);
    if (shape !== undefined)
        (0, validate_1.checkShape)(fn, 'shape', shape);
    var flat;
    var inferred;
    var defaultDType = 'float32';
    if (ArrayBuffer.isView(values)) {
        var own = (0, dtypes_1.dtypeOfTypedArray)(values);
        if (own === undefined)
            (0, validate_1.fail)(fn, 'a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array', 'values', values);
        defaultDType = own;
        inferred = [values.length];
        flat = values;
    }
    else if (typeof values === 'number' || typeof values === 'boolean') {
        if (typeof values === 'boolean')
            defaultDType = 'bool';
        inferred = [];
        flat = [values];
    }
    else if (Array.isArray(values)) {
        inferred = inferShape(fn, values);
        var items = flatten(fn, values, inferred);
        if (items.length > 0 && typeof items[0] === 'boolean')
            defaultDType = 'bool';
        flat = items;
    }
    else {
        return (0, validate_1.fail)(fn, 'a number, boolean, nested array or TypedArray', 'values', values);
    }
    var finalDType = dtype !== null && dtype !== void 0 ? dtype : defaultDType;
    var length = flat.length;
    var finalShape = shape !== null && shape !== void 0 ? shape : inferred;
    var count = finalShape.reduce(function (a, b) { return a * b; }, 1);
    if (count !== length) {
        if (length === 1 && shape !== undefined)
            return full(finalShape, Number(flat[0]), finalDType, device);
        (0, validate_1.fail)(fn, "".concat(count, " values for shape [").concat(finalShape, "]"), 'values', "".concat(length, " values"), 'ERR_SHAPE');
    }
    var source = values instanceof BigInt64Array ? values
        : ArrayBuffer.isView(flat) && !(flat instanceof BigInt64Array) && finalDType === defaultDType && (0, dtypes_1.isFloatDType)(finalDType)
            ? flat
            : sourceArray(fn, flat, finalDType);
    return new tensor_1.Tensor(native_1.native.fromBuffer(source, finalShape, finalDType, device !== null && device !== void 0 ? device : null));
}
/** Turns a TensorLike into a Tensor; tensors pass through unchanged. */
function toTensor(fn, value, name, dtype) {
    if (name === void 0) { name = 'x'; }
    if (value instanceof tensor_1.Tensor) {
        value.assertLive(fn, name);
        return value;
    }
    if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value) || ArrayBuffer.isView(value)) {
        return tensor(value, undefined, dtype);
    }
    return (0, validate_1.fail)(fn, 'a Tensor, number, boolean or nested array', name, value);
}
/** A tensor filled with `value`. */
function full(shape, value, dtype, device) {
    if (dtype === void 0) { dtype = 'float32'; }
    (0, validate_1.checkShape)('full', 'shape', shape);
    (0, validate_1.checkDType)('full', dtype);
    if (typeof value !== 'number' && typeof value !== 'boolean')
        (0, validate_1.fail)('full', 'a number', 'value', value);
    if (!(0, dtypes_1.isFloatDType)(dtype) && !Number.isInteger(Number(value)))
        (0, validate_1.fail)('full', "an integer (dtype ".concat(dtype, ")"), 'value', value, 'ERR_VALUE');
    return new tensor_1.Tensor(native_1.native.full(shape, Number(value), dtype, device !== null && device !== void 0 ? device : null));
}
/** A tensor of zeros. */
function zeros(shape, dtype, device) {
    if (dtype === void 0) { dtype = 'float32'; }
    return full(shape, 0, dtype, device);
}
/** A tensor of ones. */
function ones(shape, dtype, device) {
    if (dtype === void 0) { dtype = 'float32'; }
    return full(shape, 1, dtype, device);
}
/** Zeros with `x`'s shape, dtype and device. */
function zerosLike(x, dtype) {
    var t = toTensor('zerosLike', x);
    return full(t.shape, 0, dtype !== null && dtype !== void 0 ? dtype : t.dtype, t.device);
}
/** Ones with `x`'s shape, dtype and device. */
function onesLike(x, dtype) {
    var t = toTensor('onesLike', x);
    return full(t.shape, 1, dtype !== null && dtype !== void 0 ? dtype : t.dtype, t.device);
}
/** Values from `start` up to (not including) `stop` by `step`; one argument means `[0, start)`. */
function arange(start, stop, step, dtype, device) {
    if (step === void 0) { step = 1; }
    if (dtype === void 0) { dtype = 'int32'; }
    var fn = 'arange';
    (0, validate_1.checkNumber)(fn, 'start', start);
    if (stop !== undefined && stop !== null)
        (0, validate_1.checkNumber)(fn, 'stop', stop);
    (0, validate_1.checkNumber)(fn, 'step', step);
    if (step === 0)
        (0, validate_1.fail)(fn, 'a non-zero number', 'step', step, 'ERR_VALUE');
    var _a = stop === undefined || stop === null ? [0, start] : [start, stop], lo = _a[0], hi = _a[1];
    return new tensor_1.Tensor(native_1.native.arange(lo, hi, step, (0, validate_1.checkDType)(fn, dtype), device !== null && device !== void 0 ? device : null));
}
/** An identity matrix of `rows` x `cols` (cols defaults to rows). */
function eye(rows, cols, dtype, device) {
    if (dtype === void 0) { dtype = 'float32'; }
    (0, validate_1.checkInt)('eye', 'rows', rows, 0);
    if (cols !== undefined)
        (0, validate_1.checkInt)('eye', 'cols', cols, 0);
    return new tensor_1.Tensor(native_1.native.eye(rows, cols !== null && cols !== void 0 ? cols : rows, (0, validate_1.checkDType)('eye', dtype), device !== null && device !== void 0 ? device : null));
}
function checkSeed(fn, seed) {
    if (seed === undefined || seed === null)
        return null;
    return (0, validate_1.checkInt)(fn, 'seed', seed, 0);
}
/** Normally distributed values; `seed` makes the call reproducible on its own. */
function randomNormal(shape, mean, stddev, dtype, seed, device) {
    if (mean === void 0) { mean = 0; }
    if (stddev === void 0) { stddev = 1; }
    if (dtype === void 0) { dtype = 'float32'; }
    var fn = 'randomNormal';
    (0, validate_1.checkShape)(fn, 'shape', shape);
    (0, validate_1.checkNumber)(fn, 'mean', mean);
    if ((0, validate_1.checkNumber)(fn, 'stddev', stddev) < 0)
        (0, validate_1.fail)(fn, 'a number >= 0', 'stddev', stddev, 'ERR_VALUE');
    return new tensor_1.Tensor(native_1.native.randomNormal(shape, mean, stddev, (0, validate_1.checkDType)(fn, dtype), device !== null && device !== void 0 ? device : null, checkSeed(fn, seed)));
}
/** Uniformly distributed values in `[minval, maxval)`. */
function randomUniform(shape, minval, maxval, dtype, seed, device) {
    if (minval === void 0) { minval = 0; }
    if (maxval === void 0) { maxval = 1; }
    if (dtype === void 0) { dtype = 'float32'; }
    var fn = 'randomUniform';
    (0, validate_1.checkShape)(fn, 'shape', shape);
    (0, validate_1.checkNumber)(fn, 'minval', minval);
    if ((0, validate_1.checkNumber)(fn, 'maxval', maxval) < minval)
        (0, validate_1.fail)(fn, "a number >= minval (".concat(minval, ")"), 'maxval', maxval, 'ERR_VALUE');
    return new tensor_1.Tensor(native_1.native.randomUniform(shape, minval, maxval, (0, validate_1.checkDType)(fn, dtype), device !== null && device !== void 0 ? device : null, checkSeed(fn, seed)));
}
/** 1 with probability `p`, else 0. */
function randomBinomial(shape, p, dtype, seed, device) {
    if (p === void 0) { p = 0; }
    if (dtype === void 0) { dtype = 'float32'; }
    var fn = 'randomBinomial';
    (0, validate_1.checkShape)(fn, 'shape', shape);
    if ((0, validate_1.checkNumber)(fn, 'p', p) < 0 || p > 1)
        (0, validate_1.fail)(fn, 'a probability in [0, 1]', 'p', p, 'ERR_VALUE');
    return new tensor_1.Tensor(native_1.native.randomBinomial(shape, p, (0, validate_1.checkDType)(fn, dtype), device !== null && device !== void 0 ? device : null, checkSeed(fn, seed)));
}
/** Seeds keratorch's generator: the random calls that follow repeat exactly. */
function setSeed(seed) {
    native_1.native.setSeed((0, validate_1.checkInt)('setSeed', 'seed', seed, 0));
}
