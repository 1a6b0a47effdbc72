// Step timing shared by the VIN engines: warm-up steps, then the median of the timed ones, as
// bench/vin_pytorch.py does. A time budget bounds the slow engines (tfjs on the CPU at 28x28).

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs `step` `warmup` times untimed, then up to `steps` times timed; once `budgetMs` has passed
 * since the first timed step, it stops (after at least one). `step` must return only when its work
 * is done (read a value back, or synchronize a device). Returns { ms (median), timed, warmup }.
 */
function timeSteps(step, { warmup = 2, steps = 5, budgetMs = Infinity } = {}) {
  for (let i = 0; i < warmup; i++) step();
  const times = [];
  const started = nowMs();
  while (times.length < steps && (times.length === 0 || nowMs() - started < budgetMs)) {
    const t = nowMs();
    step();
    times.push(nowMs() - t);
  }
  return { ms: Number(median(times).toFixed(3)), timed: times.length, warmup };
}

module.exports = { median, nowMs, timeSteps };
