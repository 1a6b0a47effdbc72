"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.describe = describe;
exports.fail = fail;
exports.checkInt = checkInt;
exports.checkNumber = checkNumber;
exports.checkIntList = checkIntList;
exports.checkShape = checkShape;
exports.normalizeAxis = normalizeAxis;
exports.normalizeAxes = normalizeAxes;
exports.checkDType = checkDType;
exports.checkOption = checkOption;
exports.checkPair = checkPair;
/**
 * Argument checks shared by every backend function. All failures read the same way:
 * "<fn>: expected <what> for <name> but received <value>".
 */
var errors_1 = require("./errors");
var dtypes_1 = require("./dtypes");
/** A short, readable description of any received value. */
function describe(value) {
    var _a, _b;
    if (value === null)
        return 'null';
    if (value === undefined)
        return 'undefined';
    if (typeof value === 'number')
        return Number.isNaN(value) ? 'NaN' : String(value);
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (Array.isArray(value)) {
        var text = JSON.stringify(value);
        return text !== undefined && text.length <= 60 ? text : "an array of length ".concat(value.length);
    }
    if (typeof value === 'object' && 'describe' in value && typeof value.describe === 'function') {
        return String(value.describe());
    }
    if (typeof value === 'object')
        return "an object (".concat((_b = (_a = value.constructor) === null || _a === void 0 ? void 0 : _a.name) !== null && _b !== void 0 ? _b : 'Object', ")");
    return "".concat(typeof value, " ").concat(String(value));
}
/** Throws the standard message. */
function fail(fn, expected, name, received, code) {
    if (code === void 0) { code = 'ERR_ARGUMENT'; }
    throw new errors_1.KeratorchError("".concat(fn, ": expected ").concat(expected, " for ").concat(name, " but received ").concat(describe(received)), code, fn);
}
/** Checks an integer (not NaN, not fractional), optionally with bounds. */
function checkInt(fn, name, value, min, max) {
    if (min === void 0) { min = -Infinity; }
    if (max === void 0) { max = Infinity; }
    if (typeof value !== 'number' || !Number.isInteger(value))
        fail(fn, 'an integer', name, value);
    if (value < min || value > max) {
        var range = max === Infinity ? "an integer >= ".concat(min) : "an integer in [".concat(min, ", ").concat(max, "]");
        fail(fn, range, name, value, 'ERR_VALUE');
    }
    return value;
}
/** Checks a finite number. */
function checkNumber(fn, name, value) {
    if (typeof value !== 'number' || !Number.isFinite(value))
        fail(fn, 'a finite number', name, value);
    return value;
}
/** Checks a list of integers. */
function checkIntList(fn, name, value, min) {
    if (min === void 0) { min = -Infinity; }
    if (!Array.isArray(value))
        fail(fn, 'an array of integers', name, value);
    for (var _i = 0, value_1 = value; _i < value_1.length; _i++) {
        var v = value_1[_i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
            fail(fn, min === -Infinity ? 'an array of integers' : "an array of integers >= ".concat(min), name, value);
        }
    }
    return value;
}
/** Checks a shape (non-negative integers). */
function checkShape(fn, name, value) {
    return checkIntList(fn, name, value, 0);
}
/** Resolves a (possibly negative) axis against a rank, Python style. */
function normalizeAxis(fn, axis, rank, name) {
    if (name === void 0) { name = 'axis'; }
    var bound = Math.max(rank, 1);
    if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -bound || axis >= bound) {
        fail(fn, "an axis in [".concat(-bound, ", ").concat(bound - 1, "] (tensor of rank ").concat(rank, ")"), name, axis, 'ERR_VALUE');
    }
    return axis < 0 ? axis + bound : axis;
}
/** Resolves an axis, a list of axes, or null/undefined (all axes) into sorted unique axes or null. */
function normalizeAxes(fn, axis, rank) {
    if (axis === null || axis === undefined)
        return null;
    var list = Array.isArray(axis) ? axis : [axis];
    var axes = list.map(function (a) { return normalizeAxis(fn, a, rank); });
    if (new Set(axes).size !== axes.length)
        fail(fn, 'distinct axes', 'axis', axis, 'ERR_VALUE');
    return axes.sort(function (a, b) { return a - b; });
}
/** Checks a dtype name. */
function checkDType(fn, value, name) {
    if (name === void 0) { name = 'dtype'; }
    if (!(0, dtypes_1.isDType)(value))
        fail(fn, "one of ".concat(dtypes_1.DTYPES.join(', ')), name, value, 'ERR_DTYPE');
    return value;
}
/** Checks one of a set of string options. */
function checkOption(fn, name, value, options) {
    if (typeof value !== 'string' || !options.includes(value)) {
        fail(fn, "one of ".concat(options.map(function (o) { return "'".concat(o, "'"); }).join(', ')), name, value);
    }
    return value;
}
/** Checks a pair of positive integers given as one number or two. */
function checkPair(fn, name, value, min) {
    if (min === void 0) { min = 1; }
    var pair = typeof value === 'number' ? [value, value] : value;
    if (!Array.isArray(pair) || pair.length !== 2)
        fail(fn, "an integer or a pair of integers >= ".concat(min), name, value);
    checkIntList(fn, name, pair, min);
    return [pair[0], pair[1]];
}
