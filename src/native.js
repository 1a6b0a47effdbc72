"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.native = exports.addonPath = void 0;
/**
 * The one typed view of the native addon, and the one place that loads it.
 * Nothing else in keratorch touches the addon: the backend (`K`) calls these functions.
 */
var fs = require("fs");
var path = require("path");
/** Where the loaded addon came from. */
exports.addonPath = '';
var packageRoot = path.resolve(__dirname, '..');
function candidates() {
    var list = [];
    if (process.env.KERATORCH_ADDON) {
        list.push({ where: 'KERATORCH_ADDON', file: path.resolve(process.env.KERATORCH_ADDON) });
    }
    list.push({ where: 'source build', file: path.join(packageRoot, 'build', 'Release', 'keratorch.node') });
    var prebuildDir = path.join(packageRoot, 'prebuilds', "".concat(process.platform, "-").concat(process.arch));
    if (fs.existsSync(prebuildDir)) {
        for (var _i = 0, _a = fs.readdirSync(prebuildDir).filter(function (f) { return f.endsWith('.node'); }).sort(); _i < _a.length; _i++) {
            var name_1 = _a[_i];
            list.push({ where: 'prebuild', file: path.join(prebuildDir, name_1) });
        }
    }
    else {
        list.push({ where: 'prebuild', file: path.join(prebuildDir, 'keratorch.napi.node') });
    }
    return list;
}
function explain(error) {
    var message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    var missing = /(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(message);
    if (missing) {
        return "".concat(message, " -- the libtorch library ").concat(missing[1], " is missing: install Debian's libtorch ") +
            '(sudo apt-get install libtorch-dev) or point LD_LIBRARY_PATH at the libtorch it was built against';
    }
    return message;
}
function load() {
    var tried = [];
    for (var _i = 0, _a = candidates(); _i < _a.length; _i++) {
        var _b = _a[_i], where = _b.where, file = _b.file;
        if (!fs.existsSync(file)) {
            tried.push("  ".concat(where, ": ").concat(file, " (not found)"));
            continue;
        }
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            var binding = require(file);
            exports.addonPath = file;
            return binding;
        }
        catch (error) {
            tried.push("  ".concat(where, ": ").concat(file, " (").concat(explain(error), ")"));
        }
    }
    throw new Error('keratorch: could not load the native addon. Tried:\n' + tried.join('\n') +
        '\nBuild it with `npm run build:native` (needs cmake, a C++ compiler and libtorch: ' +
        'sudo apt-get install libtorch-dev cmake g++), or set KERATORCH_ADDON to a built keratorch.node.');
}
/** The loaded addon (loaded once per process or worker). */
exports.native = load();
