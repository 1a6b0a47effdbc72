"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DTYPES = void 0;
exports.isFloatDType = isFloatDType;
exports.isDType = isDType;
exports.dtypeOfTypedArray = dtypeOfTypedArray;
/** All dtypes keratorch accepts. */
exports.DTYPES = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];
/** True for float32 and float64. */
function isFloatDType(dtype) {
    return dtype === 'float32' || dtype === 'float64';
}
/** True when `value` is one of {@link DTYPES}. */
function isDType(value) {
    return typeof value === 'string' && exports.DTYPES.includes(value);
}
/** The dtype a TypedArray holds, or undefined for unsupported kinds. */
function dtypeOfTypedArray(values) {
    if (values instanceof Float32Array)
        return 'float32';
    if (values instanceof Float64Array)
        return 'float64';
    if (values instanceof Int32Array)
        return 'int32';
    if (values instanceof BigInt64Array)
        return 'int64';
    if (values instanceof Uint8Array)
        return 'uint8';
    return undefined;
}
