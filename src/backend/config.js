"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.epsilon = epsilon;
exports.setEpsilon = setEpsilon;
exports.floatx = floatx;
exports.setFloatx = setFloatx;
var validate_1 = require("./validate");
var fuzz = 1e-7;
var defaultFloat = 'float32';
/** The fuzz factor used to avoid log(0) and division by zero (Keras's default 1e-7). */
function epsilon() {
    return fuzz;
}
/** Sets the fuzz factor. */
function setEpsilon(value) {
    fuzz = (0, validate_1.checkNumber)('setEpsilon', 'value', value);
}
/** The default float dtype for variables and constants. */
function floatx() {
    return defaultFloat;
}
/** Sets the default float dtype ('float32' or 'float64'). */
function setFloatx(value) {
    defaultFloat = (0, validate_1.checkOption)('setFloatx', 'value', value, ['float32', 'float64']);
}
