/**
 * `npm run bench:plots` (bench/plots.mjs): the PNG plots of docs/benchmarks.md, drawn from bench/results.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const script = path.join(root, 'bench', 'plots.mjs');

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): [number, number] {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('draws both plots from bench/results as PNG files', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-plots-'));
  try {
    const run = spawnSync(process.execPath, [script, '--out', out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['serving-throughput.png', 'speed-vs-pytorch.png']);
    for (const name of ['serving-throughput.png', 'speed-vs-pytorch.png']) {
      const [width, height] = pngSize(path.join(out, name));
      expect(width).toBeGreaterThan(800);
      expect(height).toBeGreaterThan(400);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('refuses an unknown option, naming the known ones', () => {
  const run = spawnSync(process.execPath, [script, '--grid', '8'], { encoding: 'utf8' });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain('expected --speed FILE, --server FILE or --out DIR but received ["--grid","8"]');
});

test('the plots in docs/ are the ones docs/benchmarks.md shows', () => {
  const page = fs.readFileSync(path.join(root, 'docs', 'benchmarks.md'), 'utf8');
  for (const name of ['serving-throughput.png', 'speed-vs-pytorch.png']) {
    expect(page).toContain(`(benchmarks/${name})`);
    expect(fs.existsSync(path.join(root, 'docs', 'benchmarks', name))).toBe(true);
  }
});
