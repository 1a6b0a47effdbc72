/**
 * Every file reader reads regular files only: a FIFO (which a plain open waits on for a writer,
 * forever), a device (`/dev/zero` never ends) or a folder is refused at once with a KeratorchError
 * naming the function, the path and what it is. Before the fix each of these reads hung, so they run
 * in a child process with a timeout: a regression fails the test instead of hanging the suite.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readRegularFile, withRegularFile } from '../../src/io/read_file';
import { expectError } from '../helpers/errors';

const lib = path.resolve(__dirname, '../../lib/index.js');
const canRun = fs.existsSync(lib) && process.platform !== 'win32';
const withLib = canRun ? test : test.skip;
const note = canRun ? '' : ' (skipped: lib/ not built (npm run build:ts), or no FIFOs on Windows)';

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-read-file-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

/** Runs each `[function, path]` read in one child process; returns each error's name and message. */
function readInChild(calls: [string, string][]): { name: string; message: string }[] {
  const script = `
    const k = require(${JSON.stringify(lib)});
    const results = [];
    for (const [fn, file] of ${JSON.stringify(calls)}) {
      try { k[fn](file); results.push({ name: 'none', message: fn + ' returned' }); }
      catch (error) { results.push({ name: error.name, message: error.message }); }
    }
    console.log(JSON.stringify(results));`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
  expect({ signal: child.signal, status: child.status, stderr: child.stderr.slice(0, 400) })
    .toEqual({ signal: null, status: 0, stderr: '' });
  return JSON.parse(child.stdout.trim());
}

describe('readers refuse anything but a regular file', () => {
  withLib(`a FIFO, /dev/zero behind a link, and a folder, for every reader${note}`, () => {
    const fifo = path.join(tmp, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(tmp, 'zero');
    fs.symlinkSync('/dev/zero', zero);
    const readers = ['loadNpy', 'loadNpz', 'readMat', 'loadSafetensors', 'loadDataset', 'loadOriginalGridworld'];
    const calls: [string, string][] = readers.flatMap((fn) => [[fn, fifo], [fn, zero], [fn, tmp]] as [string, string][]);
    const results = readInChild(calls);
    calls.forEach(([fn, file], i) => {
      const what = file === fifo ? 'a FIFO' : file === zero ? 'a character device' : 'a directory';
      const named = fn === 'loadOriginalGridworld' ? 'readMat' : fn; // its documented errors are readMat's
      expect([fn, results[i]]).toEqual([fn, {
        name: 'KeratorchError',
        message: expect.stringContaining(`${named}: cannot read ${JSON.stringify(file)}: it is ${what}, not a regular file`),
      }]);
    });
  });

  withLib(`loadModel: weights.safetensors a FIFO or a link to /dev/zero, model.json a FIFO${note}`, () => {
    const model = path.join(tmp, 'model');
    const script = `const k = require(${JSON.stringify(lib)});
      new k.Sequential([new k.Dense({ units: 2, inputShape: [3] })]).save(${JSON.stringify(model)});`;
    expect(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 }).status).toBe(0);
    // A copy of the saved model with `file` replaced by what `make` puts at its path.
    const copyWith = (name: string, file: string, make: (at: string) => void): string => {
      const dir = path.join(tmp, name);
      fs.cpSync(model, dir, { recursive: true });
      fs.rmSync(path.join(dir, file));
      make(path.join(dir, file));
      return dir;
    };
    const mkfifo = (at: string) => execFileSync('mkfifo', [at]);
    const weights = copyWith('weights-fifo', 'weights.safetensors', mkfifo);
    const zeros = copyWith('weights-zero', 'weights.safetensors', (at) => fs.symlinkSync('/dev/zero', at));
    const config = copyWith('config-fifo', 'model.json', mkfifo);
    const results = readInChild([['loadModel', weights], ['loadModel', zeros], ['loadModel', config]]);
    expect(results.map((r) => r.name)).toEqual(['KeratorchError', 'KeratorchError', 'KeratorchError']);
    expect(results[0].message).toContain(
      `cannot read ${JSON.stringify(path.join(weights, 'weights.safetensors'))}: it is a FIFO, not a regular file`);
    expect(results[1].message).toContain('weights.safetensors": it is a character device, not a regular file');
    expect(results[2].message).toBe(
      `loadModel: cannot read ${JSON.stringify(path.join(config, 'model.json'))}: it is a FIFO, not a regular file`);
  });
});

describe('readRegularFile and withRegularFile', () => {
  test('read a file whole, or exact ranges of it, and refuse reads past the size it had when opened', () => {
    const file = path.join(tmp, 'bytes');
    fs.writeFileSync(file, Buffer.from([1, 2, 3, 4, 5]));
    expect([...readRegularFile('f', file)]).toEqual([1, 2, 3, 4, 5]);
    expect(withRegularFile('f', file, (f) => [f.size, [...f.read(1, 3)]])).toEqual([5, [2, 3, 4]]);
    expectError(() => withRegularFile('f', file, (f) => f.read(3, 3)), 'ERR_ARGUMENT',
      `f: cannot read ${JSON.stringify(file)}: bytes [3, 6) lie past its end (5 bytes)`);
    expectError(() => readRegularFile('f', file, 4), 'ERR_ARGUMENT', 'it is 5 bytes, more than the 4 bytes');
    expectError(() => readRegularFile('f', path.join(tmp, 'missing')), 'ERR_ARGUMENT', 'f: cannot read', 'ENOENT');
  });

  test('a file that shrinks while it is read is refused, not read short', () => {
    const file = path.join(tmp, 'shrinks');
    fs.writeFileSync(file, Buffer.alloc(100));
    expectError(() => withRegularFile('f', file, (f) => {
      fs.truncateSync(file, 10);
      return f.read(0, f.size);
    }), 'ERR_ARGUMENT', 'it ended after 10 bytes, though it had 100 when opened');
  });
});
