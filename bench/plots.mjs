#!/usr/bin/env node
// npm run bench:plots: the PNG plots of docs/benchmarks.md, drawn from bench/results with Vega-Lite
// (specs compiled to Vega, rendered headless to SVG) and rasterized with resvg.
//   node bench/plots.mjs [--speed FILE] [--server FILE] [--out DIR]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

const here = path.dirname(fileURLToPath(import.meta.url));
const results = path.join(here, 'results');
const DEFAULTS = {
  speed: path.join(results, 'amd-epyc-2c-2026-11-28-12.json'),
  server: path.join(results, 'server-2c-2026-11-28.json'),
  out: path.join(here, '..', 'docs', 'benchmarks'),
};

function parseArgs(argv) {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in DEFAULTS) || !argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bench/plots.mjs: expected --speed FILE, --server FILE or --out DIR but received ${JSON.stringify(argv.slice(i, i + 2))}`);
    }
    options[name] = path.resolve(argv[i + 1]);
  }
  return options;
}

const ENGINE_NAMES = {
  'pytorch': 'PyTorch',
  'pytorch-reuse': 'PyTorch, glibc keeping freed memory',
  'keratorch-fused': 'keratorch fused',
  'keratorch-fused-unfolded': 'keratorch fused, h and r not folded',
  'keratorch-generic': 'keratorch generic',
  'keratorch-fused-sgd': 'keratorch fused, sgd',
  'keratorch-fused-adam': 'keratorch fused, adam',
  'tfjs-wasm': 'tfjs wasm',
  'tfjs-cpu': 'tfjs cpu',
};

/** One row per engine, grid and phase: time / PyTorch's (glibc keeping freed memory) time. */
function speedRows(bench) {
  const rows = [];
  for (const r of bench.vin) {
    for (const [phase, key] of [['training step', 'train_vs_reuse'], ['inference', 'infer_vs_reuse']]) {
      if (typeof r[key] === 'number') rows.push({ grid: `${r.grid}x${r.grid}`, engine: ENGINE_NAMES[r.engine] ?? r.engine, phase, ratio: r[key] });
    }
  }
  return rows;
}

function speedSpec(bench) {
  const engines = Object.values(ENGINE_NAMES);
  const rows = speedRows(bench);
  // Bars on a log scale need a domain that excludes 0: whole powers of ten around the data.
  const ratios = rows.map((r) => r.ratio);
  const domain = [10 ** Math.floor(Math.log10(Math.min(...ratios))), 10 ** Math.ceil(Math.log10(Math.max(...ratios)))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'VIN step time against PyTorch (glibc keeping freed memory), batch 128', subtitle: `${bench.machine.cpu}, ${bench.machine.cores} cores, ${bench.threads_requested} threads, libtorch ${bench.versions.libtorch}, ${bench.date.slice(0, 10)}; below 1 is faster` },
    data: { values: rows },
    facet: { column: { field: 'phase', type: 'nominal', title: null, sort: ['training step', 'inference'] } },
    spec: {
      width: 330, height: 260,
      layer: [
        { mark: 'bar',
          encoding: {
            x: { field: 'grid', type: 'ordinal', title: 'grid', sort: ['8x8', '16x16', '28x28'], axis: { labelAngle: 0 } },
            xOffset: { field: 'engine', sort: engines },
            y: { field: 'ratio', type: 'quantitative', scale: { type: 'log', domain }, title: 'time / PyTorch time (log scale)' },
            // From 1 (PyTorch's time): down is faster, up slower; a log-scale bar cannot start at 0.
            y2: { datum: 1 },
            color: { field: 'engine', type: 'nominal', sort: engines, legend: { orient: 'bottom', columns: 2, title: null, labelLimit: 0 } },
          } },
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
      ],
    },
    config: { font: 'DejaVu Sans', background: 'white' },
  };
}

function servingSpec(server) {
  const rows = server.runs.map((r) => ({ grid: `${r.grid}x${r.grid}`, connections: r.connections, batching: r.batching ? 'batching on' : 'batching off (maxBatch 1)', rps: r.requests_per_s }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Planning server: plans a second against connections (POST /plan, loopback)', subtitle: `${server.machine.cpu}, ${server.machine.cores} cores, ${server.date.slice(0, 10)}` },
    data: { values: rows },
    facet: { column: { field: 'grid', type: 'nominal', title: null, sort: ['16x16', '28x28'] } },
    spec: {
      width: 300, height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'connections', type: 'quantitative', scale: { type: 'log', base: 2 }, axis: { values: [...new Set(rows.map((r) => r.connections))] } },
        y: { field: 'rps', type: 'quantitative', title: 'requests / s' },
        color: { field: 'batching', type: 'nominal', legend: { orient: 'bottom', title: null, labelLimit: 0 } },
      },
    },
    config: { font: 'DejaVu Sans', background: 'white' },
  };
}

async function writePng(spec, file) {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG(2);
  view.finalize();
  const png = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  fs.writeFileSync(file, png);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${png.length} bytes)`);
}

const options = parseArgs(process.argv.slice(2));
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
fs.mkdirSync(options.out, { recursive: true });
await writePng(speedSpec(readJson(options.speed)), path.join(options.out, 'speed-vs-pytorch.png'));
await writePng(servingSpec(readJson(options.server)), path.join(options.out, 'serving-throughput.png'));
