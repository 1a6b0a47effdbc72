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
exports.categoricalCrossentropy = categoricalCrossentropy;
exports.sparseCategoricalCrossentropy = sparseCategoricalCrossentropy;
exports.binaryCrossentropy = binaryCrossentropy;
/** Keras's cross-entropies (TensorFlow-backend formulas, including the epsilon clipping). */
var operands_1 = require("./operands");
var engine_1 = require("./engine");
var config_1 = require("./config");
var validate_1 = require("./validate");
var math_1 = require("./math");
var reduction_1 = require("./reduction");
var nn_1 = require("./nn");
var shapes_1 = require("./shapes");
function sameShape(fn, target, output) {
    var t = target.shapeRef;
    var o = output.shapeRef;
    if (t.length !== o.length || t.some(function (d, i) { return d !== o[i]; })) {
        (0, validate_1.fail)(fn, "a target of the output's shape [".concat(o, "]"), 'target', target, 'ERR_SHAPE');
    }
}
/** Cross-entropy between a one-hot (or soft) target and probabilities or logits along `axis`. */
function categoricalCrossentropy(target, output, fromLogits, axis) {
    if (fromLogits === void 0) { fromLogits = false; }
    if (axis === void 0) { axis = -1; }
    var fn = 'categoricalCrossentropy';
    (0, operands_1.handleOf)(fn, target, 'target');
    (0, nn_1.checkFloat)(fn, output, 'output');
    sameShape(fn, target, output);
    var a = (0, validate_1.normalizeAxis)(fn, axis, output.rank);
    return (0, engine_1.tidy)(function () {
        if (fromLogits)
            return (0, math_1.neg)((0, reduction_1.sum)((0, math_1.multiply)(target, (0, nn_1.logSoftmax)(output, a)), a));
        var scaled = (0, math_1.divide)(output, (0, reduction_1.sum)(output, a, true));
        var eps = (0, config_1.epsilon)();
        return (0, math_1.neg)((0, reduction_1.sum)((0, math_1.multiply)(target, (0, math_1.log)((0, math_1.clip)(scaled, eps, 1 - eps))), a));
    });
}
/** Cross-entropy between integer class targets and probabilities or logits on the last axis. */
function sparseCategoricalCrossentropy(target, output, fromLogits, axis) {
    if (fromLogits === void 0) { fromLogits = false; }
    if (axis === void 0) { axis = -1; }
    var fn = 'sparseCategoricalCrossentropy';
    (0, operands_1.handleOf)(fn, target, 'target');
    (0, nn_1.checkFloat)(fn, output, 'output');
    var a = (0, validate_1.normalizeAxis)(fn, axis, output.rank);
    var os = output.shapeRef;
    var classes = os[a];
    var outer = os.filter(function (_, i) { return i !== a; });
    if (target.size !== outer.reduce(function (x, y) { return x * y; }, 1)) {
        (0, validate_1.fail)(fn, "one class index per output row (".concat(outer.join('x') || 'scalar', ")"), 'target', target, 'ERR_SHAPE');
    }
    return (0, engine_1.tidy)(function () {
        var t = target.dtype === 'float32' || target.dtype === 'float64' ? (0, operands_1.wrap)(operands_1.native.cast(target.handle, 'int64')) : target;
        (0, shapes_1.checkIndices)(fn, t, classes, 'target');
        var eps = (0, config_1.epsilon)();
        var logits = fromLogits ? output : (0, math_1.log)((0, math_1.clip)(output, eps, 1 - eps));
        var lastAxis = a === os.length - 1 ? logits
            : (0, operands_1.wrap)(operands_1.native.permute(logits.handle, __spreadArray([], os.keys(), true).filter(function (i) { return i !== a; }).concat([a])));
        var logp = (0, nn_1.logSoftmax)(lastAxis, -1);
        var hot = (0, operands_1.wrap)(operands_1.native.oneHot((0, operands_1.wrap)(operands_1.native.reshape(t.handle, outer)).handle, classes));
        return (0, math_1.neg)((0, reduction_1.sum)((0, math_1.multiply)(hot, logp), -1));
    });
}
/** Elementwise binary cross-entropy between targets in [0, 1] and probabilities or logits. */
function binaryCrossentropy(target, output, fromLogits) {
    if (fromLogits === void 0) { fromLogits = false; }
    var fn = 'binaryCrossentropy';
    (0, operands_1.handleOf)(fn, target, 'target');
    (0, nn_1.checkFloat)(fn, output, 'output');
    sameShape(fn, target, output);
    return (0, engine_1.tidy)(function () {
        if (fromLogits) {
            // max(x, 0) - x z + log(1 + e^-|x|), stable for large |x|.
            return (0, math_1.add)((0, math_1.subtract)((0, math_1.maximum)(output, 0), (0, math_1.multiply)(output, target)), (0, math_1.log1p)((0, math_1.exp)((0, math_1.neg)((0, math_1.abs)(output)))));
        }
        var eps = (0, config_1.epsilon)();
        var p = (0, math_1.clip)(output, eps, 1 - eps);
        var positive = (0, math_1.multiply)(target, (0, math_1.log)((0, math_1.add)(p, eps)));
        var negative = (0, math_1.multiply)((0, math_1.subtract)(1, target), (0, math_1.log)((0, math_1.add)((0, math_1.subtract)(1, p), eps)));
        return (0, math_1.neg)((0, math_1.add)(positive, negative));
    });
}
