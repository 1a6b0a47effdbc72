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
 * Runs `step` up to `warmup` times untimed, then up to `steps` times timed; once `budgetMs` has
 * passed since the first timed step, it stops (after at least one). A warm-up step longer than the
 * budget ends the warm-up and counts as the first timed step: one-time costs are lost in a step that
 * long, and repeating it would double a slow engine's run. `step` must return only when its work is
 * done (read a value back, or synchronize a device). Returns { ms (median), timed, warmup (untimed
 * steps run) }.
 */
function timeSteps(step, { warmup = 2, steps = 5, budgetMs = Infinity } = {}) {
  const times = [];
  let warmed = 0;
  let started = 0;
  while (warmed < warmup && times.length === 0) {
    const t = nowMs();
    step();
    const ms = nowMs() - t;
    if (ms > budgetMs) {
      times.push(ms);
      started = t;
    } else {
      warmed++;
    }
  }
  if (times.length === 0) started = nowMs();
  while (times.length < steps && (times.length === 0 || nowMs() - started < budgetMs)) {
    const t = nowMs();
    step();
    times.push(nowMs() - t);
  }
  return { ms: Number(median(times).toFixed(3)), timed: times.length, warmup: warmed };
}

module.exports = { median, nowMs, timeSteps };
