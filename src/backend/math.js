"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isNaN = exports.logicalNot = exports.reciprocal = exports.tan = exports.cos = exports.sin = exports.ceil = exports.floor = exports.round = exports.sign = exports.log1p = exports.log = exports.exp = exports.square = exports.abs = exports.neg = exports.logicalOr = exports.logicalAnd = exports.lessEqual = exports.less = exports.greaterEqual = exports.greater = exports.notEqual = exports.equal = exports.maximum = exports.minimum = exports.pow = exports.mod = exports.floorDiv = exports.divide = exports.multiply = exports.subtract = exports.add = void 0;
exports.sqrt = sqrt;
exports.clip = clip;
exports.where = where;
/** Elementwise arithmetic, math functions and comparisons (TensorFlow-backend semantics). */
var operands_1 = require("./operands");
var engine_1 = require("./engine");
var validate_1 = require("./validate");
function binary(op, x, y) {
    var a = (0, operands_1.operandOf)(op, x, 'x');
    var b = (0, operands_1.operandOf)(op, y, 'y');
    if (typeof a !== 'object' && typeof b !== 'object')
        (0, validate_1.fail)(op, 'at least one Tensor', 'x, y', [x, y]);
    return (0, operands_1.wrap)(operands_1.native.binary(op, a, b));
}
function unary(op, x) {
    return (0, operands_1.wrap)(operands_1.native.unary(op, (0, operands_1.handleOf)(op, x)));
}
/** x + y, broadcasting. */
var add = function (x, y) { return binary('add', x, y); };
exports.add = add;
/** x - y, broadcasting. */
var subtract = function (x, y) { return binary('subtract', x, y); };
exports.subtract = subtract;
/** x * y, broadcasting. */
var multiply = function (x, y) { return binary('multiply', x, y); };
exports.multiply = multiply;
/** x / y (true division), broadcasting. */
var divide = function (x, y) { return binary('divide', x, y); };
exports.divide = divide;
/** floor(x / y). */
var floorDiv = function (x, y) { return binary('floorDiv', x, y); };
exports.floorDiv = floorDiv;
/** x modulo y, with the sign of y (Python's %). */
var mod = function (x, y) { return binary('mod', x, y); };
exports.mod = mod;
/** x to the power a, elementwise. */
var pow = function (x, a) { return binary('pow', x, a); };
exports.pow = pow;
/** Elementwise minimum. */
var minimum = function (x, y) { return binary('minimum', x, y); };
exports.minimum = minimum;
/** Elementwise maximum. */
var maximum = function (x, y) { return binary('maximum', x, y); };
exports.maximum = maximum;
/** x == y (bool). */
var equal = function (x, y) { return binary('equal', x, y); };
exports.equal = equal;
/** x != y (bool). */
var notEqual = function (x, y) { return binary('notEqual', x, y); };
exports.notEqual = notEqual;
/** x > y (bool). */
var greater = function (x, y) { return binary('greater', x, y); };
exports.greater = greater;
/** x >= y (bool). */
var greaterEqual = function (x, y) { return binary('greaterEqual', x, y); };
exports.greaterEqual = greaterEqual;
/** x < y (bool). */
var less = function (x, y) { return binary('less', x, y); };
exports.less = less;
/** x <= y (bool). */
var lessEqual = function (x, y) { return binary('lessEqual', x, y); };
exports.lessEqual = lessEqual;
/** Logical and (bool). */
var logicalAnd = function (x, y) { return binary('logicalAnd', x, y); };
exports.logicalAnd = logicalAnd;
/** Logical or (bool). */
var logicalOr = function (x, y) { return binary('logicalOr', x, y); };
exports.logicalOr = logicalOr;
/** -x. */
var neg = function (x) { return unary('neg', x); };
exports.neg = neg;
/** |x|. */
var abs = function (x) { return unary('abs', x); };
exports.abs = abs;
/** x². */
var square = function (x) { return unary('square', x); };
exports.square = square;
/** e^x. */
var exp = function (x) { return unary('exp', x); };
exports.exp = exp;
/** Natural logarithm. */
var log = function (x) { return unary('log', x); };
exports.log = log;
/** log(1 + x). */
var log1p = function (x) { return unary('log1p', x); };
exports.log1p = log1p;
/** -1, 0 or 1. */
var sign = function (x) { return unary('sign', x); };
exports.sign = sign;
/** Rounds half to even, as Keras does. */
var round = function (x) { return unary('round', x); };
exports.round = round;
/** Largest integer <= x. */
var floor = function (x) { return unary('floor', x); };
exports.floor = floor;
/** Smallest integer >= x. */
var ceil = function (x) { return unary('ceil', x); };
exports.ceil = ceil;
/** Sine. */
var sin = function (x) { return unary('sin', x); };
exports.sin = sin;
/** Cosine. */
var cos = function (x) { return unary('cos', x); };
exports.cos = cos;
/** Tangent. */
var tan = function (x) { return unary('tan', x); };
exports.tan = tan;
/** 1 / x. */
var reciprocal = function (x) { return unary('reciprocal', x); };
exports.reciprocal = reciprocal;
/** Logical not (bool). */
var logicalNot = function (x) { return unary('logicalNot', x); };
exports.logicalNot = logicalNot;
/** True where x is NaN. */
var isNaN = function (x) { return unary('isNaN', x); };
exports.isNaN = isNaN;
/** Square root; negative inputs are clipped to 0 first, as in Keras. */
function sqrt(x) {
    return (0, engine_1.tidy)(function () { return unary('sqrt', clip((0, operands_1.tensorArg)('sqrt', x), 0, null)); });
}
/** Clips values to [minValue, maxValue]; either bound may be null. maxValue < minValue acts as minValue. */
function clip(x, minValue, maxValue) {
    var fn = 'clip';
    var h = (0, operands_1.handleOf)(fn, x);
    var low = minValue === null || minValue === undefined ? null : (0, validate_1.checkNumber)(fn, 'minValue', minValue);
    var high = maxValue === null || maxValue === undefined ? null : (0, validate_1.checkNumber)(fn, 'maxValue', maxValue);
    if (low !== null && high !== null && high < low)
        high = low;
    return (0, operands_1.wrap)(operands_1.native.clip(h, low, high));
}
/** Picks from `x` where `condition` holds, else from `y` (broadcasting). */
function where(condition, x, y) {
    var fn = 'where';
    return (0, operands_1.wrap)(operands_1.native.where((0, operands_1.handleOf)(fn, condition, 'condition'), (0, operands_1.operandOf)(fn, x, 'x'), (0, operands_1.operandOf)(fn, y, 'y')));
}
