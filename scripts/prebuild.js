#!/usr/bin/env node
// `node scripts/prebuild.js`: builds the native addon (cmake-js) against the libtorch the build finds
// (LIBTORCH= picks one) and places it in prebuildify's layout with a sidecar naming that libtorch:
// prebuilds/<platform>-<arch>/keratorch.napi.node for the system's (Debian's libtorch-dev), and
// keratorch.torch<major.minor>.napi.node for a pip torch or a libtorch archive. The package ships
// one of each (`npm run prebuilds`, scripts/release-prebuilds.sh, builds both). `--copy-only` skips the build and copies
// the existing source build (scripts/setup.sh uses it, so a fresh clone has a prebuild without
// building twice); it leaves CUDA builds out, which are not shipped.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

function run(args) {
  execFileSync(args[0], args.slice(1), { cwd: root, stdio: 'inherit' });
}

// --from <addon>: copy that build (scripts/release-prebuilds.sh builds each libtorch in its own folder).
const fromAt = process.argv.indexOf('--from');
const copyOnly = process.argv.includes('--copy-only') || fromAt > 0;
if (!copyOnly) run([...npm, 'run', '--silent', 'build:native']);
if (!fs.existsSync(path.join(root, 'lib', 'addon_files.js'))) run([...npm, 'run', '--silent', 'build:ts']);

const { sourceBuildFile, prebuildFileFor, describeTag, linkedLibrariesOf, tagFileOf } = require('../lib/addon_files.js');
const built = fromAt > 0 ? path.resolve(process.argv[fromAt + 1]) : sourceBuildFile(root);
if (!fs.existsSync(built)) {
  console.error(`prebuild: ${built} not found: build it first (npm run build:native)`);
  process.exit(1);
}

function debianPackage(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Version}', name], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

// Ask the addon itself what it was built against, through the package's one loader.
const info = JSON.parse(execFileSync(process.execPath, ['-e',
  'process.stdout.write(JSON.stringify(require(process.argv[1]).native.buildInfo()))',
  path.join(root, 'lib', 'native.js')], { env: { ...process.env, KERATORCH_ADDON: built }, encoding: 'utf8' }));
const tag = {
  libtorch: info.torchVersion,
  cuda: info.cudaCompiled,
  torchSource: info.torchSource,
  torchLibDir: info.torchLibDir,
  target: `${process.platform}-${process.arch}`,
  // The libraries the addon needs by name: a libtorch that has them (and the same version) runs it.
  libraries: linkedLibrariesOf(built).map((lib) => lib.name),
};
// Debian's libtorch-dev 1.13.1 reports 1.13.0 in its headers: record the package too, when it is the one used.
if (info.torchSource === 'system') tag.systemPackage = debianPackage('libtorch-dev');
if (tag.cuda && process.argv.includes('--copy-only')) {
  console.log(`prebuild: not copied (${describeTag(tag)}: CUDA builds are not shipped)`);
  process.exit(0);
}

const addon = prebuildFileFor(root, tag);
fs.mkdirSync(path.dirname(addon), { recursive: true });
// Copy then rename, so a process loading the prebuild never sees half a file.
fs.copyFileSync(built, `${addon}.tmp`);
fs.renameSync(`${addon}.tmp`, addon);
fs.writeFileSync(tagFileOf(addon), `${JSON.stringify(tag, null, 2)}\n`);
console.log(`prebuild: ${path.relative(root, addon)} (${describeTag(tag)})`);
