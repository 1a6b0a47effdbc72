"use strict";
/** numpy-style printing of tensor values. */
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
exports.formatTensor = formatTensor;
var SUMMARY_THRESHOLD = 1000;
var EDGE_ITEMS = 3;
function formatter(values, dtype) {
    if (dtype === 'bool')
        return function (v) { return (v ? 'True' : 'False'); };
    if (dtype !== 'float32' && dtype !== 'float64')
        return function (v) { return String(v); };
    var finite = values.filter(function (v) { return Number.isFinite(v); });
    var magnitudes = finite.map(Math.abs).filter(function (v) { return v > 0; });
    var max = magnitudes.length ? Math.max.apply(Math, magnitudes) : 0;
    var min = magnitudes.length ? Math.min.apply(Math, magnitudes) : 0;
    var special = function (v) { return (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'); };
    if (max >= 1e8 || (min > 0 && min < 1e-4) || (min > 0 && max / min > 1e3 && min < 1e-3)) {
        return function (v) { return (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2')
            : special(v)); };
    }
    var decimals = 0;
    for (var _i = 0, finite_1 = finite; _i < finite_1.length; _i++) {
        var v = finite_1[_i];
        for (var d = decimals; d <= 4; d++) {
            if (Math.abs(Number(v.toFixed(d)) - v) <= 1e-9 * Math.max(1, Math.abs(v)))
                break;
            decimals = Math.min(d + 1, 4);
        }
    }
    return function (v) {
        if (!Number.isFinite(v))
            return special(v);
        return decimals === 0 ? "".concat(v.toFixed(0), ".") : v.toFixed(decimals);
    };
}
/** Formats flat values of the given shape like numpy's str(). */
function formatTensor(values, shape, dtype) {
    var size = values.length;
    var summarize = size > SUMMARY_THRESHOLD;
    var shown = summarize ? visibleValues(values, shape) : values;
    var format = formatter(shown, dtype);
    var width = Math.max.apply(Math, __spreadArray([1], shown.map(function (v) { return format(v).length; }), false));
    var cell = function (v) { return format(v).padStart(width); };
    if (shape.length === 0)
        return format(values[0]);
    var strides = shape.map(function (_, i) { return shape.slice(i + 1).reduce(function (a, b) { return a * b; }, 1); });
    var render = function (axis, offset, indent) {
        var n = shape[axis];
        var indices = summarize && n > 2 * EDGE_ITEMS
            ? __spreadArray(__spreadArray(__spreadArray([], range(0, EDGE_ITEMS), true), [-1], false), range(n - EDGE_ITEMS, n), true) : range(0, n);
        if (axis === shape.length - 1) {
            return '[' + indices.map(function (i) { return (i < 0 ? '...' : cell(values[offset + i])); }).join(', ') + ']';
        }
        var separator = ',' + '\n'.repeat(shape.length - 1 - axis) + indent + ' ';
        return '[' + indices.map(function (i) { return (i < 0 ? '...' : render(axis + 1, offset + i * strides[axis], indent + ' ')); })
            .join(separator) + ']';
    };
    return render(0, 0, '');
}
function range(start, end) {
    return Array.from({ length: Math.max(0, end - start) }, function (_, i) { return start + i; });
}
// The values a summarized print shows, so widths and precision come from those alone.
function visibleValues(values, shape) {
    var picked = [];
    var strides = shape.map(function (_, i) { return shape.slice(i + 1).reduce(function (a, b) { return a * b; }, 1); });
    var walk = function (axis, offset) {
        if (axis === shape.length) {
            picked.push(values[offset]);
            return;
        }
        var n = shape[axis];
        var indices = n > 2 * EDGE_ITEMS ? __spreadArray(__spreadArray([], range(0, EDGE_ITEMS), true), range(n - EDGE_ITEMS, n), true) : range(0, n);
        for (var _i = 0, indices_1 = indices; _i < indices_1.length; _i++) {
            var i = indices_1[_i];
            walk(axis + 1, offset + i * strides[axis]);
        }
    };
    walk(0, 0);
    return picked;
}
