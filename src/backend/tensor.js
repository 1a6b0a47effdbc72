"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Tensor = void 0;
/**
 * The Tensor class: a handle on a native libtorch tensor plus cached metadata. Op methods
 * (`a.add(b)`, `x.sum(1, true)`) are attached by `methods.ts`.
 */
var util_1 = require("util");
var native_1 = require("../native");
var engine_1 = require("./engine");
var errors_1 = require("./errors");
var format_1 = require("./format");
var validate_1 = require("./validate");
/** A tensor: an n-dimensional array stored by libtorch on the CPU or a CUDA device. */
var Tensor = /** @class */ (function () {
    /** @internal Tensors are made by keratorch functions (`tensor`, `K.*`), not by users. */
    function Tensor(handle) {
        this.disposedFlag = false;
        this.handle = handle;
        (0, engine_1.track)(this);
    }
    Tensor.prototype.readMeta = function () {
        if (this.disposedFlag)
            throw new errors_1.KeratorchError('Tensor: this tensor is disposed', 'ERR_DISPOSED', 'Tensor');
        var _a = native_1.native.meta(this.handle), shape = _a[0], dtype = _a[1], device = _a[2];
        this.shapeCache = shape;
        this.dtypeCache = dtype;
        this.deviceCache = device;
    };
    Object.defineProperty(Tensor.prototype, "shapeRef", {
        /** @internal The cached shape, not copied; callers must not mutate it. */
        get: function () {
            if (this.shapeCache === undefined)
                this.readMeta();
            return this.shapeCache;
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "shape", {
        /** The size of each axis. */
        get: function () {
            return this.shapeRef.slice();
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "dtype", {
        /** The element type. */
        get: function () {
            if (this.dtypeCache === undefined)
                this.readMeta();
            return this.dtypeCache;
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "device", {
        /** Where the values live: `cpu` or `cuda:N`. */
        get: function () {
            if (this.deviceCache === undefined)
                this.readMeta();
            return this.deviceCache;
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "rank", {
        /** The number of axes. */
        get: function () {
            return this.shapeRef.length;
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "size", {
        /** The number of elements. */
        get: function () {
            return this.shapeRef.reduce(function (a, b) { return a * b; }, 1);
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "isDisposed", {
        /** True once `dispose()` (or the end of a `tidy` scope) freed the native memory. */
        get: function () {
            return this.disposedFlag;
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(Tensor.prototype, "requiresGrad", {
        /** True for a trainable tensor (a `K.variable` of a float dtype) or one computed from one. */
        get: function () {
            this.assertLive('requiresGrad');
            return native_1.native.meta(this.handle)[3];
        },
        enumerable: false,
        configurable: true
    });
    /** @internal Throws the standard error when the tensor was disposed. */
    Tensor.prototype.assertLive = function (fn, name) {
        if (name === void 0) { name = 'x'; }
        if (this.disposedFlag) {
            throw new errors_1.KeratorchError("".concat(fn, ": expected a live tensor for ").concat(name, " but received a disposed tensor ") +
                "".concat(this.describe(), " (freed by dispose() or tidy())"), 'ERR_DISPOSED', fn);
        }
    };
    /** A short description such as `float32[2,3]` (with the device when not the CPU). */
    Tensor.prototype.describe = function () {
        var _a;
        var shape = this.shapeCache ? "[".concat(this.shapeCache.join(','), "]") : '';
        var device = this.deviceCache && this.deviceCache !== 'cpu' ? "@".concat(this.deviceCache) : '';
        return "".concat(this.disposedFlag ? 'disposed ' : '').concat((_a = this.dtypeCache) !== null && _a !== void 0 ? _a : 'tensor').concat(shape).concat(device);
    };
    /** A copy of the values as a TypedArray (bool as Uint8Array, int64 as BigInt64Array). */
    Tensor.prototype.data = function () {
        this.assertLive('data');
        return native_1.native.data(this.handle);
    };
    /** The values as nested arrays (int64 as numbers, bool as booleans). */
    Tensor.prototype.array = function () {
        this.assertLive('array');
        var flat = toScalars(this.data(), this.dtype);
        var shape = this.shapeRef;
        if (shape.length === 0)
            return flat[0];
        var build = function (axis, offset) {
            var n = shape[axis];
            var stride = shape.slice(axis + 1).reduce(function (a, b) { return a * b; }, 1);
            var out = new Array(n);
            for (var i = 0; i < n; i++) {
                out[i] = axis === shape.length - 1 ? flat[offset + i] : build(axis + 1, offset + i * stride);
            }
            return out;
        };
        return build(0, 0);
    };
    /** The single value of a one-element tensor. */
    Tensor.prototype.item = function () {
        this.assertLive('item');
        if (this.size !== 1) {
            throw new errors_1.KeratorchError("item: expected a tensor with one element for x but received ".concat(this.describe()), 'ERR_SHAPE', 'item');
        }
        return native_1.native.item(this.handle);
    };
    /** A copy on another device (`cpu`, `cuda`, `cuda:N`). */
    Tensor.prototype.to = function (device) {
        this.assertLive('to');
        if (typeof device !== 'string') {
            throw new errors_1.KeratorchError("to: expected a device string for device but received ".concat((0, validate_1.describe)(device)), 'ERR_DEVICE', 'to');
        }
        return new Tensor(native_1.native.to(this.handle, device));
    };
    /** A copy with another dtype. */
    Tensor.prototype.cast = function (dtype) {
        this.assertLive('cast');
        return new Tensor(native_1.native.cast(this.handle, dtype));
    };
    /** A copy with its own storage. */
    Tensor.prototype.clone = function () {
        this.assertLive('clone');
        return new Tensor(native_1.native.clone(this.handle));
    };
    /** Frees the native memory now. Safe to call twice. */
    Tensor.prototype.dispose = function () {
        if (this.disposedFlag)
            return;
        if (this.shapeCache === undefined && !native_1.native.isDisposed(this.handle))
            this.readMeta();
        this.disposedFlag = true;
        native_1.native.dispose(this.handle);
    };
    /** The values printed like numpy: `[[19., 22.],\n [43., 50.]]`. */
    Tensor.prototype.toString = function () {
        if (this.disposedFlag)
            return "Tensor(".concat(this.describe(), ")");
        return (0, format_1.formatTensor)(toScalars(this.data(), this.dtype), this.shapeRef, this.dtype);
    };
    /** How `console.log` shows a tensor. */
    Tensor.prototype[util_1.inspect.custom] = function () {
        if (this.disposedFlag)
            return "Tensor(".concat(this.describe(), ")");
        var device = this.device === 'cpu' ? '' : ", device=".concat(this.device);
        var body = this.toString().replace(/\n/g, '\n       ');
        return "tensor(".concat(body, ", dtype=").concat(this.dtype).concat(device, ")");
    };
    return Tensor;
}());
exports.Tensor = Tensor;
(0, engine_1.registerTensorClass)(Tensor);
function toScalars(values, dtype) {
    if (dtype === 'bool')
        return Array.from(values, function (v) { return v !== 0; });
    if (values instanceof BigInt64Array)
        return Array.from(values, function (v) { return Number(v); });
    return Array.from(values);
}
