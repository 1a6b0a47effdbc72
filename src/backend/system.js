"use strict";
var __assign = (this && this.__assign) || function () {
    __assign = Object.assign || function(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
            s = arguments[i];
            for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p))
                t[p] = s[p];
        }
        return t;
    };
    return __assign.apply(this, arguments);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.cuda = void 0;
exports.getNumThreads = getNumThreads;
exports.setNumThreads = setNumThreads;
exports.buildInfo = buildInfo;
/** CUDA presence, threads and build facts. */
var native_1 = require("../native");
var validate_1 = require("./validate");
/** CUDA queries. */
exports.cuda = {
    /** True when libtorch sees at least one usable CUDA device. */
    isAvailable: function () {
        return native_1.native.cudaIsAvailable();
    },
    /** How many CUDA devices libtorch sees. */
    deviceCount: function () {
        return native_1.native.cudaDeviceCount();
    },
};
/** libtorch's intra-op thread count. */
function getNumThreads() {
    return native_1.native.getNumThreads();
}
/** Sets libtorch's intra-op thread count (process-wide). */
function setNumThreads(count) {
    native_1.native.setNumThreads((0, validate_1.checkInt)('setNumThreads', 'count', count, 1));
}
/** What the loaded addon was built against, and where it was loaded from. */
function buildInfo() {
    return __assign(__assign({}, native_1.native.buildInfo()), { addonPath: native_1.addonPath });
}
