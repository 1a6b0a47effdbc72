/**
 * `npm install keratorch` as a user does it (the README's install section): the package packed and
 * installed into a fresh project from the registry with an empty npm cache, with cmake and the C++
 * compiler off PATH. The prebuilt addon that fits the libtorch found loads (Debian's libtorch-dev, or
 * a pip torch through LIBTORCH or python3), a CommonJS script runs a K op and a VIN plan, and
 * `keratorch info` reports what was really loaded. Then the failures: a bad KERATORCH_ADDON, a
 * missing libtorch library, a libtorch version no prebuild was built for (at install and at load
 * time), each naming what was tried and what to do.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InstalledApp, installPackage, missingForPackageTests, prebuildDir, withMissingLibrary } from '../helpers/installed_package';

interface Tag { libtorch: string; torchSource: string; torchLibDir: string; cuda: boolean }
const readTag = (name: string): Tag | null => {
  try {
    return JSON.parse(fs.readFileSync(path.join(prebuildDir, name.replace(/\.node$/, '.json')), 'utf8')) as Tag;
  } catch {
    return null;
  }
};

const missing = missingForPackageTests();
// The prebuild for Debian's libtorch-dev (setup copies it from a system build) and the one for pip's
// torch 2.13 (from a LIBTORCH=<pip torch> build, as CI's second pass makes): each tested where it was built.
const systemTag = readTag('keratorch.napi.node');
const pipTag = readTag('keratorch.torch2.13.napi.node');
const withSystem = !missing && systemTag?.torchSource === 'system' ? test : test.skip;
const withPip = !missing && pipTag && fs.existsSync(pipTag.torchLibDir) ? test : test.skip;
if (missing) console.warn(`package install tests skipped: ${missing}`);
if (!missing && !pipTag) {
  console.warn('pip-torch prebuild tests skipped: no prebuilds/linux-x64/keratorch.torch2.13.napi.node ' +
    '(LIBTORCH=$(scripts/get-torch.sh cpu) npm test makes it; .ci/run does)');
}
const pipTorchDir = pipTag ? path.dirname(pipTag.torchLibDir) : '';

let installed: InstalledApp;
let prebuilt = '';

beforeAll(() => {
  if (missing) return;
  installed = installPackage();
  prebuilt = path.join(installed.pkg, 'prebuilds', 'linux-x64');
}, 300000);

afterAll(() => installed?.remove());

const consumerCjs = `
const path = require('path');
const { K, loadPlanner, buildInfo } = require('keratorch');
const a = K.variable([[1, 2], [3, 4]]);
const planner = loadPlanner(path.dirname(require.resolve('keratorch/models/vin-8x8/model.json')));
const obstacles = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i % 7 === 0 || j % 7 === 0 ? 1 : 0)));
const plan = planner.plan({ obstacles, start: [1, 1], goal: [6, 6] });
const info = buildInfo();
console.log(JSON.stringify({ dot: K.eval(K.dot(a, a)), plan, source: info.addonSource, addon: info.addonPath, loaded: info.loaded }));
`;
interface ConsumerOut {
  dot: number[][]; plan: { path: number[][]; reached: boolean }; source: string; addon: string;
  loaded: { libDir: string; version: string | null; libraries: string[] };
}
function runConsumer(extra: Record<string, string> = {}): ConsumerOut {
  fs.writeFileSync(path.join(installed.app, 'consumer.cjs'), consumerCjs);
  const out = JSON.parse(installed.succeed(['consumer.cjs'], extra)) as ConsumerOut;
  expect(out.dot).toEqual([[7, 10], [15, 22]]);
  expect(out.plan.reached).toBe(true);
  expect(out.plan.path[0]).toEqual([1, 1]);
  expect(out.plan.path[out.plan.path.length - 1]).toEqual([6, 6]);
  return out;
}

/** A copy of the installed package, changed by `edit` (a prebuild patched, a sidecar rewritten). */
function packageCopy(name: string, edit: (copy: string) => void): string {
  const copy = path.join(installed.app, 'node_modules', name);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(installed.pkg, copy, { recursive: true });
  edit(copy);
  return copy;
}

withSystem('the install step picks the prebuild for the libtorch found and builds nothing', () => {
  expect(installed.installLog).toContain('keratorch: using the prebuilt addon prebuilds/linux-x64/keratorch.napi.node, ' +
    `built against libtorch ${systemTag?.libtorch}`);
  expect(installed.installLog).toMatch(/, on libtorch \d+\.\d+[\d.]* from \/usr\/lib/);
  expect(fs.existsSync(path.join(installed.pkg, 'build'))).toBe(false);
  const shipped = fs.readdirSync(installed.pkg).filter((f) => f !== 'node_modules').sort();
  expect(shipped).toEqual(['CMakeLists.txt', 'LICENSE', 'README.md', 'binding', 'cmake', 'examples', 'lib', 'models', 'package.json',
    'prebuilds', 'scripts']);
});

withSystem('the planning server ships: keratorch/plan-server loads with fastify from the dependencies, the example beside it', () => {
  const out = installed.succeed(['-e', "const s = require('keratorch/plan-server'); console.log(typeof s.createPlanServer, typeof s.closeOnSignals)"]);
  expect(out.trim()).toBe('function function');
  expect(fs.existsSync(path.join(installed.pkg, 'examples', 'plan-server.ts'))).toBe(true);
});

withSystem('a CommonJS script runs a K op and a VIN plan on the system prebuild', () => {
  const out = runConsumer();
  expect(out.source).toBe('prebuild');
  expect(out.addon).toBe(path.join(prebuilt, 'keratorch.napi.node'));
  expect(out.loaded.libDir).toBe(fs.realpathSync(systemTag?.torchLibDir ?? ''));
});

withSystem('keratorch info names the version, the addon, libtorch as built and as loaded, CUDA, devices and threads', () => {
  const out = installed.succeed([path.join(installed.pkg, 'lib', 'cli', 'main.js'), 'info']);
  expect(out).toMatch(/^keratorch 0\.1\.0 \(node v[\d.]+\)\nplatform: linux-x64\n/);
  expect(out).toContain(`addon:    ${path.join(prebuilt, 'keratorch.napi.node')} (prebuild)`);
  expect(out).toMatch(/libtorch: \d+\.\d+\.\d+ from /);
  expect(out).toMatch(/loaded: {3}libtorch \d+\.\d+[\d.]* from \/usr\/lib\S* \(.*libtorch_cpu\.so/);
  expect(out).toMatch(/CUDA: +(not )?compiled in, (not )?available/);
  expect(out).toMatch(/devices: +cpu/);
  expect(out).toMatch(/threads: +\d+ intra-op/);
});

withSystem('KERATORCH_ADDON pointing at a bad file: the error names it, why it failed, and what to do', () => {
  const bad = path.join(installed.work, 'bad.node');
  fs.writeFileSync(bad, 'not an addon');
  const result = installed.run(['-e', "require('keratorch')"], { KERATORCH_ADDON: bad });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain(`keratorch: could not load the native addon. Tried:\n  KERATORCH_ADDON: ${bad} (`);
  expect(result.stderr).toMatch(/Not a native addon for linux-x64/);
  expect(result.stderr).toContain('KERATORCH_ADDON is set, so nothing else was tried: point it at a working keratorch.node, or unset it');
});

withSystem('a missing libtorch library: the loader lists every place tried and the install step says what to install', () => {
  const copy = packageCopy('keratorch-no-libtorch', (dir) => {
    const addon = path.join(dir, 'prebuilds', 'linux-x64', 'keratorch.napi.node');
    withMissingLibrary(addon, addon, 'libtorch_cpu.so', 'libtorch_hid.so');
  });
  const loaded = installed.run(['-e', `require(${JSON.stringify(copy)})`]);
  expect(loaded.status).not.toBe(0);
  expect(loaded.stderr).toContain(`  source build: ${path.join(copy, 'build', 'Release', 'keratorch.node')} (not found)`);
  expect(loaded.stderr).toContain(`  prebuild: ${path.join(copy, 'prebuilds', 'linux-x64', 'keratorch.napi.node')} on libtorch `);
  expect(loaded.stderr).toContain('The libtorch library libtorch_hid.so');
  expect(loaded.stderr).toContain('sudo apt-get install libtorch-dev');
  expect(loaded.stderr).toMatch(/LD_LIBRARY_PATH.*LIBTORCH=\/path\/to\/libtorch/);

  const install = installed.run([path.join(copy, 'scripts', 'install.js')]);
  expect(install.status).toBe(1);
  expect(install.stderr).toContain('keratorch: no native addon fits this machine, and none could be built.');
  expect(install.stderr).toContain('libtorch_hid.so');
  expect(install.stderr).toContain('source build: impossible here: cmake, a C++ compiler (c++, g++, clang++), make not found');
  expect(install.stderr).toMatch(/install a libtorch that a prebuilt addon was built against: libtorch .*sudo apt-get install libtorch-dev/);
  expect(install.stderr).toContain('sudo apt-get install cmake g++ make libtorch-dev');

  // LIBTORCH naming no libtorch is said so, and the advice is about the source build only.
  const custom = installed.run([path.join(copy, 'scripts', 'install.js')], { LIBTORCH: '/opt/libtorch-cuda' });
  expect(custom.status).toBe(1);
  expect(custom.stderr).toContain('LIBTORCH=/opt/libtorch-cuda: no libtorch there');
  expect(custom.stderr).not.toContain('install a libtorch that a prebuilt addon was built against');
});

withSystem('a libtorch version no prebuild was built for: install and load name both versions and both ways out', () => {
  const copy = packageCopy('keratorch-other-version', (dir) => {
    for (const name of fs.readdirSync(path.join(dir, 'prebuilds', 'linux-x64')).filter((f) => f.endsWith('.json'))) {
      const file = path.join(dir, 'prebuilds', 'linux-x64', name);
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), libtorch: '9.9.0' }));
    }
  });
  const loaded = installed.run(['-e', `require(${JSON.stringify(copy)})`]);
  expect(loaded.status).not.toBe(0);
  // The system's libtorch version, as the prebuild built against it records it (1.13 on Debian 12, 2.6 on Debian 13).
  const found = (systemTag?.libtorch ?? '').split('.').slice(0, 2).join('\\.');
  expect(loaded.stderr).toMatch(new RegExp(`prebuild: \\S+keratorch\\.napi\\.node \\(libtorch 9\\.9\\.0 .*no libtorch here runs it: ` +
    `libtorch ${found}[\\d.]* \\(system: /usr/lib\\S*\\): built against libtorch 9\\.9\\.0, not ${found}`));
  expect(loaded.stderr).toContain('Install a libtorch that a prebuilt addon was built for');
  expect(loaded.stderr).toContain('or build from source against yours');

  const install = installed.run([path.join(copy, 'scripts', 'install.js')]);
  expect(install.status).toBe(1);
  expect(install.stderr).toMatch(new RegExp(`built against libtorch 9\\.9\\.0, not ${found}`));
  expect(install.stderr).toContain('install a libtorch that a prebuilt addon was built against: libtorch 9.9.0');
  expect(install.stderr).toContain('build from source:');
});

withPip('with LIBTORCH at a pip torch 2.13, the install step and the loader take its prebuild, and nothing of Debian\'s loads', () => {
  const install = installed.run([path.join(installed.pkg, 'scripts', 'install.js')], { LIBTORCH: pipTorchDir });
  expect(install.status).toBe(0);
  expect(install.stdout).toContain('keratorch: using the prebuilt addon prebuilds/linux-x64/keratorch.torch2.13.napi.node, ' +
    'built against libtorch 2.13.0 (CPU, pip torch or a libtorch archive), on libtorch 2.13.0+cpu');
  const out = runConsumer({ LIBTORCH: pipTorchDir });
  expect(out.addon).toBe(path.join(prebuilt, 'keratorch.torch2.13.napi.node'));
  expect(out.loaded.libDir).toBe(fs.realpathSync(pipTag?.torchLibDir ?? ''));
  expect(out.loaded.version).toBe('2.13.0+cpu');
  expect(out.loaded.libraries.length).toBeGreaterThanOrEqual(3);
  expect(out.loaded.libraries.filter((file) => !file.startsWith(pipTorchDir))).toEqual([]);
});

withPip('a pip torch found through python3 (KERATORCH_TORCH=python): its prebuild loads', () => {
  // The venv's python3 (<venv>/lib/python3.X/site-packages/torch -> <venv>/bin), first on PATH as after `source bin/activate`.
  const venvBin = path.resolve(pipTorchDir, '..', '..', '..', '..', 'bin');
  const out = runConsumer({ KERATORCH_TORCH: 'python', PATH: `${venvBin}:${installed.env().PATH}` });
  expect(out.addon).toBe(path.join(prebuilt, 'keratorch.torch2.13.napi.node'));
  expect(out.loaded.version).toBe('2.13.0+cpu');
});

withPip('an addon run on another libtorch version than its own: a clear error naming both, not a crash', () => {
  // A libtorch folder whose files say 2.99.0, holding the real 2.13 libraries: the addon loads, then the check refuses it.
  const fake = path.join(installed.work, 'torch-2.99');
  fs.mkdirSync(path.join(fake, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(fake, 'version.py'), "__version__ = '2.99.0'\n");
  for (const name of fs.readdirSync(pipTag?.torchLibDir ?? '')) {
    if (!fs.existsSync(path.join(fake, 'lib', name))) fs.symlinkSync(path.join(pipTag?.torchLibDir ?? '', name), path.join(fake, 'lib', name));
  }
  const result = installed.run(['-e', "require('keratorch')"],
    { KERATORCH_ADDON: path.join(prebuilt, 'keratorch.torch2.13.napi.node'), LIBTORCH: fake });
  expect(result.signal).toBeNull();
  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain(`was built against libtorch 2.13.0, but the libtorch loaded is libtorch 2.99.0 in ${path.join(fake, 'lib')}`);
  expect(result.stderr).toContain(`rebuild against this one (LIBTORCH=${fake} KERATORCH_BUILD_FROM_SOURCE=1 npm rebuild keratorch)`);
});
