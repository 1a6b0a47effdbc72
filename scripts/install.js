#!/usr/bin/env node
// keratorch's install step (npm runs it when the package is installed or rebuilt):
//  1. the prebuilt addon that fits the libtorch found here ($LIBTORCH, Debian's libtorch-dev, or a
//     Python torch), when it loads, and nothing is built;
//  2. otherwise, or when KERATORCH_BUILD_FROM_SOURCE / --build-from-source asks for it, a source
//     build with cmake-js against the libtorch on this machine (LIBTORCH or Torch_DIR picks one);
//  3. when neither is possible, a failure that names the libtorch found, the prebuilds there are,
//     and what to install or set.
// Nothing is downloaded here: cmake-js and the Node-API headers come as npm dependencies.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

// keratorch's own checkout: scripts/setup.sh builds the addon; `npm ci` there must stay fast.
if (fs.existsSync(path.join(root, 'src', 'native.ts'))) process.exit(0);

const { describeTag, prebuildList, sourceBuildFile } = require('../lib/addon_files.js');
const { libtorchEnvProblem } = require('../lib/torch_locate.js');

function say(line) {
  console.log(`keratorch: ${line}`);
}

function isSet(value) {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Loads the package in a child process, as an application would (the loader picks the prebuild that
 * fits): { file, torch } when it loads, else { why } with the loader's own account.
 */
function probeLoad(extraEnv = {}) {
  const probe = 'try { const n = require(process.argv[1]); process.stdout.write(JSON.stringify({ file: n.addonPath, ' +
    'torch: n.loadedTorch() })) } catch (e) { process.stderr.write(e.message); process.exit(1) }';
  const result = spawnSync(process.execPath, ['-e', probe, path.join(root, 'lib', 'native.js')],
    { env: { ...process.env, ...extraEnv }, encoding: 'utf8' });
  if (result.status === 0) return JSON.parse(result.stdout);
  if (result.signal) return { why: `loading it crashed (${result.signal})` };
  return { why: result.stderr.trim() };
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
const prebuilds = prebuildList(root);
const customTorch = ['LIBTORCH', 'Torch_DIR'].find((name) => isSet(process.env[name]));
// Torch_DIR names a CMake folder: it means a source build (LIBTORCH picks a prebuild when one fits).
const forced = isSet(process.env.KERATORCH_BUILD_FROM_SOURCE) ? 'KERATORCH_BUILD_FROM_SOURCE is set'
  : isSet(process.env.npm_config_build_from_source) ? '--build-from-source was given'
    : isSet(process.env.Torch_DIR) ? `Torch_DIR=${process.env.Torch_DIR} is set` : null;

/** Why each way failed, for the final message. */
const failures = [];

if (forced) {
  failures.push(`prebuilt addon: not used (${forced})`);
  // (Otherwise the loader's own account, below, says it.)
  if (libtorchEnvProblem()) failures.push(libtorchEnvProblem());
} else if (!prebuilds.length) {
  failures.push(`prebuilt addon: none for ${target}`);
} else {
  const loaded = probeLoad();
  if (loaded.file) {
    const prebuild = prebuilds.find((p) => p.addon === loaded.file);
    say(`using the prebuilt addon ${path.relative(root, loaded.file)}${prebuild && prebuild.tag ? `, built against ` +
      `${describeTag(prebuild.tag)}` : ''}, on libtorch ${loaded.torch.version || '(version unknown)'} from ${loaded.torch.libDir}`);
    process.exit(0);
  }
  failures.push(`prebuilt addons: ${loaded.why}`);
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
  const tags = prebuilds.map((p) => p.tag).filter(Boolean);
  if (!customTorch && tags.length) {
    lines.push(`  - install a libtorch that a prebuilt addon was built against: ${tags.map(describeTag).join(', or ')} ` +
      '(Debian 12: sudo apt-get install libtorch-dev; pip: pip install torch==2.13.0+cpu, which keratorch finds through ' +
      'python3 or LIBTORCH=<site-packages>/torch)');
  }
  lines.push('  - build from source: install cmake, make, a C++ compiler and libtorch ' +
    '(Debian 12: sudo apt-get install cmake g++ make libtorch-dev), or point LIBTORCH=/path/to/libtorch (or a pip ' +
    "torch's site-packages/torch folder) or Torch_DIR=/path/to/libtorch/share/cmake/Torch at another libtorch (e.g. a CUDA one)");
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
const built = probeLoad({ KERATORCH_ADDON: sourceBuildFile(root) });
if (!built.file) fail(`built ${sourceBuildFile(root)}, but it does not load: ${built.why}`);
say(`built ${sourceBuildFile(root)}`);
