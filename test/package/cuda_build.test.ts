/**
 * A CUDA build of the addon (LIBTORCH at a CUDA libtorch, e.g. pip's torch 2.14.1) on a machine with
 * or without a GPU: it loads, finds its CUDA runtime through its own run path (pip's nvidia-*
 * folders where those are the only CUDA libraries), `keratorch info` says what it has, and a
 * missing CUDA library is an error that names it and what to install. Runs where the source build
 * is a CUDA one (.ci/run's third pass); elsewhere it is skipped, and says so.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildInfo, cuda } from '../../src';
import { withMissingLibrary } from '../helpers/installed_package';

const root = path.resolve(__dirname, '..', '..');
const info = buildInfo();
const isCudaBuild = info.cudaCompiled && fs.existsSync(path.join(path.dirname(info.addonPath), 'keratorch.libs.json'));
const maybe = isCudaBuild ? test : test.skip;
if (!isCudaBuild) {
  console.warn('CUDA build tests skipped: the addon under test is not a CUDA build ' +
    '(LIBTORCH=$(scripts/get-torch.sh cuda) npm test runs them; .ci/run does)');
}

maybe('the CUDA runtime the addon loads is the one its build resolved (pip\'s, where it came with torch)', () => {
  const linked = JSON.parse(fs.readFileSync(path.join(path.dirname(info.addonPath), 'keratorch.libs.json'), 'utf8')) as
    { name: string; path: string }[];
  const cudart = linked.find((lib) => lib.name.startsWith('libcudart.so'));
  expect(cudart).toBeDefined();
  const loaded = info.loaded.libraries.find((file) => path.basename(file).startsWith('libcudart.so'));
  expect(loaded && fs.realpathSync(loaded)).toBe(fs.realpathSync(cudart?.path ?? ''));
  // A pip CUDA torch: the runtime comes from its nvidia-* packages, not from a system toolkit.
  if (fs.existsSync(path.join(info.torchLibDir, '..', '..', 'nvidia'))) expect(cudart?.path).toMatch(/\/nvidia\/[^/]+\/lib\//);
});

// A machine with pip's CUDA libraries only: /usr/local (where the CUDA toolkit lives) hidden behind an
// empty tmpfs in a mount namespace of its own (needs root and unshare; skipped, and said, elsewhere).
const canHide = isCudaBuild && spawnSync('unshare', ['--mount', 'sh', '-c', 'mount -t tmpfs none /usr/local'], { encoding: 'utf8' }).status === 0;
if (isCudaBuild && !canHide) console.warn('the "no CUDA toolkit" load test is skipped: unshare --mount needs root');
(canHide ? test : test.skip)('with no CUDA toolkit on the machine (/usr/local hidden), the addon loads on pip\'s CUDA libraries alone', () => {
  const script = `const { buildInfo, K } = require(${JSON.stringify(path.join(root, 'lib', 'index.js'))});
    const t = K.sum(K.ones([2, 3]));
    console.log(JSON.stringify({ sum: t.item(), libraries: buildInfo().loaded.libraries }));`;
  const result = spawnSync('unshare', ['--mount', 'sh', '-c', `mount -t tmpfs none /usr/local && exec "$0" -e "$1"`,
    process.execPath, script], { env: { ...process.env, KERATORCH_ADDON: info.addonPath }, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  const out = JSON.parse(result.stdout) as { sum: number; libraries: string[] };
  expect(out.sum).toBe(6);
  expect(out.libraries.filter((file) => file.startsWith('/usr/local'))).toEqual([]);
  expect(out.libraries.some((file) => /\/nvidia\/[^/]+\/lib\/libcudart\.so/.test(file))).toBe(true);
});

maybe('keratorch info: CUDA compiled in, and available only where a GPU is', () => {
  const out = spawnSync(process.execPath, [path.join(root, 'lib', 'cli', 'main.js'), 'info'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  expect(out.stdout).toContain(`CUDA:     compiled in, ${cuda.isAvailable() ? 'available' : 'not available'}`);
});

maybe('a missing CUDA library: the loader names it and what to install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-cuda-'));
  const addon = path.join(dir, 'keratorch.node');
  withMissingLibrary(info.addonPath, addon, 'libcudart.so', 'libcudaXX.so');
  const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'lib', 'native.js'))})`],
    { env: { ...process.env, KERATORCH_ADDON: addon }, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(result.signal).toBeNull();
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/The CUDA library libcudaXX\.so\.\d+ is missing/);
  expect(result.stderr).toContain("install pip's CUDA libraries with the torch it was built against");
});
