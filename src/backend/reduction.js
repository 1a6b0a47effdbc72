"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.argmin = exports.argmax = exports.logsumexp = exports.all = exports.any = exports.variance = exports.std = exports.prod = exports.min = exports.max = exports.mean = exports.sum = void 0;
exports.cumsum = cumsum;
exports.cumprod = cumprod;
/** Reductions over axes (TensorFlow-backend semantics: axis may be a number, a list, or null for all). */
var operands_1 = require("./operands");
var validate_1 = require("./validate");
function reduce(op, x, axis, keepdims) {
    var h = (0, operands_1.handleOf)(op, x);
    var axes = (0, validate_1.normalizeAxes)(op, axis, x.rank);
    return (0, operands_1.wrap)(operands_1.native.reduce(op, h, axes, Boolean(keepdims)));
}
/** Sum over axes. */
var sum = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('sum', x, axis, keepdims);
};
exports.sum = sum;
/** Mean over axes (integer inputs give float32). */
var mean = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('mean', x, axis, keepdims);
};
exports.mean = mean;
/** Maximum over axes. */
var max = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('max', x, axis, keepdims);
};
exports.max = max;
/** Minimum over axes. */
var min = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('min', x, axis, keepdims);
};
exports.min = min;
/** Product over axes. */
var prod = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('prod', x, axis, keepdims);
};
exports.prod = prod;
/** Population standard deviation over axes. */
var std = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('std', x, axis, keepdims);
};
exports.std = std;
/** Population variance over axes. */
var variance = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('var', x, axis, keepdims);
};
exports.variance = variance;
/** True where any value along the axes is non-zero (bool). */
var any = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('any', x, axis, keepdims);
};
exports.any = any;
/** True where every value along the axes is non-zero (bool). */
var all = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('all', x, axis, keepdims);
};
exports.all = all;
/** log(sum(exp(x))) over axes, computed stably. */
var logsumexp = function (x, axis, keepdims) {
    if (axis === void 0) { axis = null; }
    if (keepdims === void 0) { keepdims = false; }
    return reduce('logsumexp', x, axis, keepdims);
};
exports.logsumexp = logsumexp;
function argReduce(op, x, axis, keepdims) {
    if (keepdims === void 0) { keepdims = false; }
    var h = (0, operands_1.handleOf)(op, x);
    return (0, operands_1.wrap)(operands_1.native.argReduce(op, h, (0, validate_1.normalizeAxis)(op, axis, (0, operands_1.tensorArg)(op, x).rank), keepdims));
}
/** Index of the maximum along an axis (int64). */
var argmax = function (x, axis, keepdims) {
    if (axis === void 0) { axis = -1; }
    if (keepdims === void 0) { keepdims = false; }
    return argReduce('argmax', x, axis, keepdims);
};
exports.argmax = argmax;
/** Index of the minimum along an axis (int64). */
var argmin = function (x, axis, keepdims) {
    if (axis === void 0) { axis = -1; }
    if (keepdims === void 0) { keepdims = false; }
    return argReduce('argmin', x, axis, keepdims);
};
exports.argmin = argmin;
/** Cumulative sum along an axis. */
function cumsum(x, axis) {
    if (axis === void 0) { axis = 0; }
    var h = (0, operands_1.handleOf)('cumsum', x);
    return (0, operands_1.wrap)(operands_1.native.cumulative('cumsum', h, (0, validate_1.normalizeAxis)('cumsum', axis, x.rank)));
}
/** Cumulative product along an axis. */
function cumprod(x, axis) {
    if (axis === void 0) { axis = 0; }
    var h = (0, operands_1.handleOf)('cumprod', x);
    return (0, operands_1.wrap)(operands_1.native.cumulative('cumprod', h, (0, validate_1.normalizeAxis)('cumprod', axis, x.rank)));
}
