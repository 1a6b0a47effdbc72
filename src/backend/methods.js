"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/** Op methods on Tensor, for code that reads better as `a.add(b)` or `x.sum(1, true)`. */
var tensor_1 = require("./tensor");
var math = require("./math");
var reduction = require("./reduction");
var shapes = require("./shapes");
var linalg = require("./linalg");
var nn = require("./nn");
var methods = {
    add: function (y) { return math.add(this, y); },
    sub: function (y) { return math.subtract(this, y); },
    mul: function (y) { return math.multiply(this, y); },
    div: function (y) { return math.divide(this, y); },
    pow: function (y) { return math.pow(this, y); },
    minimum: function (y) { return math.minimum(this, y); },
    maximum: function (y) { return math.maximum(this, y); },
    equal: function (y) { return math.equal(this, y); },
    notEqual: function (y) { return math.notEqual(this, y); },
    greater: function (y) { return math.greater(this, y); },
    greaterEqual: function (y) { return math.greaterEqual(this, y); },
    less: function (y) { return math.less(this, y); },
    lessEqual: function (y) { return math.lessEqual(this, y); },
    neg: function () { return math.neg(this); },
    abs: function () { return math.abs(this); },
    square: function () { return math.square(this); },
    sqrt: function () { return math.sqrt(this); },
    exp: function () { return math.exp(this); },
    log: function () { return math.log(this); },
    sign: function () { return math.sign(this); },
    round: function () { return math.round(this); },
    sin: function () { return math.sin(this); },
    cos: function () { return math.cos(this); },
    clip: function (minValue, maxValue) { return math.clip(this, minValue, maxValue); },
    sum: function (axis, keepdims) { return reduction.sum(this, axis, keepdims); },
    mean: function (axis, keepdims) { return reduction.mean(this, axis, keepdims); },
    max: function (axis, keepdims) { return reduction.max(this, axis, keepdims); },
    min: function (axis, keepdims) { return reduction.min(this, axis, keepdims); },
    prod: function (axis, keepdims) { return reduction.prod(this, axis, keepdims); },
    argmax: function (axis) { return reduction.argmax(this, axis); },
    argmin: function (axis) { return reduction.argmin(this, axis); },
    reshape: function (shape) { return shapes.reshape(this, shape); },
    permute: function (pattern) { return shapes.permuteDimensions(this, pattern); },
    transpose: function () { return shapes.transpose(this); },
    expandDims: function (axis) { return shapes.expandDims(this, axis); },
    squeeze: function (axis) { return shapes.squeeze(this, axis); },
    flatten: function () { return shapes.flatten(this); },
    dot: function (y) { return linalg.dot(this, y); },
    matmul: function (y) { return linalg.dot(this, y); },
    relu: function () { return nn.relu(this); },
    sigmoid: function () { return nn.sigmoid(this); },
    tanh: function () { return nn.tanh(this); },
    softmax: function (axis) { return nn.softmax(this, axis); },
};
for (var _i = 0, _a = Object.entries(methods); _i < _a.length; _i++) {
    var _b = _a[_i], name_1 = _b[0], method = _b[1];
    Object.defineProperty(tensor_1.Tensor.prototype, name_1, { value: method, writable: true, configurable: true });
}
