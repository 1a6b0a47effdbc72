"""Reads event files written by keratorch's TensorBoard callback with TensorBoard's own reader
(tensorboard.backend.event_processing.EventAccumulator) and checks what it finds: every scalar tag
Keras 3 writes, at the right steps with the History's values, and the weight histograms.

Not run by CI (CI needs no Python); run it after changing src/engine/callbacks/tensorboard.ts or
src/io/tensorboard_events.ts, from the repository root, with lib/ built (npm run build:ts):
    python3 -m venv /tmp/tbvenv && /tmp/tbvenv/bin/pip install tensorboard
    /tmp/tbvenv/bin/python test/golden/check_tensorboard.py
"""
import glob
import json
import os
import subprocess
import tempfile

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

WRITER = r"""
const { Sequential, Dense, K, setSeed, TensorBoard } = require('./lib');
setSeed(1);
const m = new Sequential([new Dense({ units: 4, activation: 'relu', inputShape: [3] }), new Dense({ units: 1 })]);
m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
const x = K.randomNormal([64, 3]);
const y = K.randomNormal([64, 1]);
const tb = new TensorBoard({ logDir: process.argv[1], updateFreq: 2, histogramFreq: 1 });
const h = m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [tb] });
console.log(JSON.stringify({ history: h.history, weights: m.weights.map((w) => [w.name, w.size]) }));
"""


def main():
    log_dir = tempfile.mkdtemp(prefix='keratorch-tb-')
    out = subprocess.run(['node', '-e', WRITER, log_dir], check=True, capture_output=True, text=True).stdout
    run = json.loads(out)
    history, weights = run['history'], run['weights']
    train = EventAccumulator(os.path.join(log_dir, 'train'), size_guidance={'scalars': 0, 'histograms': 0})
    train.Reload()
    validation = EventAccumulator(os.path.join(log_dir, 'validation'))
    validation.Reload()
    tags = train.Tags()
    print('train scalars:', sorted(tags['scalars']))
    print('train histograms:', sorted(tags['histograms']))
    print('validation scalars:', sorted(validation.Tags()['scalars']))
    for name in ('loss', 'mae'):
        got = [(e.step, e.value) for e in train.Scalars(f'epoch_{name}')]
        assert [s for s, _ in got] == [0, 1, 2], got
        assert all(abs(v - want) <= 1e-5 * max(1, abs(want)) for (_, v), want in zip(got, history[name])), (got, history[name])
        val = [e.value for e in validation.Scalars(f'epoch_{name}')]
        assert all(abs(v - want) <= 1e-5 * max(1, abs(want)) for v, want in zip(val, history[f'val_{name}'])), val
        vs_iterations = [(e.step, e.value) for e in validation.Scalars(f'evaluation_{name}_vs_iterations')]
        assert [s for s, _ in vs_iterations] == [3, 6, 9], vs_iterations
        assert all(abs(v - want) <= 1e-5 * max(1, abs(want)) for (_, v), want in zip(vs_iterations, history[f'val_{name}'])), vs_iterations
        # 3 batches an epoch (48 training samples of 16), 9 in all: batch scalars at 2, 4, 6, 8.
        assert [e.step for e in train.Scalars(f'batch_{name}')] == [2, 4, 6, 8]
    assert [round(e.value, 6) for e in train.Scalars('epoch_learning_rate')] == [0.001] * 3
    for name, size in weights:
        histograms = train.Histograms(f'{name}/histogram')
        assert [h.step for h in histograms] == [0, 1, 2], name
        assert all(h.histogram_value.num == size for h in histograms), name
        assert all(sum(h.histogram_value.bucket) == size for h in histograms), name
    print(f'ok: {len(glob.glob(os.path.join(log_dir, "*", "events.out.tfevents.*")))} event files in {log_dir}, '
          f'{len(weights)} weights, epoch and batch scalars match the History')


if __name__ == '__main__':
    main()
