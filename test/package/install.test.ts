/**
 * `npm install keratorch` as a user does it (the README's install section): pack the package,
 * install the tarball into a fresh project from the local npm cache (`--offline`) with cmake and
 * the C++ compiler off PATH; the prebuilt addon loads, a CommonJS script and an ESM TypeScript
 * consumer (tsc --strict) run a K op and a VIN plan. Then the failures: a bad KERATORCH_ADDON, and
 * a prebuild whose libtorch library is missing, must say what was tried and what to do.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const npmCli = path.join(path.dirname(fs.realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const builtAddon = path.join(root, 'build', 'Release', 'keratorch.node');
const missing = [path.join(root, 'lib', 'index.mjs'), builtAddon, npmCli].filter((f) => !fs.existsSync(f));
const maybe = missing.length ? test.skip : test;
if (missing.length) console.warn(`package install tests skipped: missing ${missing.join(', ')} (run npm test, whose set-up builds them)`);

let work = '';
let app = '';
let bin = '';
let installLog = '';

/** The user's environment: only node and sh on PATH, and none of keratorch's variables. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|KERATORCH_|LIBTORCH$|Torch_DIR$)/.test(key)) env[key] = value;
  }
  return { ...env, PATH: bin, ...extra };
}

function run(args: string[], cwd: string, extra: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd, env: userEnv(extra), encoding: 'utf8', timeout: 120000 });
}

function succeed(args: string[], cwd: string, extra: Record<string, string> = {}): string {
  const result = run(args, cwd, extra);
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The README install section's ESM consumer (the ```ts block after `## Install`). */
function readmeConsumer(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /## Install\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md: no ```ts block in the Install section');
  return block[1];
}

/** A copy of the installed package whose prebuild needs a libtorch library that does not exist. */
function packageWithoutLibtorch(): string {
  const copy = path.join(app, 'node_modules', 'keratorch-no-libtorch');
  fs.cpSync(path.join(app, 'node_modules', 'keratorch'), copy, { recursive: true });
  const addon = path.join(copy, 'prebuilds', `${process.platform}-${process.arch}`, 'keratorch.napi.node');
  const bytes = fs.readFileSync(addon);
  // Same length, so the ELF stays valid: the dynamic loader looks for libtorch_hid.so.* instead.
  const from = Buffer.from('libtorch_cpu.so');
  const to = Buffer.from('libtorch_hid.so');
  let at = bytes.indexOf(from);
  expect(at).toBeGreaterThan(0);
  for (; at >= 0; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at);
  fs.writeFileSync(addon, bytes);
  return copy;
}

beforeAll(() => {
  if (missing.length) return;
  // A fresh clone has no prebuilds/ until set-up copies the source build there; do it if stale.
  const prebuilt = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'keratorch.napi.node');
  if (!fs.existsSync(prebuilt) || fs.statSync(prebuilt).mtimeMs < fs.statSync(builtAddon).mtimeMs) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'prebuild.js'), '--copy-only'], { cwd: root });
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-install-'));
  bin = path.join(work, 'bin');
  app = path.join(work, 'app');
  fs.mkdirSync(bin);
  fs.mkdirSync(app);
  for (const tool of ['node', 'sh']) fs.symlinkSync(tool === 'node' ? process.execPath : '/bin/sh', path.join(bin, tool));
  for (const tool of ['cmake', 'c++', 'g++', 'make']) {
    expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env: userEnv() }).status).not.toBe(0);
  }

  succeed([npmCli, 'pack', '--ignore-scripts', '--pack-destination', work, root], root);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const typesNode = (require(path.join(root, 'node_modules', '@types', 'node', 'package.json')) as { version: string }).version;
  installLog = succeed([npmCli, 'install', '--offline', '--no-audit', '--no-fund', '--foreground-scripts',
    path.join(work, 'keratorch-0.1.0.tgz'), `@types/node@${typesNode}`], app);
}, 180000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

maybe('the install step uses the prebuilt addon and builds nothing', () => {
  expect(installLog).toContain('keratorch: using the prebuilt addon prebuilds/linux-x64/keratorch.napi.node, built against libtorch');
  expect(fs.existsSync(path.join(app, 'node_modules', 'keratorch', 'build'))).toBe(false);
  const shipped = fs.readdirSync(path.join(app, 'node_modules', 'keratorch')).filter((f) => f !== 'node_modules').sort();
  expect(shipped).toEqual(['CMakeLists.txt', 'LICENSE', 'README.md', 'binding', 'cmake', 'lib', 'models', 'package.json',
    'prebuilds', 'scripts']);
});

maybe('a CommonJS script runs a K op and a VIN plan on the prebuilt addon', () => {
  fs.writeFileSync(path.join(app, 'consumer.cjs'), `
const path = require('path');
const { K, loadPlanner, buildInfo } = require('keratorch');
const a = K.variable([[1, 2], [3, 4]]);
const planner = loadPlanner(path.dirname(require.resolve('keratorch/models/vin-8x8/model.json')));
const obstacles = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i % 7 === 0 || j % 7 === 0 ? 1 : 0)));
const plan = planner.plan({ obstacles, start: [1, 1], goal: [6, 6] });
console.log(JSON.stringify({ dot: K.eval(K.dot(a, a)), plan, source: buildInfo().addonSource, addon: buildInfo().addonPath }));
`);
  const out = JSON.parse(succeed(['consumer.cjs'], app)) as { dot: number[][]; plan: { path: number[][]; reached: boolean };
    source: string; addon: string };
  expect(out.dot).toEqual([[7, 10], [15, 22]]);
  expect(out.plan.reached).toBe(true);
  expect(out.plan.path[0]).toEqual([1, 1]);
  expect(out.plan.path[out.plan.path.length - 1]).toEqual([6, 6]);
  expect(out.source).toBe('prebuild');
  expect(out.addon).toBe(path.join(app, 'node_modules', 'keratorch', 'prebuilds', 'linux-x64', 'keratorch.napi.node'));
});

maybe('ESM TypeScript consumers (the README one and a typed one) compile with tsc --strict (node16, bundler) and run', () => {
  fs.writeFileSync(path.join(app, 'readme.mts'), readmeConsumer());
  fs.writeFileSync(path.join(app, 'consumer.mts'), `
import { createRequire } from 'module';
import * as path from 'path';
import { K, Model, Tensor, loadPlanner, type PlanResult } from 'keratorch';

const require = createRequire(import.meta.url);
const a: Tensor = K.variable([[1, 2], [3, 4]]);
const planner = loadPlanner(path.dirname(require.resolve('keratorch/models/vin-8x8/model.json')));
const model: Model = planner.model;
const obstacles: number[][] = Array.from({ length: 8 }, (_, i) =>
  Array.from({ length: 8 }, (_, j) => (i % 7 === 0 || j % 7 === 0 ? 1 : 0)));
const plan: PlanResult = planner.plan({ obstacles, start: [1, 1], goal: [6, 6] });
const cjs = require('keratorch') as { K: unknown };
console.log(JSON.stringify({ dot: K.eval(K.dot(a, a)), layers: model.layers.length, reached: plan.reached, shared: cjs.K === K }));
`);
  const options = { strict: true, target: 'es2022', types: ['node'] };
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { ...options, module: 'node16', moduleResolution: 'node16', outDir: 'out' }, files: ['consumer.mts', 'readme.mts'] }));
  fs.writeFileSync(path.join(app, 'tsconfig.bundler.json'), JSON.stringify({
    compilerOptions: { ...options, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, files: ['consumer.mts', 'readme.mts'] }));
  succeed([tsc, '-p', 'tsconfig.json'], app);
  succeed([tsc, '-p', 'tsconfig.bundler.json'], app);
  expect(JSON.parse(succeed(['out/consumer.mjs'], app))).toEqual({ dot: [[7, 10], [15, 22]], layers: 7, reached: true, shared: true });
  const readmeOut = succeed(['out/readme.mjs'], app);
  expect(readmeOut).toContain('[ [ 7, 10 ], [ 15, 22 ] ]');
  expect(readmeOut).toMatch(/path: \[[\s\S]*\[ 1, 1 \][\s\S]*\[ 6, 6 \]\s*\][\s\S]*reached: true/);
});

maybe('keratorch info names the version, the addon, libtorch, CUDA, devices and threads', () => {
  const out = succeed([path.join(app, 'node_modules', 'keratorch', 'lib', 'cli', 'main.js'), 'info'], app);
  expect(out).toMatch(/^keratorch 0\.1\.0 \(node v[\d.]+\)\nplatform: linux-x64\n/);
  expect(out).toContain(`addon:    ${path.join(app, 'node_modules', 'keratorch', 'prebuilds', 'linux-x64', 'keratorch.napi.node')} (prebuild)`);
  expect(out).toMatch(/libtorch: \d+\.\d+\.\d+ from /);
  expect(out).toMatch(/CUDA: +(not )?compiled in, (not )?available/);
  expect(out).toMatch(/devices: +cpu/);
  expect(out).toMatch(/threads: +\d+ intra-op/);
});

maybe('KERATORCH_ADDON pointing at a bad file: the error names it, why it failed, and what to do', () => {
  const bad = path.join(work, 'bad.node');
  fs.writeFileSync(bad, 'not an addon');
  const result = run(['-e', "require('keratorch')"], app, { KERATORCH_ADDON: bad });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain(`keratorch: could not load the native addon. Tried:\n  KERATORCH_ADDON: ${bad} (`);
  expect(result.stderr).toMatch(/Not a native addon for linux-x64/);
  expect(result.stderr).toContain('KERATORCH_ADDON is set, so nothing else was tried: point it at a working keratorch.node, or unset it');
});

maybe('a missing libtorch library: the loader lists every place tried and the install step says what to install', () => {
  const copy = packageWithoutLibtorch();
  const loaded = run(['-e', `require(${JSON.stringify(copy)})`], app);
  expect(loaded.status).not.toBe(0);
  expect(loaded.stderr).toContain(`  source build: ${path.join(copy, 'build', 'Release', 'keratorch.node')} (not found)`);
  expect(loaded.stderr).toContain(`  prebuild: ${path.join(copy, 'prebuilds', 'linux-x64', 'keratorch.napi.node')} (`);
  expect(loaded.stderr).toContain('The libtorch library libtorch_hid.so');
  expect(loaded.stderr).toContain('sudo apt-get install libtorch-dev');
  expect(loaded.stderr).toMatch(/LD_LIBRARY_PATH.*LIBTORCH=\/path\/to\/libtorch/);

  const installed = run([path.join(copy, 'scripts', 'install.js')], copy);
  expect(installed.status).toBe(1);
  expect(installed.stderr).toContain('keratorch: no native addon fits this machine, and none could be built.');
  expect(installed.stderr).toContain('libtorch_hid.so');
  expect(installed.stderr).toContain('source build: impossible here: cmake, a C++ compiler (c++, g++, clang++), make not found');
  expect(installed.stderr).toMatch(/install the libtorch the prebuilt addon needs, libtorch .*: sudo apt-get install libtorch-dev/);
  expect(installed.stderr).toContain('sudo apt-get install cmake g++ make libtorch-dev');

  // Asking for another libtorch skips the prebuild, and the advice is about the source build only.
  const custom = run([path.join(copy, 'scripts', 'install.js')], copy, { LIBTORCH: '/opt/libtorch-cuda' });
  expect(custom.status).toBe(1);
  expect(custom.stderr).toContain('prebuilt addon: not used (LIBTORCH=/opt/libtorch-cuda is set)');
  expect(custom.stderr).not.toContain('install the libtorch the prebuilt addon needs');
});
