"""Golden values for sampleWeight and classWeight (test/engine/sample_weights.test.ts), from real Keras 3.

A Dense(3, softmax) model with fixed weights, trained with SGD (no shuffling) on fixed data with
sample weights, then with class weights; the weights after training, the History and evaluate's
values (weighted) are written to sample_weight_golden.json. Regenerate with:

    python3 -m venv /tmp/kvenv
    /tmp/kvenv/bin/pip install keras==3.15.1 tensorflow_cpu==2.21.0 numpy
    /tmp/kvenv/bin/python test/golden/make_sample_weight_golden.py
"""
import json
import os

os.environ.setdefault('KERAS_BACKEND', 'tensorflow')
import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(7)
x = rng.normal(size=(10, 4)).astype('float32')
labels = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 1])
y = np.eye(3, dtype='float32')[labels]
sample_weight = np.array([1, 2, 0.5, 0, 3, 1, 1.5, 2, 0.25, 1], dtype='float32')
class_weight = {0: 1.0, 1: 3.0, 2: 0.5}
kernel = rng.normal(size=(4, 3)).astype('float32') * 0.5
bias = np.array([0.1, -0.2, 0.05], dtype='float32')


def model():
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])
    m.layers[0].set_weights([kernel, bias])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss='categorical_crossentropy',
              metrics=['categorical_accuracy'])
    return m


def run(**weights):
    m = model()
    history = m.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, **weights)
    return m, {key: [float(v) for v in values] for key, values in history.history.items()}


cases = {}
m, history = run(sample_weight=sample_weight)
cases['sampleWeight'] = {
    'history': history,
    'kernel': m.layers[0].get_weights()[0].tolist(),
    'bias': m.layers[0].get_weights()[1].tolist(),
    'evaluate': [float(v) for v in m.evaluate(x, y, sample_weight=sample_weight, batch_size=4, verbose=0)],
}
m, history = run(class_weight=class_weight)
cases['classWeight'] = {
    'history': history,
    'kernel': m.layers[0].get_weights()[0].tolist(),
    'bias': m.layers[0].get_weights()[1].tolist(),
}
m = model()
cases['trainOnBatch'] = {
    'values': [float(v) for v in m.train_on_batch(x, y, sample_weight=sample_weight)],
    'kernel': m.layers[0].get_weights()[0].tolist(),
}

golden = {
    'generator': 'test/golden/make_sample_weight_golden.py',
    'keras': keras.__version__,
    'x': x.tolist(), 'labels': labels.tolist(), 'sampleWeight': sample_weight.tolist(),
    'classWeight': {str(k): v for k, v in class_weight.items()},
    'kernel': kernel.tolist(), 'bias': bias.tolist(), 'learningRate': 0.1, 'batchSize': 4, 'epochs': 2,
    'cases': cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sample_weight_golden.json')
with open(path, 'w') as f:
    json.dump(golden, f, indent=1)
    f.write('\n')
print('wrote', path)
