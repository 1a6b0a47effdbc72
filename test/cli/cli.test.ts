/**
 * The `keratorch` command end to end, as a child process (`node lib/cli/main.js`), in a temporary
 * folder on a small generated dataset: gen, train, eval (--json and text, and the paper's 8x8 test
 * file when present), plan with a PNG, info; usage errors (exit 2), failures (exit 1) and their
 * messages; a failed train leaves no model folder and no temporary folder behind.
 *
 * Needs `lib/`, which `npm test`'s set-up builds; without it every test here is skipped, saying why.
 * Each run loads libtorch (about a second), so independent commands run a few at a time.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cuda } from '../../src';
import { generateGridworld, loadDataset, saveDataset } from '../../src/vin';

const root = path.resolve(__dirname, '..', '..');
const main = path.join(root, 'lib', 'cli', 'main.js');
const built = fs.existsSync(main);
const withCli = built ? test : test.skip;
const cliNote = built ? '' : ` (skipped: ${main} not built; run npm run build:ts)`;

const originalTest = path.resolve(root, '..', 'shared', 'data', 'vin-original', 'gridworld_8_test.mat');
const hasOriginal = fs.existsSync(originalTest);
const withOriginal = built && hasOriginal ? test : test.skip;
const originalNote = !built ? cliNote : hasOriginal ? '' : ` (skipped: ${originalTest} not found)`;

const hasCuda = cuda.isAvailable();
const withoutCuda = built && !hasCuda ? test : test.skip;
const cudaNote = !built ? cliNote : hasCuda ? ' (skipped: CUDA is available here)' : '';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;

/** Runs `keratorch ...args` in the temporary folder. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the commands `limit` at a time; results in the commands' order. */
async function cliAll(commands: string[][], limit = 3): Promise<Run[]> {
  const results: Run[] = new Array(commands.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < commands.length) {
      const i = next++;
      results[i] = await cli(...commands[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** Names in the temporary folder that a failed or interrupted train must not leave. */
function partialFolders(): string[] {
  // The all-or-nothing save's temporary folders (src/io/atomic.ts), and the older .partial- ones.
  return fs.readdirSync(dir).filter((name) => name.includes('.partial-') || /^\..*\.(tmp|old)$/.test(name));
}

function describeRun(run: Run): string {
  return `exit ${run.status}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

/** Expects the exit status, with the run's output in the failure message. */
function expectStatus(run: Run, status: number): void {
  if (run.status !== status) throw new Error(`expected exit ${status} but got ${describeRun(run)}`);
}

let gen: Run;
let train: Run;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-cli-'));
  if (!built) return;
  gen = await cli('gen', '--grid', '8', '--domains', '60', '--seed', '3', '--out', 'small.npz');
  // A tiny 16x16 set, for a model of the wrong grid size.
  saveDataset(path.join(dir, 'small16.npz'), generateGridworld({ gridSize: 16, numDomains: 3, seed: 4 }));
  if (gen.status === 0) train = await cli('train', '--data', 'small.npz', '--epochs', '1', '--out', 'model');
}, 120_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('commands that work', () => {
  withCli(`gen writes an .npz of 60 8x8 maps and says so${cliNote}`, () => {
    expectStatus(gen, 0);
    expect(gen.stdout).toMatch(/^wrote small\.npz: 60 8x8 maps, \d+ expert paths, \d+ labelled states/);
    const ds = loadDataset(path.join(dir, 'small.npz'));
    expect([ds.gridSize, ds.numDomains]).toEqual([8, 60]);
  });

  withCli(`train --epochs 1 saves model.json, weights.safetensors and training.json, and nothing else${cliNote}`, () => {
    expectStatus(train, 0);
    expect(train.stdout).toMatch(/training a 8x8 VIN \(k=10\)/);
    expect(train.stdout).toContain(`saved to ${path.join(dir, 'model')}`);
    expect(train.stdout).toMatch(/validation: accuracy [\d.]+%, success [\d.]+%, trajectory diff/);
    expect(fs.readdirSync(path.join(dir, 'model')).sort()).toEqual(['model.json', 'training.json', 'weights.safetensors']);
    const training = JSON.parse(fs.readFileSync(path.join(dir, 'model', 'training.json'), 'utf8'));
    expect(training).toMatchObject({ epochs: 1, gridSize: 8, k: 10, device: 'cpu', data: 'small.npz', trainMaps: 54 });
    expect(partialFolders()).toEqual([]);
  });

  describe('eval, plan and info on the trained model', () => {
    let runs: Record<'json' | 'autoJson' | 'plan' | 'info', Run>;
    beforeAll(async () => {
      if (!built) return;
      const [json, autoJson, plan, info] = await cliAll([
        ['eval', '--model', 'model', '--data', 'small.npz', '--json'],
        ['eval', '--model', 'model', '--data', 'small.npz', '--json', '--k', 'auto'],
        ['plan', '--model', 'model', '--data', 'small.npz', '--index', '0', '--png', 'out.png', '--k', '30'],
        ['info'],
      ]);
      runs = { json, autoJson, plan, info };
    }, 120_000);

    withCli(`eval --json prints {n, accuracy, successRate, trajectoryDiff} with values in range${cliNote}`, () => {
      expectStatus(runs.json, 0);
      const result = JSON.parse(runs.json.stdout);
      expect(Object.keys(result).sort()).toEqual(['accuracy', 'n', 'successRate', 'trajectoryDiff']);
      expect(result.n).toBe(loadDataset(path.join(dir, 'small.npz')).pathDomain.length);
      expect(result.accuracy).toBeGreaterThanOrEqual(0);
      expect(result.accuracy).toBeLessThanOrEqual(1);
      expect(result.successRate).toBeGreaterThanOrEqual(0);
      expect(result.successRate).toBeLessThanOrEqual(1);
      // NaN (printed as null) only when nothing succeeded; a success is at most twice the expert's length.
      if (result.successRate > 0) {
        expect(typeof result.trajectoryDiff).toBe('number');
        expect(Math.abs(result.trajectoryDiff)).toBeLessThan(2 * 8 * 8);
      }
    });

    withCli(`eval --k auto --json plans with the adaptive k: the same metrics' keys, in range${cliNote}`, () => {
      expectStatus(runs.autoJson, 0);
      const result = JSON.parse(runs.autoJson.stdout);
      expect(Object.keys(result).sort()).toEqual(['accuracy', 'n', 'successRate', 'trajectoryDiff']);
      // Accuracy is the model's own forward at its training k; only the rollouts change.
      expect(result.accuracy).toBe(JSON.parse(runs.json.stdout).accuracy);
      expect(result.successRate).toBeGreaterThanOrEqual(0);
      expect(result.successRate).toBeLessThanOrEqual(1);
    });

    withCli(`plan --index 0 --png out.png --k 30 writes a PNG and prints its path, its k and why it ended${cliNote}`, () => {
      expectStatus(runs.plan, 0);
      const file = path.join(dir, 'out.png');
      expect(runs.plan.stdout).toContain(`picture: ${file}`);
      expect(runs.plan.stdout).toMatch(/^path 0 on map 0: start \[\d,\d\] goal \[\d,\d\]/);
      expect(runs.plan.stdout).toMatch(/planned \(\d+ steps, k 30, (reached the goal|did NOT reach the goal: [^)]+)\)/);
      expect(runs.plan.stdout).toMatch(/expert {2}\(\d+ steps\)/);
      const png = fs.readFileSync(file);
      expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length).toBeGreaterThan(1000);
      expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    withCli(`info prints the version, libtorch, CUDA, devices, CPU kernels and cache${cliNote}`, () => {
      expectStatus(runs.info, 0);
      const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
      expect(runs.info.stdout).toContain(`keratorch ${version} (node ${process.version})`);
      expect(runs.info.stdout).toMatch(/libtorch: \S+/);
      expect(runs.info.stdout).toMatch(/CUDA: +(compiled in|not compiled in), (available|not available)/);
      expect(runs.info.stdout).toMatch(/devices: +cpu/);
      expect(runs.info.stdout).toMatch(/kernels: +fused value iteration on the CPU: (avx512|avx2|baseline)/);
      expect(runs.info.stdout).toMatch(/cpu cache: large blocks kept for reuse, up to 2048 MiB/);
    });
  });

  withOriginal(`eval on the paper's gridworld_8_test.mat: 1000 paths, metrics in range${originalNote}`, async () => {
    const run = await cli('eval', '--model', 'model', '--data', originalTest, '--json');
    expectStatus(run, 0);
    const result = JSON.parse(run.stdout);
    expect(result.n).toBe(1000);
    for (const key of ['accuracy', 'successRate']) {
      expect(result[key]).toBeGreaterThanOrEqual(0);
      expect(result[key]).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});

describe('errors: usage errors exit 2, failures exit 1, each with a message', () => {
  const cases: [string, string[], number, RegExp[]][] = [
    ['an unknown command', ['frob'], 2, [/keratorch: unknown command "frob"/, /usage: keratorch <command>/]],
    ['a missing required option', ['eval', '--data', 'small.npz'], 2,
      [/keratorch eval: --model is required/, /usage: keratorch eval \[options\]/]],
    ['a bad number', ['gen', '--grid', 'eight', '--out', 'x.npz'], 2,
      [/keratorch gen: expected an integer in \[4, 46340\] for --grid but received "eight"/]],
    ['a grid the generator refuses (the CLI checks the generator\'s limits)', ['gen', '--grid', '3', '--out', 'x.npz'], 2,
      [/keratorch gen: expected an integer in \[4, 46340\] for --grid but received "3"/]],
    ['a negative number as a value', ['gen', '--grid', '8', '--seed', '-1', '--out', 'x.npz'], 2,
      [/keratorch gen: expected an integer >= 0 for --seed but received "-1"/]],
    ['a learning rate that is not positive', ['train', '--data', 'small.npz', '--lr', '-0.5', '--out', 'x'], 2,
      [/keratorch train: expected a positive number for --lr but received "-0\.5"/]],
    ['an impossible number of maps', ['gen', '--grid', '8', '--domains', '1e12', '--out', 'x.npz'], 1,
      [/^keratorch gen: generateGridworld: expected at most \d+ maps of 8x8 .* bytes.* for numDomains but received 1000000000000\n$/]],
    ['gen --out into a missing folder', ['gen', '--grid', '8', '--domains', '5', '--out', 'no-such-dir/x.npz'], 1,
      [/^keratorch gen: cannot write --out "no-such-dir\/x\.npz": the folder \S*no-such-dir does not exist\n$/]],
    ['a k above the limit', ['eval', '--model', 'model', '--data', 'small.npz', '--k', '10001'], 2,
      [/keratorch eval: expected an integer in \[1, 10000\] for --k but received "10001"/]],
    ['plan --png into a missing folder', ['plan', '--model', 'model', '--data', 'small.npz', '--png', 'no-such-dir/p.png'], 1,
      [/^keratorch plan: cannot write --png "no-such-dir\/p\.png": the folder \S*no-such-dir does not exist\n$/]],
    ['train --out under a file, found before training', ['train', '--data', 'small.npz', '--out', 'small.npz/m'], 1,
      [/^keratorch train: cannot write --out "small\.npz\/m": \S*small\.npz is not a folder\n$/]],
    ['a folder given as the data file', ['eval', '--model', 'model', '--data', 'folder.npz'], 1,
      [/^keratorch eval: [^\n]+\n$/]],
    ['a missing data file', ['eval', '--model', 'model', '--data', 'nope.npz'], 2,
      [/keratorch eval: the data file "nope\.npz" does not exist/]],
    ['a missing model folder', ['eval', '--model', 'no-such-model', '--data', 'small.npz'], 1,
      [/keratorch eval: loadModel: cannot read "no-such-model\/model\.json"/]],
    ['an 8x8 model on 16x16 data (eval)', ['eval', '--model', 'model', '--data', 'small16.npz'], 1,
      [/keratorch eval: evaluate: the model plans on 8x8 maps but the data is 16x16/]],
  ];
  let runs: Run[];
  beforeAll(async () => {
    if (!built) return;
    fs.mkdirSync(path.join(dir, 'folder.npz'));
    runs = await cliAll(cases.map(([, args]) => args));
  }, 120_000);

  cases.forEach(([what, args, status, messages], i) => {
    withCli(`${what}: keratorch ${args.join(' ')} exits ${status}${cliNote}`, () => {
      const run = runs[i];
      expectStatus(run, status);
      for (const message of messages) expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(run.stdout).not.toMatch(/^training a /m); // failures found from the options come before any work
    });
  });

  withCli(`nothing was written by the failed commands${cliNote}`, () => {
    expect(fs.existsSync(path.join(dir, 'x.npz'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'no-such-dir'))).toBe(false);
  });
});

describe('failed trains', () => {
  withoutCuda(`--device cuda without CUDA exits 1, says CUDA is not available, and writes nothing${cudaNote}`, async () => {
    const run = await cli('train', '--data', 'small.npz', '--epochs', '1', '--device', 'cuda', '--out', 'on-cuda');
    expectStatus(run, 1);
    expect(run.stderr).toMatch(/keratorch train: --device cuda but CUDA is not available here/);
    expect(fs.existsSync(path.join(dir, 'on-cuda'))).toBe(false);
    expect(partialFolders()).toEqual([]);
  }, 60_000);

  withCli(`train --lr 1e30 stops at the first non-finite loss, exits 1 naming epoch, batch and loss, and saves nothing${cliNote}`,
    async () => {
      const run = await cli('train', '--data', 'small.npz', '--epochs', '3', '--lr', '1e30', '--out', 'diverged');
      expectStatus(run, 1);
      expect(run.stderr).toMatch(
        /^keratorch train: training stopped at epoch 1, batch \d+: the loss is (NaN|-?Infinity); nothing was saved/);
      expect(run.stdout).not.toMatch(/Epoch 2\//);
      expect(fs.existsSync(path.join(dir, 'diverged'))).toBe(false);
      expect(partialFolders()).toEqual([]);
    }, 60_000);

  withCli(`a train that fails once started (16x16 validation data) leaves no model folder, no .partial- folder${cliNote}`, async () => {
    const run = await cli('train', '--data', 'small.npz', '--val-data', 'small16.npz', '--epochs', '1', '--out', 'failed');
    expectStatus(run, 1);
    expect(run.stderr).toMatch(/keratorch train: fit: expected an array of shape \(None, 2, 8, 8\)/);
    expect(fs.existsSync(path.join(dir, 'failed'))).toBe(false);
    expect(partialFolders()).toEqual([]);
  }, 60_000);

  withCli(`a train whose save fails keeps the previous model folder whole, with no temporary folder${cliNote}`, async () => {
    const out = path.join(dir, 'blocked');
    fs.mkdirSync(path.join(out, 'model.json'), { recursive: true });
    fs.writeFileSync(path.join(out, 'weights.safetensors'), 'old weights');
    const run = await cli('train', '--data', 'small.npz', '--epochs', '1', '--out', 'blocked');
    expectStatus(run, 1);
    expect(run.stderr).toMatch(/^keratorch train: save: .*model\.json.* is a folder/);
    expect(run.stderr).not.toMatch(/\n\s+at /);  // one line, no stack trace
    expect(fs.readFileSync(path.join(out, 'weights.safetensors'), 'utf8')).toBe('old weights');
    expect(fs.readdirSync(out).sort()).toEqual(['model.json', 'weights.safetensors']);
    expect(partialFolders()).toEqual([]);
  }, 60_000);
});
