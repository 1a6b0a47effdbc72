#!/usr/bin/env node
// `npm run prebuild`: builds the native addon (cmake-js) and places it in prebuildify's layout,
// prebuilds/<platform>-<arch>/keratorch.napi.node, with a sidecar keratorch.napi.json naming the
// libtorch it was built against. `--copy-only` skips the build and copies the existing source
// build (scripts/setup.sh uses it, so a fresh clone has a prebuild without building twice).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

function run(args) {
  execFileSync(args[0], args.slice(1), { cwd: root, stdio: 'inherit' });
}

if (!process.argv.includes('--copy-only')) run([...npm, 'run', '--silent', 'build:native']);
if (!fs.existsSync(path.join(root, 'lib', 'addon_files.js'))) run([...npm, 'run', '--silent', 'build:ts']);

const { sourceBuildFile, prebuildFiles, describeTag } = require('../lib/addon_files.js');
const built = sourceBuildFile(root);
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
};
// Debian's libtorch-dev 1.13.1 reports 1.13.0 in its headers: record the package too, when it is the one used.
if (info.torchSource === 'system') tag.systemPackage = debianPackage('libtorch-dev');

const files = prebuildFiles(root);
fs.mkdirSync(path.dirname(files.addon), { recursive: true });
// Copy then rename, so a process loading the prebuild never sees half a file.
fs.copyFileSync(built, `${files.addon}.tmp`);
fs.renameSync(`${files.addon}.tmp`, files.addon);
fs.writeFileSync(files.tag, `${JSON.stringify(tag, null, 2)}\n`);
console.log(`prebuild: ${path.relative(root, files.addon)} (${describeTag(tag)})`);
