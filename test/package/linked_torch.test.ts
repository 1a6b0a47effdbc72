/**
 * The addon under test links, and loads, exactly the libtorch its build chose, even where another
 * one is installed (Debian's libtorch-dev next to a pip torch, as on CI's second and third passes):
 * the dynamic loader's view of the build (keratorch.libs.json, written by cmake/CheckLinkedTorch.cmake
 * from ldd) and this process's loaded libraries both name only that libtorch's folder. And a
 * LIBTORCH that holds no libtorch stops the configure step with a message that says so.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildInfo } from '../../src';

const root = path.resolve(__dirname, '..', '..');
const info = buildInfo();
const isSourceBuild = fs.existsSync(path.join(path.dirname(info.addonPath), 'keratorch.libs.json'));
const maybe = isSourceBuild ? test : test.skip;
if (!isSourceBuild) console.warn(`linked-libtorch tests skipped: the addon under test (${info.addonPath}) has no keratorch.libs.json beside it (not a source build)`);
const torchDir = fs.realpathSync(info.torchLibDir);
const isTorchLibrary = (file: string) => /^lib(torch|c10)/.test(path.basename(file));

maybe(`the build resolves every libtorch library from the chosen libtorch (${info.torchSource})`, () => {
  const linked = JSON.parse(fs.readFileSync(path.join(path.dirname(info.addonPath), 'keratorch.libs.json'), 'utf8')) as
    { name: string; path: string }[];
  const torchLibraries = linked.filter((lib) => isTorchLibrary(lib.name));
  expect(torchLibraries.map((lib) => lib.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^libc10\.so/),
    expect.stringMatching(/^libtorch_cpu\.so/)]));
  expect(torchLibraries.filter((lib) => fs.realpathSync(path.dirname(lib.path)) !== torchDir)).toEqual([]);
});

maybe('this process loaded libtorch from that folder only, at the version it was built against', () => {
  const loaded = info.loaded.libraries.filter(isTorchLibrary);
  expect(loaded.length).toBeGreaterThanOrEqual(3);
  expect(loaded.filter((file) => fs.realpathSync(path.dirname(file)) !== torchDir)).toEqual([]);
  expect(info.loaded.libDir).toBe(torchDir);
  if (info.loaded.version) expect(info.loaded.version.split('.').slice(0, 2)).toEqual(info.torchVersion.split('.').slice(0, 2));
  // With Debian's libtorch also installed, a build against another one takes nothing of Debian's.
  if (info.torchSource !== 'system') expect(loaded.filter((file) => file.startsWith('/usr/lib'))).toEqual([]);
});

test('LIBTORCH at a folder without libtorch: configure stops and says what LIBTORCH should be', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-configure-'));
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js'), 'configure',
    '--out', out], { cwd: root, env: { ...process.env, LIBTORCH: out }, encoding: 'utf8', timeout: 120000 });
  fs.rmSync(out, { recursive: true, force: true });
  expect(result.status).not.toBe(0);
  expect(`${result.stdout}${result.stderr}`).toMatch(/keratorch: LIBTORCH=\S+ holds no TorchConfig\.cmake[\s\S]*For a pip torch,\s+LIBTORCH is its\s+site-packages\/torch folder/);
});
