"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.gradients = gradients;
exports.stopGradient = stopGradient;
exports.noGrad = noGrad;
/** Gradients and gradient stopping. */
var operands_1 = require("./operands");
var validate_1 = require("./validate");
/**
 * The gradients of `loss` (summed if it has several elements) with respect to each variable.
 * Variables the loss does not depend on get zeros.
 */
function gradients(loss, variables, options) {
    var _a, _b;
    if (options === void 0) { options = {}; }
    var fn = 'gradients';
    var losses = Array.isArray(loss) ? (0, operands_1.tensorList)(fn, loss, 'loss') : [loss];
    losses.forEach(function (l, i) { return (0, operands_1.handleOf)(fn, l, Array.isArray(loss) ? "loss[".concat(i, "]") : 'loss'); });
    var vars = (0, operands_1.tensorList)(fn, variables, 'variables');
    vars.forEach(function (v, i) {
        if (!v.requiresGrad)
            (0, validate_1.fail)(fn, 'trainable variables (made by K.variable with a float dtype)', "variables[".concat(i, "]"), v);
    });
    var grads = operands_1.native.grad(losses.map(function (l) { return l.handle; }), vars.map(function (v) { return v.handle; }), (_a = options.retainGraph) !== null && _a !== void 0 ? _a : true, (_b = options.createGraph) !== null && _b !== void 0 ? _b : false);
    return grads.map(operands_1.wrap);
}
function stopGradient(variables) {
    if (Array.isArray(variables))
        return (0, operands_1.tensorList)('stopGradient', variables, 'variables').map(function (v) { return (0, operands_1.wrap)(operands_1.native.detach(v.handle)); });
    return (0, operands_1.wrap)(operands_1.native.detach((0, operands_1.handleOf)('stopGradient', variables, 'variables')));
}
/** Runs `fn` without recording gradients (inference), restoring the previous mode after. */
function noGrad(fn) {
    var previous = operands_1.native.setGradEnabled(false);
    try {
        return fn();
    }
    finally {
        operands_1.native.setGradEnabled(previous);
    }
}
