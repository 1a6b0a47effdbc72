/**
 * The CLI's option helpers in-process: negative numbers as option values, safe integers only, the
 * output-path check made before any work, and the one-line report of a failure of any kind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KeratorchError } from '../../src';
import { checkOutputPath, failureReport, intOption, OptionSpec, parseOptions, UsageError } from '../../src/cli/args';

const spec: OptionSpec = {
  seed: { type: 'string', help: 'a seed' },
  lr: { type: 'string', help: 'a rate' },
  json: { type: 'boolean', help: 'a flag' },
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-cli-args-'));
  fs.writeFileSync(path.join(dir, 'file'), '');
  fs.mkdirSync(path.join(dir, 'folder'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a negative number after a string option is its value (node would call it ambiguous)', () => {
  expect(parseOptions('gen', ['--seed', '-1', '--lr', '-.5', '--json'], spec)).toEqual({ seed: '-1', lr: '-.5', json: true });
  // Anything else starting with a dash is still an option, and an unknown one a usage error.
  expect(() => parseOptions('gen', ['--seed', '-x'], spec)).toThrow(UsageError);
  expect(() => parseOptions('gen', ['--json', '-1'], spec)).toThrow(UsageError);
});

test('integer options are safe integers in range, named with the value received', () => {
  expect(intOption('gen', 'seed', '12', 0, 0)).toBe(12);
  expect(() => intOption('gen', 'seed', '-1', 0, 0)).toThrow('keratorch gen: expected an integer >= 0 for --seed but received "-1"');
  expect(() => intOption('train', 'epochs', '1e300', 30)).toThrow('expected an integer >= 1 for --epochs but received "1e300"');
});

test('output paths are checked before the work: the folder must exist and be a folder, the target of the right kind', () => {
  const missing = path.join(dir, 'missing', 'x.npz');
  const cases: [string, 'file' | 'folder', RegExp][] = [
    [missing, 'file', /^cannot write --out ".*missing\/x\.npz": the folder .*missing does not exist$/],
    [path.join(dir, 'file', 'm'), 'folder', /^cannot write --out ".*file\/m": .*file is not a folder$/],
    [path.join(dir, 'folder'), 'file', /^cannot write --out ".*folder": .*folder is a folder$/],
    [path.join(dir, 'file'), 'folder', /^cannot write --out ".*file": .*file is a file, not a folder$/],
  ];
  for (const [target, kind, message] of cases) {
    let caught: unknown;
    try {
      checkOutputPath('train', 'out', target, kind);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeratorchError);
    expect((caught as KeratorchError).message).toMatch(message);
  }
  expect(checkOutputPath('train', 'out', path.join(dir, 'folder'), 'folder')).toBe(path.join(dir, 'folder'));
  expect(checkOutputPath('gen', 'out', path.join(dir, 'new.npz'), 'file')).toBe(path.join(dir, 'new.npz'));
  expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
});

test('a failure of any kind is reported on one line; the stack only when asked for', () => {
  const range = new RangeError('Invalid typed array length: 1e14');
  expect(failureReport('gen', range, false)).toBe('keratorch gen: RangeError: Invalid typed array length: 1e14');
  expect(failureReport('gen', new KeratorchError('fit: expected X for y but received z', 'ERR_ARGUMENT', 'fit'), false))
    .toBe('keratorch gen: fit: expected X for y but received z');
  expect(failureReport('plan', 'a string', false)).toBe('keratorch plan: a string');
  const withStack = failureReport('gen', range, true).split('\n');
  expect(withStack[0]).toBe('keratorch gen: RangeError: Invalid typed array length: 1e14');
  expect(withStack.slice(1).some((line) => /^\s+at /.test(line))).toBe(true);
});
