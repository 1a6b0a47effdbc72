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
exports.reshape = reshape;
exports.permuteDimensions = permuteDimensions;
exports.transpose = transpose;
exports.expandDims = expandDims;
exports.squeeze = squeeze;
exports.flatten = flatten;
exports.batchFlatten = batchFlatten;
exports.concatenate = concatenate;
exports.stack = stack;
exports.tile = tile;
exports.repeatElements = repeatElements;
exports.repeat = repeat;
exports.reverse = reverse;
exports.slice = slice;
exports.gather = gather;
exports.checkIndices = checkIndices;
exports.oneHot = oneHot;
exports.spatial2dPadding = spatial2dPadding;
exports.temporalPadding = temporalPadding;
/** Shape and indexing: reshape, permute, concatenate, tile, slice, gather, one-hot, padding. */
var operands_1 = require("./operands");
var tensor_1 = require("./tensor");
var engine_1 = require("./engine");
var validate_1 = require("./validate");
var creation_1 = require("./creation");
/** Reshapes to `shape` (one entry may be -1). */
function reshape(x, shape) {
    var fn = 'reshape';
    var h = (0, operands_1.handleOf)(fn, x);
    (0, validate_1.checkIntList)(fn, 'shape', shape, -1);
    var known = shape.filter(function (d) { return d !== -1; });
    var count = known.reduce(function (a, b) { return a * b; }, 1);
    var size = x.size;
    if (shape.filter(function (d) { return d === -1; }).length > 1 ||
        (shape.includes(-1) ? count === 0 || size % count !== 0 : count !== size)) {
        (0, validate_1.fail)(fn, "a shape with ".concat(size, " elements (from ").concat(x.describe(), ")"), 'shape', shape, 'ERR_SHAPE');
    }
    return (0, operands_1.wrap)(operands_1.native.reshape(h, shape));
}
/** Reorders axes: `pattern[i]` is the input axis that becomes axis i. */
function permuteDimensions(x, pattern) {
    var fn = 'permuteDimensions';
    var h = (0, operands_1.handleOf)(fn, x);
    var rank = x.rank;
    var axes = (0, validate_1.checkIntList)(fn, 'pattern', pattern).map(function (a) { return (0, validate_1.normalizeAxis)(fn, a, rank, 'pattern'); });
    if (axes.length !== rank || new Set(axes).size !== rank) {
        (0, validate_1.fail)(fn, "a permutation of ".concat(rank, " axes (x is ").concat(x.describe(), ")"), 'pattern', pattern, 'ERR_SHAPE');
    }
    return (0, operands_1.wrap)(operands_1.native.permute(h, axes));
}
/** Reverses all axes (a matrix transpose for rank 2). */
function transpose(x) {
    var rank = (0, operands_1.tensorArg)('transpose', x).rank;
    return (0, operands_1.wrap)(operands_1.native.permute(x.handle, Array.from({ length: rank }, function (_, i) { return rank - 1 - i; })));
}
/** Adds an axis of size 1 at `axis`. */
function expandDims(x, axis) {
    if (axis === void 0) { axis = -1; }
    var h = (0, operands_1.handleOf)('expandDims', x);
    return (0, operands_1.wrap)(operands_1.native.expandDims(h, (0, validate_1.normalizeAxis)('expandDims', axis, x.rank + 1)));
}
/** Removes the axis `axis`, which must have size 1. */
function squeeze(x, axis) {
    var fn = 'squeeze';
    var h = (0, operands_1.handleOf)(fn, x);
    var a = (0, validate_1.normalizeAxis)(fn, axis, x.rank);
    if (x.shapeRef[a] !== 1)
        (0, validate_1.fail)(fn, "an axis of size 1 (x is ".concat(x.describe(), ")"), 'axis', axis, 'ERR_SHAPE');
    return (0, operands_1.wrap)(operands_1.native.squeeze(h, a));
}
/** Flattens to one axis. */
function flatten(x) {
    return (0, operands_1.wrap)(operands_1.native.reshape((0, operands_1.handleOf)('flatten', x), [-1]));
}
/** Flattens every axis but the first: (batch, ...) -> (batch, n). */
function batchFlatten(x) {
    var h = (0, operands_1.handleOf)('batchFlatten', x);
    if (x.rank < 1)
        (0, validate_1.fail)('batchFlatten', 'a tensor of rank >= 1', 'x', x, 'ERR_SHAPE');
    var rest = x.shapeRef.slice(1).reduce(function (a, b) { return a * b; }, 1);
    return (0, operands_1.wrap)(operands_1.native.reshape(h, [x.shapeRef[0], rest]));
}
function checkSameRest(fn, tensors, axis, includeAxis) {
    var first = tensors[0].shapeRef;
    tensors.forEach(function (t, i) {
        var s = t.shapeRef;
        var fits = s.length === first.length && s.every(function (d, j) { return (j === axis && !includeAxis) || d === first[j]; });
        if (!fits) {
            (0, validate_1.fail)(fn, "shapes that match [".concat(first, "]").concat(includeAxis ? '' : " except on axis ".concat(axis)), "tensors[".concat(i, "]"), t, 'ERR_SHAPE');
        }
    });
}
/** Joins tensors along an existing axis. */
function concatenate(tensors, axis) {
    if (axis === void 0) { axis = -1; }
    var fn = 'concatenate';
    var list = (0, operands_1.tensorList)(fn, tensors);
    var a = (0, validate_1.normalizeAxis)(fn, axis, list[0].rank);
    checkSameRest(fn, list, a, false);
    return (0, operands_1.wrap)(operands_1.native.concatenate(list.map(function (t) { return t.handle; }), a));
}
/** Joins tensors of one shape along a new axis. */
function stack(tensors, axis) {
    if (axis === void 0) { axis = 0; }
    var fn = 'stack';
    var list = (0, operands_1.tensorList)(fn, tensors);
    var a = (0, validate_1.normalizeAxis)(fn, axis, list[0].rank + 1);
    checkSameRest(fn, list, -1, true);
    return (0, operands_1.wrap)(operands_1.native.stack(list.map(function (t) { return t.handle; }), a));
}
/** Repeats the whole tensor `n` times along each axis (a number tiles the last axis). */
function tile(x, n) {
    var fn = 'tile';
    var h = (0, operands_1.handleOf)(fn, x);
    var reps = (0, validate_1.checkIntList)(fn, 'n', typeof n === 'number' ? [n] : n, 0);
    if (reps.length > x.rank)
        (0, validate_1.fail)(fn, "at most ".concat(x.rank, " repetition counts (x is ").concat(x.describe(), ")"), 'n', n, 'ERR_SHAPE');
    return (0, operands_1.wrap)(operands_1.native.tile(h, __spreadArray(__spreadArray([], Array(x.rank - reps.length).fill(1), true), reps, true)));
}
/** Repeats each element `rep` times along `axis` (numpy's repeat). */
function repeatElements(x, rep, axis) {
    var fn = 'repeatElements';
    var h = (0, operands_1.handleOf)(fn, x);
    return (0, operands_1.wrap)(operands_1.native.repeatElements(h, (0, validate_1.checkInt)(fn, 'rep', rep, 0), (0, validate_1.normalizeAxis)(fn, axis, x.rank)));
}
/** Repeats a 2-D (samples, dim) tensor n times: (samples, n, dim). */
function repeat(x, n) {
    var fn = 'repeat';
    var h = (0, operands_1.handleOf)(fn, x);
    if (x.rank !== 2)
        (0, validate_1.fail)(fn, 'a rank-2 tensor', 'x', x, 'ERR_SHAPE');
    (0, validate_1.checkInt)(fn, 'n', n, 0);
    return (0, engine_1.tidy)(function () { return (0, operands_1.wrap)(operands_1.native.tile((0, operands_1.wrap)(operands_1.native.expandDims(h, 1)).handle, [1, n, 1])); });
}
/** Reverses the order of elements along the given axes. */
function reverse(x, axes) {
    var fn = 'reverse';
    var h = (0, operands_1.handleOf)(fn, x);
    var list = (typeof axes === 'number' ? [axes] : (0, validate_1.checkIntList)(fn, 'axes', axes)).map(function (a) { return (0, validate_1.normalizeAxis)(fn, a, x.rank, 'axes'); });
    return (0, operands_1.wrap)(operands_1.native.reverse(h, list));
}
/** The block starting at `start` with extent `size` on each axis (-1: to the end). */
function slice(x, start, size) {
    var fn = 'slice';
    var h = (0, operands_1.handleOf)(fn, x);
    var shape = x.shapeRef;
    (0, validate_1.checkIntList)(fn, 'start', start, 0);
    (0, validate_1.checkIntList)(fn, 'size', size, -1);
    if (start.length !== shape.length || size.length !== shape.length) {
        (0, validate_1.fail)(fn, "".concat(shape.length, " start and size values (x is ").concat(x.describe(), ")"), 'start/size', [start, size], 'ERR_SHAPE');
    }
    start.forEach(function (s, i) {
        var extent = size[i] === -1 ? shape[i] - s : size[i];
        if (s > shape[i] || s + extent > shape[i]) {
            (0, validate_1.fail)(fn, "a block inside ".concat(x.describe()), 'start/size', [start, size], 'ERR_VALUE');
        }
    });
    return (0, operands_1.wrap)(operands_1.native.slice(h, start, size));
}
/** Rows of `reference` (along axis 0) picked by `indices` of any rank. */
function gather(reference, indices) {
    var fn = 'gather';
    var h = (0, operands_1.handleOf)(fn, reference, 'reference');
    if (reference.rank < 1)
        (0, validate_1.fail)(fn, 'a tensor of rank >= 1', 'reference', reference, 'ERR_SHAPE');
    return (0, engine_1.tidy)(function () {
        var idx = indices instanceof tensor_1.Tensor ? (0, operands_1.tensorArg)(fn, indices, 'indices')
            : (0, creation_1.tensor)(checkIndexValues(fn, indices), undefined, 'int64');
        checkIndices(fn, idx, reference.shapeRef[0], 'indices');
        return (0, operands_1.wrap)(operands_1.native.gather(h, idx.handle, 0));
    });
}
function checkIndexValues(fn, indices) {
    if (typeof indices === 'number')
        return (0, validate_1.checkInt)(fn, 'indices', indices);
    return (0, validate_1.checkIntList)(fn, 'indices', indices);
}
/** Checks integer dtype and range [0, bound) of an index tensor. */
function checkIndices(fn, idx, bound, name) {
    if (idx.dtype !== 'int32' && idx.dtype !== 'int64' && idx.dtype !== 'uint8') {
        (0, validate_1.fail)(fn, 'an integer tensor', name, idx, 'ERR_DTYPE');
    }
    if (idx.size === 0)
        return;
    var _a = (0, engine_1.tidy)(function () { return ['min', 'max'].map(function (op) {
        return Number((0, operands_1.wrap)(operands_1.native.reduce(op, idx.handle, null, false)).item());
    }); }), lo = _a[0], hi = _a[1];
    if (lo < 0 || hi >= bound) {
        (0, validate_1.fail)(fn, "indices in [0, ".concat(bound, ")"), name, "values from ".concat(lo, " to ").concat(hi), 'ERR_VALUE');
    }
}
/** One-hot encodes integer `indices` into a new last axis of size `numClasses` (float32). */
function oneHot(indices, numClasses) {
    var fn = 'oneHot';
    var h = (0, operands_1.handleOf)(fn, indices, 'indices');
    (0, validate_1.checkInt)(fn, 'numClasses', numClasses, 1);
    return (0, engine_1.tidy)(function () {
        checkIndices(fn, indices, numClasses, 'indices');
        return (0, operands_1.wrap)(operands_1.native.oneHot(h, numClasses));
    });
}
/** Zero-pads the two spatial axes of a 4-D tensor: padding = [[top, bottom], [left, right]]. */
function spatial2dPadding(x, padding, dataFormat) {
    if (padding === void 0) { padding = [[1, 1], [1, 1]]; }
    if (dataFormat === void 0) { dataFormat = 'channelsLast'; }
    var fn = 'spatial2dPadding';
    var h = (0, operands_1.handleOf)(fn, x);
    if (x.rank !== 4)
        (0, validate_1.fail)(fn, 'a rank-4 tensor', 'x', x, 'ERR_SHAPE');
    if (!Array.isArray(padding) || padding.length !== 2)
        (0, validate_1.fail)(fn, '[[top, bottom], [left, right]]', 'padding', padding);
    var _a = padding.map(function (p) { return (0, validate_1.checkIntList)(fn, 'padding', p, 0); }), _b = _a[0], top = _b[0], bottom = _b[1], _c = _a[1], left = _c[0], right = _c[1];
    // libtorch pads from the last axis backwards: (last axis: before, after), (previous axis: ...).
    var pads = dataFormat === 'channelsFirst'
        ? [left, right, top, bottom]
        : [0, 0, left, right, top, bottom];
    return (0, operands_1.wrap)(operands_1.native.pad(h, pads, 0));
}
/** Zero-pads axis 1 of a 3-D tensor: padding = [before, after]. */
function temporalPadding(x, padding) {
    if (padding === void 0) { padding = [1, 1]; }
    var fn = 'temporalPadding';
    var h = (0, operands_1.handleOf)(fn, x);
    if (x.rank !== 3)
        (0, validate_1.fail)(fn, 'a rank-3 tensor', 'x', x, 'ERR_SHAPE');
    var _a = (0, validate_1.checkIntList)(fn, 'padding', padding, 0), before = _a[0], after = _a[1];
    return (0, operands_1.wrap)(operands_1.native.pad(h, [0, 0, before, after], 0));
}
