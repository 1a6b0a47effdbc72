#!/usr/bin/env node
// keratorch's install step (npm runs it when the package is installed or rebuilt):
//  1. the prebuilt addon, when it loads here, and nothing is built;
//  2. otherwise, or when LIBTORCH / Torch_DIR / KERATORCH_BUILD_FROM_SOURCE asks for it, a source
//     build with cmake-js against the libtorch on this machine;
//  3. when neither is possible, a failure that says exactly what to install or set.
// Nothing is downloaded here: cmake-js and the Node-API headers come as npm dependencies.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

// keratorch's own checkout: scripts/setup.sh builds the addon; `npm ci` there must stay fast.
if (fs.existsSync(path.join(root, 'src', 'native.ts'))) process.exit(0);

const { describeTag, prebuildFiles, readPrebuildTag, sourceBuildFile } = require('../lib/addon_files.js');

function say(line) {
  console.log(`keratorch: ${line}`);
}

function isSet(value) {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** Loads an addon in a child process through the package's loader: null when it loads, else why not. */
function whyNotLoading(file) {
  const probe = 'try { require(process.argv[1]) } catch (e) { process.stderr.write(e.message); process.exit(1) }';
  const result = spawnSync(process.execPath, ['-e', probe, path.join(root, 'lib', 'native.js')],
    { env: { ...process.env, KERATORCH_ADDON: file }, encoding: 'utf8' });
  if (result.status === 0) return null;
  if (result.signal) return `loading it crashed (${result.signal})`;
  // The loader's message: a header, then one line per place tried ("  KERATORCH_ADDON: <file> (<why>)").
  const line = result.stderr.split('\n').find((l) => l.startsWith('  KERATORCH_ADDON: '));
  return line ? line.slice(`  KERATORCH_ADDON: ${file} (`.length, -1) : result.stderr.trim();
}

function onPath(command) {
  if (command.includes('/')) return fs.existsSync(command);
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

function resolvePackageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
  } catch {
    return null;
  }
}

const target = `${process.platform}-${process.arch}`;
const prebuild = prebuildFiles(root);
const tag = readPrebuildTag(prebuild.tag);
const customTorch = ['LIBTORCH', 'Torch_DIR'].find((name) => isSet(process.env[name]));
const forced = customTorch ? `${customTorch}=${process.env[customTorch]} is set`
  : isSet(process.env.KERATORCH_BUILD_FROM_SOURCE) ? 'KERATORCH_BUILD_FROM_SOURCE is set'
    : isSet(process.env.npm_config_build_from_source) ? '--build-from-source was given' : null;

/** Why each way failed, for the final message. */
const failures = [];

if (forced) {
  failures.push(`prebuilt addon: not used (${forced})`);
} else if (!fs.existsSync(prebuild.addon)) {
  failures.push(`prebuilt addon: none for ${target}`);
} else {
  const why = whyNotLoading(prebuild.addon);
  if (!why) {
    say(`using the prebuilt addon ${path.relative(root, prebuild.addon)}${tag ? `, built against ${describeTag(tag)}` : ''}`);
    process.exit(0);
  }
  failures.push(`prebuilt addon ${prebuild.addon}: ${why}`);
}

// A source build: cmake-js drives cmake, which needs a compiler and make, and finds libtorch itself.
const cmakeJsDir = resolvePackageDir('cmake-js');
const addonApiDir = resolvePackageDir('node-addon-api');
const compilers = process.env.CXX ? [process.env.CXX] : ['c++', 'g++', 'clang++'];
const missing = [
  onPath('cmake') ? null : 'cmake',
  compilers.some(onPath) ? null : `a C++ compiler (${compilers.join(', ')})`,
  onPath('make') || onPath('ninja') ? null : 'make',
  cmakeJsDir && addonApiDir ? null : 'the npm packages cmake-js and node-addon-api',
].filter(Boolean);

function fail(sourceProblem) {
  const lines = ['keratorch: no native addon fits this machine, and none could be built.', ...failures,
    `source build: ${sourceProblem}`, 'To fix it, do one of these, then run `npm rebuild keratorch`:'];
  if (!customTorch && tag) {
    lines.push(`  - install the libtorch the prebuilt addon needs, ${describeTag(tag)}: sudo apt-get install libtorch-dev`);
  }
  lines.push('  - build from source: install cmake, make, a C++ compiler and libtorch ' +
    '(Debian 12: sudo apt-get install cmake g++ make libtorch-dev), or point LIBTORCH=/path/to/libtorch or ' +
    'Torch_DIR=/path/to/libtorch/share/cmake/Torch at another libtorch (e.g. a CUDA one)');
  lines.push('  - set KERATORCH_ADDON=/path/to/keratorch.node, an addon built elsewhere');
  console.error(lines.join('\n'));
  process.exit(1);
}

if (missing.length) fail(`impossible here: ${missing.join(', ')} not found`);
say(`building the addon from source with cmake-js (${forced || 'the prebuilt addon does not load'}); ` +
  'this takes a few minutes');
const build = spawnSync(process.execPath, [path.join(cmakeJsDir, 'bin', 'cmake-js'), 'compile', '--out', 'build',
  `--CDNODE_ADDON_API_DIR=${addonApiDir}`], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('cmake-js failed; its output above says why');
const why = whyNotLoading(sourceBuildFile(root));
if (why) fail(`built ${sourceBuildFile(root)}, but it does not load: ${why}`);
say(`built ${sourceBuildFile(root)}`);
