// The benchmark's results: ratios to PyTorch, the printed tables, and the JSON file.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { formatOpOverhead } = require('./op-overhead');
const { medianOrNull } = require('./rounds');

// The baselines every VIN figure is divided by: PyTorch as it runs by default, and `pytorch-reuse`
// (PyTorch with glibc keeping freed memory, as keratorch's allocator does; see engines.js).
const BASELINES = [['pytorch', 'vs_pytorch'], ['pytorch-reuse', 'vs_reuse']];

/**
 * The ratio of one engine's figures to a baseline's, round by round (`_rounds` arrays indexed by
 * round, as rounds.js makes them): { median over the rounds where both have a figure, each ratio }.
 */
function pairedRatio(figures, baselineFigures) {
  const each = (figures ?? []).map((ms, i) => {
    const base = baselineFigures?.[i];
    return ms == null || base == null ? null : Number((ms / base).toFixed(3));
  });
  return { median: medianOrNull(each), each };
}

/**
 * Each VIN record with its train and infer ratios to PyTorch's and to pytorch-reuse's at the same
 * grid (train_vs_pytorch, infer_vs_reuse, ...): the median over rounds of the ratio within each
 * round, with the per-round ratios kept (train_vs_pytorch_rounds, ...).
 */
function withRatios(vinRecords) {
  const find = (engine, grid) => vinRecords.find((r) => r.engine === engine && r.grid === grid);
  return vinRecords.map((r) => {
    const ratios = {};
    for (const [engine, suffix] of BASELINES) {
      const base = find(engine, r.grid);
      for (const phase of ['train', 'infer']) {
        const { median, each } = pairedRatio(r[`${phase}_ms_rounds`], base?.[`${phase}_ms_rounds`]);
        ratios[`${phase}_${suffix}`] = median;
        ratios[`${phase}_${suffix}_rounds`] = each;
      }
    }
    return { ...r, ...ratios };
  });
}

/**
 * { vin: { <grid>: { <engine>: { train, infer, train_vs_reuse, infer_vs_reuse } } }, ops: { <op>: ratio } }:
 * the figures the targets name (train and infer against default PyTorch).
 */
function ratioSummary(vinRows, ops) {
  const vin = {};
  for (const r of vinRows) {
    if (r.engine === 'pytorch') continue;
    vin[r.grid] = { ...vin[r.grid], [r.engine]: { train: r.train_vs_pytorch, infer: r.infer_vs_pytorch,
      train_vs_reuse: r.train_vs_reuse, infer_vs_reuse: r.infer_vs_reuse } };
  }
  return { vin, ops: ops ? Object.fromEntries(ops.rows.map((row) => [row.op, row.ratio])) : null };
}

function cell(value, digits, width) {
  return (value == null ? '-' : value.toFixed(digits)).padStart(width);
}

/** The VIN table: a row per grid and engine, sorted by grid in the engines' order. */
function formatVinTable(rows, engineOrder) {
  const sorted = [...rows].sort((a, b) => a.grid - b.grid || engineOrder.indexOf(a.engine) - engineOrder.indexOf(b.engine));
  const lines = ['grid   k  engine                    train ms  ×PyTorch    ×reuse   infer ms  ×PyTorch    ×reuse  threads  ' +
    'timed (warm-up) steps: train, infer'];
  for (const r of sorted) {
    const rounds = r.rounds > 1 ? `; median of ${r.rounds} rounds` : '';
    const steps = `${r.train_steps ?? '-'} (${r.train_warmup ?? '-'}), ${r.infer_steps ?? '-'} (${r.infer_warmup ?? '-'})${rounds}`;
    lines.push(`${String(r.grid).padStart(4)} ${String(r.k).padStart(3)}  ${r.engine.padEnd(24)}` +
      `${cell(r.train_ms, 1, 10)}${cell(r.train_vs_pytorch, 2, 10)}${cell(r.train_vs_reuse, 2, 10)}` +
      `${cell(r.infer_ms, 1, 11)}${cell(r.infer_vs_pytorch, 2, 10)}${cell(r.infer_vs_reuse, 2, 10)}` +
      `${String(r.threads).padStart(9)}  ${steps}`);
  }
  const notes = new Set(); // why a figure is missing, once an engine and phase
  for (const r of sorted) {
    for (const phase of ['train', 'infer']) if (r[`${phase}_error`]) notes.add(`${r.engine} cannot ${phase}: ${r[`${phase}_error`]}`);
  }
  return [...lines, ...notes].join('\n');
}

/** Everything the run printed, as one text. */
function formatReport(results, engineOrder) {
  const parts = [`VIN, batch ${results.batch}, ${results.device}${results.device_name ? ` (${results.device_name})` : ''}, ` +
    `median ms a step (×PyTorch, ×reuse: time / the time of pytorch or pytorch-reuse at the same grid in the ` +
    `same round, the median over rounds)`];
  if (results.vin.length > 0) parts.push(formatVinTable(results.vin, engineOrder));
  if (results.ops) {
    const rounds = results.ops.rounds > 1 ? `, then the median of ${results.ops.rounds} rounds` : '';
    parts.push(`\nPer-op overhead (µs a call, medians of 7 runs${rounds}):\n${formatOpOverhead(results.ops)}`);
  }
  if (results.skipped.length + results.failures.length > 0) parts.push('');
  for (const { engine, reason } of results.skipped) parts.push(`${engine} skipped: ${reason}`);
  for (const { engine, reason } of results.failures) parts.push(`${engine} FAILED: ${reason}`);
  return parts.join('\n');
}

/** The machine the figures belong to. */
function machineFacts() {
  const cpus = os.cpus();
  return { hostname: os.hostname(), cpu: cpus[0]?.model ?? 'unknown', cores: os.availableParallelism?.() ?? cpus.length,
    memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)), platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version };
}

function slug(text) {
  return String(text).toLowerCase().replace(/\(r\)|\(tm\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** bench/results/<cpu model or GPU>-<date>.json; a second run the same day gets -2, -3, ... */
function resultsPath(results, folder) {
  const machine = results.device === 'cpu' ? `${slug(results.machine.cpu)}-${results.machine.cores}c` : slug(results.device_name ?? results.device);
  const base = path.join(folder, `${machine}-${results.date.slice(0, 10)}`);
  let file = `${base}.json`;
  for (let n = 2; fs.existsSync(file); n++) file = `${base}-${n}.json`;
  return file;
}

/** Writes the JSON through a temporary file, so an interrupted run leaves no half-written results. */
function writeResults(results, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

module.exports = { withRatios, ratioSummary, formatReport, machineFacts, resultsPath, writeResults };
