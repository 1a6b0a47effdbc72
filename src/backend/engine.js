"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.track = track;
exports.keep = keep;
exports.registerTensorClass = registerTensorClass;
exports.tidy = tidy;
exports.memory = memory;
exports.dispose = dispose;
/**
 * Tensor lifetime: tidy scopes, keep, and memory counters. Tensors register here when made, so a
 * tidy scope can free everything it created except what it returns.
 */
var native_1 = require("../native");
var errors_1 = require("./errors");
var scopes = [];
/** Records a new tensor in the innermost tidy scope (called by the Tensor constructor). */
function track(tensor) {
    if (scopes.length > 0)
        scopes[scopes.length - 1].add(tensor);
}
/** Excludes a tensor made inside `tidy` from being freed when the scope ends. */
function keep(tensor) {
    for (var _i = 0, scopes_1 = scopes; _i < scopes_1.length; _i++) {
        var scope = scopes_1[_i];
        scope.delete(tensor);
    }
    return tensor;
}
function collect(value, into, seen) {
    if (value === null || typeof value !== 'object' || seen.has(value))
        return;
    seen.add(value);
    if (isTensor(value)) {
        into.add(value);
    }
    else if (Array.isArray(value)) {
        for (var _i = 0, value_1 = value; _i < value_1.length; _i++) {
            var item = value_1[_i];
            collect(item, into, seen);
        }
    }
    else if (Object.getPrototypeOf(value) === Object.prototype) {
        for (var _a = 0, _b = Object.values(value); _a < _b.length; _a++) {
            var item = _b[_a];
            collect(item, into, seen);
        }
    }
}
var tensorClass;
/** Lets the engine recognise tensors without importing the class (avoids an import cycle). */
function registerTensorClass(ctor) {
    tensorClass = ctor;
}
function isTensor(value) {
    return tensorClass !== undefined && value instanceof tensorClass;
}
/**
 * Runs `fn` and frees every tensor it created, except those it returns (found in arrays and plain
 * objects) and those passed to {@link keep}. If `fn` throws, everything it created is freed.
 * `fn` must be synchronous.
 */
function tidy(fn) {
    if (typeof fn !== 'function') {
        throw new errors_1.KeratorchError("tidy: expected a function for fn but received ".concat(typeof fn), 'ERR_ARGUMENT', 'tidy');
    }
    var scope = new Set();
    scopes.push(scope);
    var result;
    try {
        result = fn();
    }
    catch (error) {
        scopes.pop();
        for (var _i = 0, scope_1 = scope; _i < scope_1.length; _i++) {
            var tensor = scope_1[_i];
            tensor.dispose();
        }
        throw error;
    }
    scopes.pop();
    if (result instanceof Promise) {
        for (var _a = 0, scope_2 = scope; _a < scope_2.length; _a++) {
            var tensor = scope_2[_a];
            tensor.dispose();
        }
        throw new errors_1.KeratorchError('tidy: expected a synchronous function but it returned a Promise', 'ERR_ARGUMENT', 'tidy');
    }
    var returned = new Set();
    collect(result, returned, new Set());
    var parent = scopes[scopes.length - 1];
    for (var _b = 0, scope_3 = scope; _b < scope_3.length; _b++) {
        var tensor = scope_3[_b];
        if (returned.has(tensor)) {
            parent === null || parent === void 0 ? void 0 : parent.add(tensor);
        }
        else {
            tensor.dispose();
        }
    }
    return result;
}
/** Live native tensors (made and neither disposed nor garbage-collected) and their bytes. */
function memory() {
    return native_1.native.memory();
}
/** Disposes every tensor found in `container` (arrays and plain objects are searched). */
function dispose(container) {
    var found = new Set();
    collect(container, found, new Set());
    for (var _i = 0, found_1 = found; _i < found_1.length; _i++) {
        var tensor = found_1[_i];
        tensor.dispose();
    }
}
