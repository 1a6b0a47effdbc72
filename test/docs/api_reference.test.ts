/**
 * `npm run docs`: TypeDoc builds the API reference from the JSDoc of the public entry (src/index.ts)
 * with typedoc.json, whose warnings are errors: the reference builds with no warning.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const typedoc = path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');

function runTypedoc(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [typedoc, '--options', path.join(root, 'typedoc.json'), ...args],
    { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

let out: string;
beforeAll(() => { out = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-api-')); });
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test('the public API builds without a warning, with a page per class', () => {
  const { status, output } = runTypedoc(['--out', path.join(out, 'api')]);
  expect(output).not.toMatch(/warning|error/i);
  expect(status).toBe(0);
  for (const page of ['index.html', 'classes/Model.html', 'classes/Dense.html', 'functions/loadPlanner.html']) {
    expect(fs.existsSync(path.join(out, 'api', page))).toBe(true);
  }
  const model = fs.readFileSync(path.join(out, 'api', 'classes', 'Model.html'), 'utf8');
  expect(model).toContain('predictAsync');
}, 120000);
