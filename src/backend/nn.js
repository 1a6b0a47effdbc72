"use strict";
var __spreadArray = (this && this.__spreadArray) || function (to, from, pack) {
    if (pack || arguments.length === 2) for (var i = 0, l = from.length, ar; i < l; i++) {
        if (ar || !(i in from)) {
            if (!ar) ar = Array.prototype.slice.call(from, 0, i);
            ar[i] = from[i];
        }
    }
    return to.concat(ar || Array.prototype.slice.call(from));
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.softsign = exports.softplus = exports.tanh = exports.sigmoid = void 0;
exports.relu = relu;
exports.elu = elu;
exports.leakyRelu = leakyRelu;
exports.hardSigmoid = hardSigmoid;
exports.softmax = softmax;
exports.logSoftmax = logSoftmax;
exports.dropout = dropout;
exports.l2Normalize = l2Normalize;
exports.conv2d = conv2d;
exports.pool2d = pool2d;
exports.biasAdd = biasAdd;
exports.checkFloat = checkFloat;
/** Activations, dropout, convolution, pooling and bias (TensorFlow-backend semantics). */
var operands_1 = require("./operands");
var engine_1 = require("./engine");
var dtypes_1 = require("./dtypes");
var validate_1 = require("./validate");
var math_1 = require("./math");
var reduction_1 = require("./reduction");
var DATA_FORMATS = ['channelsLast', 'channelsFirst'];
/** max(x, 0), with Keras's options: slope `alpha` below `threshold`, and a cap `maxValue`. */
function relu(x, alpha, maxValue, threshold) {
    if (alpha === void 0) { alpha = 0; }
    if (maxValue === void 0) { maxValue = null; }
    if (threshold === void 0) { threshold = 0; }
    var fn = 'relu';
    (0, operands_1.handleOf)(fn, x);
    (0, validate_1.checkNumber)(fn, 'alpha', alpha);
    (0, validate_1.checkNumber)(fn, 'threshold', threshold);
    if (alpha === 0 && maxValue === null && threshold === 0)
        return (0, operands_1.wrap)(operands_1.native.unary('relu', x.handle));
    return (0, engine_1.tidy)(function () {
        var y = threshold !== 0
            ? (0, math_1.multiply)(x, (0, operands_1.wrap)(operands_1.native.cast((0, operands_1.wrap)(operands_1.native.binary('greater', x.handle, threshold)).handle, x.dtype)))
            : (0, operands_1.wrap)(operands_1.native.unary('relu', x.handle));
        if (maxValue !== null && maxValue !== undefined)
            y = (0, math_1.clip)(y, 0, (0, validate_1.checkNumber)(fn, 'maxValue', maxValue));
        if (alpha !== 0) {
            var negative = (0, operands_1.wrap)(operands_1.native.unary('relu', (0, operands_1.wrap)(operands_1.native.binary('subtract', threshold, x.handle)).handle));
            y = (0, math_1.subtract)(y, (0, math_1.multiply)(negative, alpha));
        }
        return y;
    });
}
/** Exponential linear unit. */
function elu(x, alpha) {
    if (alpha === void 0) { alpha = 1; }
    return (0, operands_1.wrap)(operands_1.native.elu((0, operands_1.handleOf)('elu', x), (0, validate_1.checkNumber)('elu', 'alpha', alpha)));
}
/** Leaky ReLU with slope `alpha` below 0. */
function leakyRelu(x, alpha) {
    if (alpha === void 0) { alpha = 0.2; }
    return (0, operands_1.wrap)(operands_1.native.leakyRelu((0, operands_1.handleOf)('leakyRelu', x), (0, validate_1.checkNumber)('leakyRelu', 'alpha', alpha)));
}
/** 1 / (1 + e^-x). */
var sigmoid = function (x) { return (0, operands_1.wrap)(operands_1.native.unary('sigmoid', (0, operands_1.handleOf)('sigmoid', x))); };
exports.sigmoid = sigmoid;
/** Hyperbolic tangent. */
var tanh = function (x) { return (0, operands_1.wrap)(operands_1.native.unary('tanh', (0, operands_1.handleOf)('tanh', x))); };
exports.tanh = tanh;
/** log(1 + e^x). */
var softplus = function (x) { return (0, operands_1.wrap)(operands_1.native.unary('softplus', (0, operands_1.handleOf)('softplus', x))); };
exports.softplus = softplus;
/** x / (1 + |x|). */
var softsign = function (x) { return (0, operands_1.wrap)(operands_1.native.unary('softsign', (0, operands_1.handleOf)('softsign', x))); };
exports.softsign = softsign;
/** Keras's piecewise-linear sigmoid: clip(0.2 x + 0.5, 0, 1). */
function hardSigmoid(x) {
    (0, operands_1.handleOf)('hardSigmoid', x);
    return (0, engine_1.tidy)(function () { return (0, math_1.clip)((0, math_1.add)((0, math_1.multiply)(x, 0.2), 0.5), 0, 1); });
}
/** Softmax along `axis`. */
function softmax(x, axis) {
    if (axis === void 0) { axis = -1; }
    var h = (0, operands_1.handleOf)('softmax', x);
    return (0, operands_1.wrap)(operands_1.native.softmax(h, (0, validate_1.normalizeAxis)('softmax', axis, x.rank)));
}
/** Log of softmax along `axis`, computed stably. */
function logSoftmax(x, axis) {
    if (axis === void 0) { axis = -1; }
    var h = (0, operands_1.handleOf)('logSoftmax', x);
    return (0, operands_1.wrap)(operands_1.native.logSoftmax(h, (0, validate_1.normalizeAxis)('logSoftmax', axis, x.rank)));
}
/** Zeroes each value with probability `level` and scales the rest by 1 / (1 - level). */
function dropout(x, level, noiseShape, seed) {
    if (noiseShape === void 0) { noiseShape = null; }
    if (seed === void 0) { seed = null; }
    var fn = 'dropout';
    var h = (0, operands_1.handleOf)(fn, x);
    if ((0, validate_1.checkNumber)(fn, 'level', level) < 0 || level >= 1)
        (0, validate_1.fail)(fn, 'a rate in [0, 1)', 'level', level, 'ERR_VALUE');
    if (noiseShape !== null && noiseShape !== undefined) {
        var fits = Array.isArray(noiseShape) && noiseShape.length === x.rank &&
            noiseShape.every(function (d, i) { return d === 1 || d === x.shapeRef[i]; });
        if (!fits)
            (0, validate_1.fail)(fn, "a shape broadcastable to [".concat(x.shapeRef, "]"), 'noiseShape', noiseShape, 'ERR_SHAPE');
    }
    if (seed !== null && seed !== undefined)
        (0, validate_1.checkInt)(fn, 'seed', seed, 0);
    return (0, operands_1.wrap)(operands_1.native.dropout(h, level, noiseShape !== null && noiseShape !== void 0 ? noiseShape : null, seed !== null && seed !== void 0 ? seed : null));
}
/** x / sqrt(max(sum(x², axis), 1e-12)). */
function l2Normalize(x, axis) {
    if (axis === void 0) { axis = null; }
    (0, operands_1.handleOf)('l2Normalize', x);
    return (0, engine_1.tidy)(function () {
        var squares = (0, reduction_1.sum)((0, math_1.multiply)(x, x), axis === null ? null : (0, validate_1.normalizeAxis)('l2Normalize', axis, x.rank), true);
        return (0, math_1.divide)(x, (0, math_1.sqrt)((0, math_1.maximum)(squares, 1e-12)));
    });
}
// Keras's image layout is resolved here only: libtorch works in NCHW.
function toNCHW(x, dataFormat) {
    return dataFormat === 'channelsLast' ? (0, operands_1.wrap)(operands_1.native.permute(x.handle, [0, 3, 1, 2])) : x;
}
function fromNCHW(x, dataFormat) {
    return dataFormat === 'channelsLast' ? (0, operands_1.wrap)(operands_1.native.permute(x.handle, [0, 2, 3, 1])) : x;
}
/** Per-side padding {top, bottom, left, right} that gives TensorFlow's 'same' or 'valid'. */
function paddingFor(padding, size, kernel, strides, dilation) {
    if (padding === 'valid')
        return [0, 0, 0, 0];
    var sides = [];
    for (var i = 0; i < 2; i++) {
        var out = Math.ceil(size[i] / strides[i]);
        var total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilation[i] + 1 - size[i], 0);
        sides.push(Math.floor(total / 2), total - Math.floor(total / 2));
    }
    return sides;
}
/**
 * 2-D convolution. `kernel` has Keras's shape (rows, cols, inChannels, outChannels) whatever the
 * data format; `x` is (batch, rows, cols, channels) for channelsLast, (batch, channels, rows, cols)
 * for channelsFirst.
 */
function conv2d(x, kernel, strides, padding, dataFormat, dilationRate) {
    if (strides === void 0) { strides = [1, 1]; }
    if (padding === void 0) { padding = 'valid'; }
    if (dataFormat === void 0) { dataFormat = 'channelsLast'; }
    if (dilationRate === void 0) { dilationRate = [1, 1]; }
    var fn = 'conv2d';
    (0, operands_1.handleOf)(fn, x);
    (0, operands_1.handleOf)(fn, kernel, 'kernel');
    var s = (0, validate_1.checkPair)(fn, 'strides', strides);
    var d = (0, validate_1.checkPair)(fn, 'dilationRate', dilationRate);
    (0, validate_1.checkOption)(fn, 'padding', padding, ['valid', 'same']);
    (0, validate_1.checkOption)(fn, 'dataFormat', dataFormat, DATA_FORMATS);
    if (x.rank !== 4)
        (0, validate_1.fail)(fn, 'a rank-4 input', 'x', x, 'ERR_SHAPE');
    if (kernel.rank !== 4)
        (0, validate_1.fail)(fn, 'a rank-4 kernel (rows, cols, in, out)', 'kernel', kernel, 'ERR_SHAPE');
    var shape = x.shapeRef;
    var _a = kernel.shapeRef, kh = _a[0], kw = _a[1], kin = _a[2];
    var channels = dataFormat === 'channelsLast' ? shape[3] : shape[1];
    if (kin !== channels)
        (0, validate_1.fail)(fn, "a kernel with ".concat(channels, " input channels (x is ").concat(x.describe(), ")"), 'kernel', kernel, 'ERR_SHAPE');
    var spatial = dataFormat === 'channelsLast' ? [shape[1], shape[2]] : [shape[2], shape[3]];
    var pads = paddingFor(padding, spatial, [kh, kw], s, d);
    return (0, engine_1.tidy)(function () {
        var weight = (0, operands_1.wrap)(operands_1.native.permute(kernel.handle, [3, 2, 0, 1]));
        var out = (0, operands_1.wrap)(operands_1.native.conv2d(toNCHW(x, dataFormat).handle, weight.handle, null, s, pads, d));
        return fromNCHW(out, dataFormat);
    });
}
/** 2-D max or average pooling; padded cells are ignored, as in Keras. */
function pool2d(x, poolSize, strides, padding, dataFormat, poolMode) {
    if (strides === void 0) { strides = [1, 1]; }
    if (padding === void 0) { padding = 'valid'; }
    if (dataFormat === void 0) { dataFormat = 'channelsLast'; }
    if (poolMode === void 0) { poolMode = 'max'; }
    var fn = 'pool2d';
    (0, operands_1.handleOf)(fn, x);
    var p = (0, validate_1.checkPair)(fn, 'poolSize', poolSize);
    var s = (0, validate_1.checkPair)(fn, 'strides', strides);
    (0, validate_1.checkOption)(fn, 'padding', padding, ['valid', 'same']);
    (0, validate_1.checkOption)(fn, 'dataFormat', dataFormat, DATA_FORMATS);
    (0, validate_1.checkOption)(fn, 'poolMode', poolMode, ['max', 'avg']);
    if (x.rank !== 4)
        (0, validate_1.fail)(fn, 'a rank-4 input', 'x', x, 'ERR_SHAPE');
    var shape = x.shapeRef;
    var spatial = dataFormat === 'channelsLast' ? [shape[1], shape[2]] : [shape[2], shape[3]];
    if (padding === 'valid' && (spatial[0] < p[0] || spatial[1] < p[1])) {
        (0, validate_1.fail)(fn, "a pool no larger than the input's ".concat(spatial.join('x')), 'poolSize', poolSize, 'ERR_SHAPE');
    }
    var pads = paddingFor(padding, spatial, p, s, [1, 1]);
    return (0, engine_1.tidy)(function () { return fromNCHW((0, operands_1.wrap)(operands_1.native.pool2d(toNCHW(x, dataFormat).handle, poolMode, p, s, pads)), dataFormat); });
}
/** Adds a per-channel bias: rank 1 (channels), or rank x.rank - 1 laid out like one sample of x. */
function biasAdd(x, bias, dataFormat) {
    if (dataFormat === void 0) { dataFormat = 'channelsLast'; }
    var fn = 'biasAdd';
    (0, operands_1.handleOf)(fn, x);
    (0, operands_1.handleOf)(fn, bias, 'bias');
    (0, validate_1.checkOption)(fn, 'dataFormat', dataFormat, DATA_FORMATS);
    var xs = x.shapeRef;
    var bs = bias.shapeRef;
    var channelAxis = dataFormat === 'channelsLast' ? xs.length - 1 : 1;
    if (bs.length === 1) {
        if (bs[0] !== xs[channelAxis])
            (0, validate_1.fail)(fn, "a bias of ".concat(xs[channelAxis], " channels (x is ").concat(x.describe(), ")"), 'bias', bias, 'ERR_SHAPE');
        if (dataFormat === 'channelsLast')
            return (0, math_1.add)(x, bias);
        return (0, engine_1.tidy)(function () { return (0, math_1.add)(x, (0, operands_1.wrap)(operands_1.native.reshape(bias.handle, __spreadArray([1, bs[0]], Array(xs.length - 2).fill(1), true)))); });
    }
    if (bs.length !== xs.length - 1 || bs.some(function (d, i) { return d !== xs[i + 1]; })) {
        (0, validate_1.fail)(fn, "a bias of shape [".concat(xs[channelAxis], "] or [").concat(xs.slice(1), "]"), 'bias', bias, 'ERR_SHAPE');
    }
    return (0, math_1.add)(x, bias);
}
/** Checks that a loss's float inputs fit each other. */
function checkFloat(fn, x, name) {
    if (!(0, dtypes_1.isFloatDType)((0, operands_1.tensorArg)(fn, x, name).dtype))
        (0, validate_1.fail)(fn, 'a float tensor', name, x, 'ERR_DTYPE');
}
