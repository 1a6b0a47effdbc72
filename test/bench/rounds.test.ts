/**
 * `npm run bench --rounds R` (bench/common/rounds.js, report.js): engines run interleaved, each round
 * starting one engine later, tfjs (`once`) only in the first; times are medians over rounds, and
 * ratios the median of the ratios within each round.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { roundOrder, combineVinRounds, combineOpsRounds } = require('../../bench/common/rounds.js');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { withRatios, ratioSummary } = require('../../bench/common/report.js');

type Engine = { name: string; once?: boolean };
const names = (engines: Engine[]) => engines.map((e) => e.name);

test('each round starts one engine later; once-engines run in the first round only', () => {
  const engines: Engine[] = [{ name: 'a' }, { name: 'b' }, { name: 'tfjs', once: true }, { name: 'c' }];
  expect(names(roundOrder(engines, 0))).toEqual(['a', 'b', 'tfjs', 'c']);
  expect(names(roundOrder(engines, 1))).toEqual(['b', 'c', 'a']);
  expect(names(roundOrder(engines, 2))).toEqual(['c', 'a', 'b']);
  expect(names(roundOrder(engines, 3))).toEqual(['a', 'b', 'c']);
});

test('VIN figures are the median over rounds, per engine and grid, with the rounds kept', () => {
  const record = (engine: string, grid: number, round: number, train: number | null, infer: number) =>
    ({ engine, grid, round, k: grid, train_ms: train, infer_ms: infer, threads: 2 });
  const combined = combineVinRounds([
    record('x', 8, 0, 10, 3), record('x', 16, 0, 40, 9), record('y', 8, 0, 5, 1),
    record('x', 8, 2, 30, 1), record('x', 16, 1, 42, 7), record('y', 8, 1, 6, 2),
    record('x', 8, 1, 12, 2), record('x', 16, 2, 41, 8), record('y', 8, 2, null, 3),
  ]);
  const x8 = combined.find((r: { engine: string; grid: number }) => r.engine === 'x' && r.grid === 8);
  expect(x8).toMatchObject({ rounds: 3, train_ms: 12, infer_ms: 2, train_ms_rounds: [10, 12, 30], infer_ms_rounds: [3, 2, 1], k: 8 });
  expect(x8).not.toHaveProperty('round');
  expect(combined.find((r: { engine: string; grid: number }) => r.engine === 'x' && r.grid === 16)).toMatchObject({ train_ms: 41, infer_ms: 8 });
  // A round without a figure (a failed phase) is left out of the median.
  expect(combined.find((r: { engine: string }) => r.engine === 'y')).toMatchObject({ train_ms: 5.5, infer_ms: 2, train_ms_rounds: [5, 6, null] });
});

test('per-op figures: the median of each side over rounds, and their ratio', () => {
  const ops = (round: number, ours: number, theirs: number) => ({ engine: 'ops', round, threads: 2,
    rows: [{ op: 'add', keratorch_us: ours, pytorch_us: theirs, ratio: ours / theirs }] });
  const combined = combineOpsRounds([ops(0, 1.4, 1.0), ops(1, 2.0, 1.1), ops(2, 1.5, 1.0)]);
  expect(combined.rounds).toBe(3);
  expect(combined.rows).toEqual([{ op: 'add', keratorch_us: 1.5, pytorch_us: 1.0, ratio: 1.5,
    keratorch_us_rounds: [1.4, 2.0, 1.5], pytorch_us_rounds: [1.0, 1.1, 1.0] }]);
  expect(combineOpsRounds([])).toBeNull();
});

test('per-round figures are indexed by round: a round an engine did not run is null', () => {
  const record = (engine: string, round: number, train: number) => ({ engine, grid: 8, round, k: 10, train_ms: train, infer_ms: 1 });
  const [combined] = combineVinRounds([record('x', 2, 30), record('x', 0, 10)]);
  expect(combined).toMatchObject({ rounds: 2, train_ms: 20, train_ms_rounds: [10, null, 30], infer_ms_rounds: [1, null, 1] });
});

test('ratios are the median over rounds of the ratio within each round, to pytorch and to pytorch-reuse', () => {
  const record = (engine: string, train: (number | null)[], infer: number[]) => ({ engine, grid: 8, k: 10,
    train_ms_rounds: train, infer_ms_rounds: infer });
  const rows = withRatios([
    record('pytorch', [10, 20, 40], [4, 4, 4]),
    record('pytorch-reuse', [5, 10, 20], [2, 2, 2]),
    // Slow in rounds 1 and 2 as PyTorch was: within each round it takes 1.1x, 1.1x, 1.2x PyTorch's time.
    record('keratorch-generic', [11, 22, 48], [4.4, 4, 3.6]),
    record('tfjs-wasm', [null], [40]), // first round only
  ]);
  const ours = rows.find((r: { engine: string }) => r.engine === 'keratorch-generic');
  expect(ours).toMatchObject({ train_vs_pytorch: 1.1, train_vs_pytorch_rounds: [1.1, 1.1, 1.2],
    infer_vs_pytorch: 1, infer_vs_pytorch_rounds: [1.1, 1, 0.9], train_vs_reuse: 2.2, infer_vs_reuse: 2 });
  const tfjs = rows.find((r: { engine: string }) => r.engine === 'tfjs-wasm');
  expect(tfjs).toMatchObject({ train_vs_pytorch: null, infer_vs_pytorch: 10, infer_vs_pytorch_rounds: [10] });
  const summary = ratioSummary(rows, null);
  expect(summary.vin[8]['keratorch-generic']).toEqual({ train: 1.1, infer: 1, train_vs_reuse: 2.2, infer_vs_reuse: 2 });
  expect(summary.vin[8]).not.toHaveProperty('pytorch');
});
