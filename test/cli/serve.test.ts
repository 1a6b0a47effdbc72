/**
 * `keratorch serve` as a child process (`node lib/cli/main.js serve`): it listens on a free port,
 * plans a map over HTTP, answers /healthz, and exits 0 on SIGTERM; unknown or bad options are usage
 * errors (exit 2), a port in use a one-line failure (exit 1).
 *
 * Needs `lib/`, which `npm test`'s set-up builds; without it every test here is skipped, saying why.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const main = path.join(root, 'lib', 'cli', 'main.js');
const built = fs.existsSync(main);
const withCli = built ? test : test.skip;
const note = built ? '' : ` (skipped: ${main} not built; run npm run build:ts)`;
const MODEL = path.join(root, 'models', 'vin-8x8');

/** Resolves with the server's base URL once `keratorch serve` prints its line. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /keratorch serve: vin-8x8 \(8x8\) on (http:\/\/127\.0\.0\.1:\d+) \{/.exec(out);
      if (url) resolve(url[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`keratorch serve exited ${code} before listening: ${out}${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function cli(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });
}

withCli(`serve --port 0 listens on a free port, plans one map over HTTP, and stops on SIGTERM${note}`, async () => {
  const child = spawn(process.execPath, [main, 'serve', '--model', MODEL, '--port', '0', '--max-batch', '4'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await listening(child);
    const obstacles = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i % 7 === 0 || j % 7 === 0 ? 1 : 0)));
    const response = await fetch(`${url}/plan`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ obstacles, start: [1, 1], goal: [6, 6] }),
    });
    expect(response.status).toBe(200);
    const plan = await response.json() as { path: number[][]; reached: boolean; ended: string; k: number };
    expect(plan.reached).toBe(true);
    expect(plan.ended).toBe('reached');
    expect(plan.path[0]).toEqual([1, 1]);
    expect(plan.path.at(-1)).toEqual([6, 6]);
    const health = await (await fetch(`${url}/healthz`)).json() as { model: string; gridSize: number; serving: { maxBatch: number } };
    expect(health).toMatchObject({ model: 'vin-8x8', gridSize: 8, serving: { maxBatch: 4 } });
    const code = exited(child);
    child.kill('SIGTERM');
    expect(await code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

withCli(`an unknown option or a bad port is a usage error naming it, with the options listed${note}`, async () => {
  const [unknown, badPort] = await Promise.all([cli('serve', '--prot', '3000'), cli('serve', '--port', '70000')]);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('keratorch serve: Unknown option \'--prot\'');
  expect(unknown.stderr).toContain('--model <value>');
  expect(unknown.stderr).toContain('--max-batch <value>');
  expect(badPort.status).toBe(2);
  expect(badPort.stderr).toContain('keratorch serve: expected an integer in [0, 65535] for --port but received "70000"');
});

withCli(`a port in use fails with one line and exit code 1${note}`, async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const port = (blocker.address() as net.AddressInfo).port;
    const run = await cli('serve', '--model', MODEL, '--port', String(port));
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^keratorch serve: .*EADDRINUSE/)]);
  } finally {
    blocker.close();
  }
});
