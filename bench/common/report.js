// The benchmark's results: ratios to PyTorch, the printed tables, and the JSON file.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { formatOpOverhead } = require('./op-overhead');

function ratio(ms, baselineMs) {
  return ms == null || baselineMs == null ? null : Number((ms / baselineMs).toFixed(3));
}

/** Each VIN record with its train and infer ratios to PyTorch's at the same grid. */
function withRatios(vinRecords) {
  const pytorch = new Map(vinRecords.filter((r) => r.engine === 'pytorch').map((r) => [r.grid, r]));
  return vinRecords.map((r) => ({ ...r, train_vs_pytorch: ratio(r.train_ms, pytorch.get(r.grid)?.train_ms),
    infer_vs_pytorch: ratio(r.infer_ms, pytorch.get(r.grid)?.infer_ms) }));
}

/** { vin: { <grid>: { <engine>: { train, infer } } }, ops: { <op>: ratio } }: the figures the targets name. */
function ratioSummary(vinRows, ops) {
  const vin = {};
  for (const r of vinRows) {
    if (r.engine === 'pytorch') continue;
    vin[r.grid] = { ...vin[r.grid], [r.engine]: { train: r.train_vs_pytorch, infer: r.infer_vs_pytorch } };
  }
  return { vin, ops: ops ? Object.fromEntries(ops.rows.map((row) => [row.op, row.ratio])) : null };
}

function cell(value, digits, width) {
  return (value == null ? '-' : value.toFixed(digits)).padStart(width);
}

/** The VIN table: a row per grid and engine, sorted by grid in the engines' order. */
function formatVinTable(rows, engineOrder) {
  const sorted = [...rows].sort((a, b) => a.grid - b.grid || engineOrder.indexOf(a.engine) - engineOrder.indexOf(b.engine));
  const lines = ['grid   k  engine                    train ms  ×PyTorch   infer ms  ×PyTorch  threads  timed (warm-up) steps: train, infer'];
  for (const r of sorted) {
    const rounds = r.rounds > 1 ? `; median of ${r.rounds} rounds` : '';
    const steps = `${r.train_steps ?? '-'} (${r.train_warmup ?? '-'}), ${r.infer_steps ?? '-'} (${r.infer_warmup ?? '-'})${rounds}`;
    lines.push(`${String(r.grid).padStart(4)} ${String(r.k).padStart(3)}  ${r.engine.padEnd(24)}` +
      `${cell(r.train_ms, 1, 10)}${cell(r.train_vs_pytorch, 2, 10)}${cell(r.infer_ms, 1, 11)}` +
      `${cell(r.infer_vs_pytorch, 2, 10)}${String(r.threads).padStart(9)}  ${steps}`);
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
    `median ms a step (×PyTorch: time / PyTorch's time at the same grid)`];
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
