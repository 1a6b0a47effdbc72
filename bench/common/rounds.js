// Repeated rounds of `npm run bench`: on a shared machine a slow spell can last as long as one
// engine's run, which moved single-run ratios by 10-20%. The engines therefore run in R rounds,
// interleaved (each round starts one engine later), one grid at a time, so that in a round every
// engine meets the same grid within seconds of the others. Every time is the median over rounds of
// that engine's per-round median; every ratio the median over rounds of the ratio within the round
// (report.js), which a slow spell spanning one round moves far less than a ratio of medians.
// Engines marked `once` (tfjs: minutes a run, ratios far from any target) run in the first round only.
const { median } = require('./timing');

/** The engines to run in round `round` (0-based): rotated by the round, `once` engines only at 0. */
function roundOrder(engines, round) {
  const repeated = round === 0 ? engines : engines.filter((e) => !e.once);
  const shift = round % Math.max(1, repeated.length);
  return [...repeated.slice(shift), ...repeated.slice(0, shift)];
}

function medianOrNull(values) {
  const present = values.filter((v) => v != null);
  return present.length > 0 ? Number(median(present).toFixed(3)) : null;
}

/**
 * One VIN record per engine and grid from records tagged with `round`: train_ms / infer_ms are
 * the medians over rounds, train_ms_rounds / infer_ms_rounds the per-round figures indexed by round
 * (null for a round without that figure).
 */
function combineVinRounds(records) {
  const groups = new Map();
  for (const r of records) {
    const key = `${r.engine}\u0000${r.grid}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  return [...groups.values()].map((group) => {
    const { round, ...first } = group[0];
    const byRound = Array.from({ length: Math.max(...group.map((r) => r.round)) + 1 }, (_, i) => group.find((r) => r.round === i));
    const figures = (field) => byRound.map((r) => r?.[field] ?? null);
    return { ...first, rounds: group.length,
      train_ms: medianOrNull(figures('train_ms')), infer_ms: medianOrNull(figures('infer_ms')),
      train_ms_rounds: figures('train_ms'), infer_ms_rounds: figures('infer_ms') };
  });
}

/** The per-op records of several rounds as one: medians of each side, the ratio of the medians. */
function combineOpsRounds(records) {
  if (records.length === 0) return null;
  const { round, ...first } = records[0];
  const rows = first.rows.map((row) => {
    const ours = records.map((r) => r.rows.find((x) => x.op === row.op)?.keratorch_us ?? null);
    const theirs = records.map((r) => r.rows.find((x) => x.op === row.op)?.pytorch_us ?? null);
    const keratorchUs = medianOrNull(ours);
    const pytorchUs = medianOrNull(theirs);
    return { op: row.op, keratorch_us: keratorchUs, pytorch_us: pytorchUs,
      ratio: keratorchUs == null || pytorchUs == null ? null : Number((keratorchUs / pytorchUs).toFixed(3)),
      keratorch_us_rounds: ours, pytorch_us_rounds: theirs };
  });
  return { ...first, rounds: records.length, rows };
}

module.exports = { roundOrder, combineVinRounds, combineOpsRounds, medianOrNull };
