"use strict";
var __extends = (this && this.__extends) || (function () {
    var extendStatics = function (d, b) {
        extendStatics = Object.setPrototypeOf ||
            ({ __proto__: [] } instanceof Array && function (d, b) { d.__proto__ = b; }) ||
            function (d, b) { for (var p in b) if (Object.prototype.hasOwnProperty.call(b, p)) d[p] = b[p]; };
        return extendStatics(d, b);
    };
    return function (d, b) {
        if (typeof b !== "function" && b !== null)
            throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
        extendStatics(d, b);
        function __() { this.constructor = d; }
        d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeratorchError = void 0;
/**
 * Every error keratorch throws, from TypeScript validation or from libtorch. The message names the
 * function and what it received; `code` tells the kind and `op` the function.
 */
var KeratorchError = /** @class */ (function (_super) {
    __extends(KeratorchError, _super);
    function KeratorchError(message, code, op) {
        if (code === void 0) { code = 'ERR_NATIVE'; }
        if (op === void 0) { op = ''; }
        var _this = _super.call(this, message) || this;
        _this.name = 'KeratorchError';
        _this.code = code;
        _this.op = op;
        return _this;
    }
    return KeratorchError;
}(Error));
exports.KeratorchError = KeratorchError;
