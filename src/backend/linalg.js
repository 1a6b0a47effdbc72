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
exports.dot = dot;
exports.batchDot = batchDot;
/** Products: Keras's `dot` and `batchDot`. */
var operands_1 = require("./operands");
var engine_1 = require("./engine");
var validate_1 = require("./validate");
/**
 * Keras's dot: a matrix product for rank 2; for higher ranks, the last axis of x with the
 * second-to-last axis of y, giving x.shape[:-1] + y.shape[:-2] + y.shape[-1:].
 */
function dot(x, y) {
    var fn = 'dot';
    var a = (0, operands_1.handleOf)(fn, x, 'x');
    var b = (0, operands_1.handleOf)(fn, y, 'y');
    var xs = x.shapeRef;
    var ys = y.shapeRef;
    if (xs.length === 0 || ys.length === 0)
        (0, validate_1.fail)(fn, 'tensors of rank >= 1', 'x, y', [x.describe(), y.describe()], 'ERR_SHAPE');
    var yAxis = ys.length >= 2 ? ys.length - 2 : 0;
    if (xs[xs.length - 1] !== ys[yAxis]) {
        (0, validate_1.fail)(fn, "y with ".concat(xs[xs.length - 1], " on axis ").concat(yAxis, " (x is ").concat(x.describe(), ")"), 'y', y, 'ERR_SHAPE');
    }
    if (xs.length <= 2 && ys.length <= 2)
        return (0, operands_1.wrap)(operands_1.native.binary('matmul', a, b));
    return (0, operands_1.wrap)(operands_1.native.tensordot(a, b, [xs.length - 1], [yAxis]));
}
/**
 * Keras's batch_dot: for each sample of the batch (axis 0), the dot product over `axes`
 * (one number for both tensors, or [axisX, axisY]; default [x.rank-1, y.rank-2]).
 * Output shape: (batch,) + x's other axes + y's other axes; (batch, 1) when both are rank 2.
 */
function batchDot(x, y, axes) {
    var fn = 'batchDot';
    (0, operands_1.handleOf)(fn, x, 'x');
    (0, operands_1.handleOf)(fn, y, 'y');
    var xs = x.shapeRef;
    var ys = y.shapeRef;
    if (xs.length < 2 || ys.length < 2)
        (0, validate_1.fail)(fn, 'tensors of rank >= 2', 'x, y', [x.describe(), y.describe()], 'ERR_SHAPE');
    if (xs[0] !== ys[0])
        (0, validate_1.fail)(fn, "the same batch size as x (".concat(xs[0], ")"), 'y', y, 'ERR_SHAPE');
    var pair = axes === undefined || axes === null ? [xs.length - 1, ys.length - 2]
        : typeof axes === 'number' ? [axes, axes] : axes;
    if (!Array.isArray(pair) || pair.length !== 2)
        (0, validate_1.fail)(fn, 'a number or a pair of axes', 'axes', axes);
    var ax = (0, validate_1.normalizeAxis)(fn, pair[0], xs.length, 'axes[0]');
    var ay = (0, validate_1.normalizeAxis)(fn, pair[1], ys.length, 'axes[1]');
    if (ax === 0 || ay === 0)
        (0, validate_1.fail)(fn, 'axes other than the batch axis 0', 'axes', axes, 'ERR_VALUE');
    if (xs[ax] !== ys[ay]) {
        (0, validate_1.fail)(fn, "axes of equal size (x is ".concat(x.describe(), ", y is ").concat(y.describe(), ")"), 'axes', [ax, ay], 'ERR_SHAPE');
    }
    var xRest = xs.filter(function (_, i) { return i !== 0 && i !== ax; });
    var yRest = ys.filter(function (_, i) { return i !== 0 && i !== ay; });
    var batch = xs[0];
    var depth = xs[ax];
    return (0, engine_1.tidy)(function () {
        // (batch, X, depth) @ (batch, depth, Y) -> (batch, X, Y)
        var xPerm = __spreadArray(__spreadArray([0], xRest.map(function (_, i) { return (i + 1 < ax ? i + 1 : i + 2); }), true), [ax], false);
        var yPerm = __spreadArray([0, ay], yRest.map(function (_, i) { return (i + 1 < ay ? i + 1 : i + 2); }), true);
        var xm = (0, operands_1.wrap)(operands_1.native.reshape((0, operands_1.wrap)(operands_1.native.permute(x.handle, xPerm)).handle, [batch, -1, depth]));
        var ym = (0, operands_1.wrap)(operands_1.native.reshape((0, operands_1.wrap)(operands_1.native.permute(y.handle, yPerm)).handle, [batch, depth, -1]));
        var product = (0, operands_1.wrap)(operands_1.native.binary('matmul', xm.handle, ym.handle)).handle;
        var shape = xs.length === 2 && ys.length === 2 ? [batch, 1] : __spreadArray(__spreadArray([batch], xRest, true), yRest, true);
        return (0, operands_1.wrap)(operands_1.native.reshape(product, shape));
    });
}
