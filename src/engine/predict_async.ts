/**
 * `model.predictAsync(x)`: the forward pass off the JS thread. Each batch signature (shapes, dtypes
 * and devices of the inputs) is recorded once by running the model's own forward under libtorch's
 * tracer (serving.recordForward); replays run on a worker thread with the model's weights as graph
 * inputs, so weight updates (fit, setWeights, loadWeights) are always seen. Concurrent calls are
 * batched (serving.configure's maxBatch and maxDelayMs): their inputs are joined along the batch axis
 * (not padded: each batch size is recorded once), and each caller gets its own rows back.
 */
import { K, KeratorchError, serving, Tensor, tidy } from '../backend';
import { fail } from '../backend/validate';
import { Batcher } from './batcher';
import { ConcreteOutputs, Model, ModelOutputs } from './model';
import { batchRanges, sliceRows } from './batches';
import { intOption, optionsObject } from './options';
import { ModelData, standardizeInputs } from './standardize';
import type { PredictArgs } from './training';

declare module './model' {
  interface Model<O extends ModelOutputs = ModelOutputs> {
    /**
     * Like `predict` (training = false), but the forward runs off the JavaScript thread and
     * concurrent calls are batched. The model's forward must not read tensor values into JS
     * (ERR_TRACE otherwise). Samples must be independent of each other, as for `predict`'s batches.
     * With `batchSize`, x is sent in batches of that many rows (one after the other) and the outputs
     * joined, as `predict` does; without it, x goes as one request.
     */
    predictAsync(x: ModelData, args?: PredictArgs): Promise<ConcreteOutputs<O>>;
  }
}

interface PredictRequest {
  rows: number;
  /** Copies of the caller's inputs, owned by the request. */
  inputs: Tensor[];
}

interface ServingState {
  /** The weights the recordings were made with; another list means the model changed. */
  weights: Tensor[];
  recordings: Map<string, serving.RecordedForward>;
  batchers: Map<string, Batcher<PredictRequest, Tensor[]>>;
}

const states = new WeakMap<Model, ServingState>();

function stateOf(model: Model): ServingState {
  let state = states.get(model);
  if (!state) {
    state = { weights: [], recordings: new Map(), batchers: new Map() };
    states.set(model, state);
  }
  return state;
}

function signature(tensors: Tensor[], fromAxis: number): string {
  return tensors.map((t) => `${t.dtype}[${t.shapeRef.slice(fromAxis).join(',')}]@${t.device}`).join(';');
}

function sameList(a: Tensor[], b: Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** The recording for a batch of these inputs, made on first use. */
function recordingFor(model: Model, inputs: Tensor[], weights: Tensor[]): serving.RecordedForward {
  const state = stateOf(model);
  if (!sameList(state.weights, weights)) {
    state.recordings.clear();
    state.weights = weights;
  }
  const key = signature(inputs, 0);
  let recording = state.recordings.get(key);
  if (!recording) {
    recording = serving.recordForward(`predictAsync(${model.name})`, inputs, weights,
      (xs) => model.execute(xs, { training: false }));
    state.recordings.set(key, recording);
  }
  return recording;
}

/** Joins the requests' inputs along the batch axis, padded to `size` rows with copies of row 0. */
// Batches run at their own size, not padded to a few sizes: a padded row costs as much as a real
// one (up to 2x the value iterations of a 28x28 VIN), while a recording per size is made once.
function joinInputs(requests: PredictRequest[], count: number): Tensor[] {
  return tidy(() => Array.from({ length: count }, (_, i) => {
    const parts = requests.map((r) => r.inputs[i]);
    return parts.length === 1 ? parts[0].clone() : K.concatenate(parts, 0);
  }));
}

async function runBatch(model: Model, requests: PredictRequest[]): Promise<Tensor[][]> {
  const size = requests.reduce((total, r) => total + r.rows, 0);
  const inputs = joinInputs(requests, requests[0].inputs.length);
  let outputs: Tensor[];
  try {
    outputs = await recordingFor(model, inputs, model.weights).run(inputs, model.weights);
  } finally {
    for (const x of inputs) x.dispose();
  }
  if (requests.length === 1) return [outputs];
  try {
    outputs.forEach((o, i) => {
      if (o.rank === 0 || o.shapeRef[0] !== size) {
        throw new KeratorchError(`predictAsync(${model.name}): cannot batch: output ${i} has shape ` +
          `[${o.shapeRef.join(', ')}] for a batch of ${size} rows; batching needs one output row per input row ` +
          '(serving.configure({ maxBatch: 1 }) turns it off)', 'ERR_SHAPE', 'predictAsync');
      }
    });
    let offset = 0;
    return requests.map((r) => {
      const own = outputs.map((o) => K.slice(o, [offset, ...o.shapeRef.slice(1).map(() => 0)], [r.rows, ...o.shapeRef.slice(1)]));
      offset += r.rows;
      return own;
    });
  } finally {
    for (const o of outputs) o.dispose();
  }
}

function batcherFor(model: Model, inputs: Tensor[]): Batcher<PredictRequest, Tensor[]> {
  const state = stateOf(model);
  const key = signature(inputs, 1);
  let batcher = state.batchers.get(key);
  if (!batcher) {
    batcher = new Batcher((requests) => runBatch(model, requests));
    state.batchers.set(key, batcher);
  }
  return batcher;
}

Object.defineProperty(Model.prototype, 'predictAsync', {
  value: async function predictAsync(this: Model, x: ModelData, args?: PredictArgs): Promise<Tensor | Tensor[]> {
    const fn = 'predictAsync';
    const options = optionsObject<PredictArgs>(fn, args, ['batchSize'], 'args');
    const owned: Tensor[] = [];
    let requests: PredictRequest[];
    try {
      const xs = standardizeInputs(fn, this, x, owned);
      const rows = xs[0].shapeRef[0];
      if (rows === 0) fail(fn, 'at least one sample', 'x', xs[0], 'ERR_SHAPE');
      const batchSize = intOption(fn, 'batchSize', options.batchSize, rows, 1);
      // The caller may dispose its tensors before the batch runs: each request keeps its own copies.
      requests = batchRanges(rows, batchSize).map(([start, size]) => ({
        rows: size, inputs: tidy(() => sliceRows(xs, start, size).map((t) => t.clone())),
      }));
    } finally {
      for (const t of owned) t.dispose();
    }
    const parts: Tensor[][] = [];
    try {
      for (const request of requests) parts.push(await batcherFor(this, request.inputs).submit(request));
      const outputs = parts.length === 1 ? parts[0]
        : tidy(() => parts[0].map((_, i) => K.concatenate(parts.map((p) => p[i]), 0)));
      return this.outputsAsList ? outputs : outputs[0];
    } finally {
      if (parts.length > 1) for (const p of parts) for (const t of p) t.dispose();
      for (const r of requests) for (const t of r.inputs) t.dispose();
    }
  },
  writable: true,
  configurable: true,
});
