"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.native = void 0;
exports.handleOf = handleOf;
exports.tensorArg = tensorArg;
exports.operandOf = operandOf;
exports.tensorList = tensorList;
exports.wrap = wrap;
/** Turning backend arguments into native handles, with the standard checks. */
var native_1 = require("../native");
Object.defineProperty(exports, "native", { enumerable: true, get: function () { return native_1.native; } });
var tensor_1 = require("./tensor");
var validate_1 = require("./validate");
/** The handle of a live tensor argument. */
function handleOf(fn, x, name) {
    if (name === void 0) { name = 'x'; }
    if (!(x instanceof tensor_1.Tensor))
        return (0, validate_1.fail)(fn, 'a Tensor', name, x);
    x.assertLive(fn, name);
    return x.handle;
}
/** A live tensor argument. */
function tensorArg(fn, x, name) {
    if (name === void 0) { name = 'x'; }
    handleOf(fn, x, name);
    return x;
}
/** A tensor's handle, or a number / boolean passed through as a scalar. */
function operandOf(fn, x, name) {
    if (typeof x === 'number' || typeof x === 'boolean')
        return x;
    if (!(x instanceof tensor_1.Tensor))
        return (0, validate_1.fail)(fn, 'a Tensor, number or boolean', name, x);
    x.assertLive(fn, name);
    return x.handle;
}
/** A list of live tensors. */
function tensorList(fn, xs, name, minLength) {
    if (name === void 0) { name = 'tensors'; }
    if (minLength === void 0) { minLength = 1; }
    if (!Array.isArray(xs) || xs.length < minLength) {
        return (0, validate_1.fail)(fn, "an array of at least ".concat(minLength, " tensor(s)"), name, xs);
    }
    xs.forEach(function (x, i) { return handleOf(fn, x, "".concat(name, "[").concat(i, "]")); });
    return xs;
}
/** Wraps a native result. */
function wrap(handle) {
    return new tensor_1.Tensor(handle);
}
