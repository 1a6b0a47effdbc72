/**
 * The per-batch steps that fit and evaluate share, their epoch averages, and predict's batched pass.
 * Every step runs inside `tidy`, so nothing it makes outlives it except what it returns.
 */
import { K, Tensor, tidy } from '../backend';
import { batchRanges, sliceRows } from './batches';
import { CompiledState } from './compile';
import type { Model } from './model';

function readValues(values: Tensor[]): number[] {
  return values.map((v) => Number(v.item()));
}

/**
 * One training step: forward with training=true, the loss (with weight penalties), gradients of
 * the trainable weights and one optimizer update. Returns the values in `metricsNames` order.
 */
export function trainBatch(model: Model, compiled: CompiledState, xs: Tensor[], ys: Tensor[],
  sampleWeight: Tensor | null = null): number[] {
  return tidy(() => {
    const outputs = model.execute(xs, { training: true });
    const { total, values } = compiled.compute(model, ys, outputs, sampleWeight);
    const params = model.trainableWeights;
    if (params.length > 0) {
      const grads = K.gradients(total, params, { retainGraph: false });
      compiled.optimizer.applyGradients(grads, params);
    }
    return readValues(values);
  });
}

/** One evaluation step (training=false, no gradient graph); values in `metricsNames` order. */
export function testBatch(model: Model, compiled: CompiledState, xs: Tensor[], ys: Tensor[],
  sampleWeight: Tensor | null = null): number[] {
  return K.noGrad(() => tidy(() => {
    const outputs = model.execute(xs, { training: false });
    return readValues(compiled.compute(model, ys, outputs, sampleWeight).values);
  }));
}

/** Accumulates batch values into sample-weighted epoch averages, as Keras's epoch logs. */
export class RunningMeans {
  private readonly sums: number[];
  private count = 0;

  constructor(private readonly names: string[]) {
    this.sums = names.map(() => 0);
  }

  /** Adds one batch of `size` samples. */
  add(values: number[], size: number): void {
    values.forEach((v, i) => { this.sums[i] += v * size; });
    this.count += size;
  }

  /** The averages so far, in `names` order. */
  values(): number[] {
    return this.sums.map((s) => s / Math.max(this.count, 1));
  }

  /** The averages keyed by name, each key prefixed by `prefix`. */
  logs(prefix = ''): Record<string, number> {
    const means = this.values();
    return Object.fromEntries(this.names.map((n, i) => [`${prefix}${n}`, means[i]]));
  }
}

/** Runs the model in batches (training=false) and joins the batches: one tensor per output. */
export function predictArrays(model: Model, xs: Tensor[], batchSize: number): Tensor[] {
  const parts: Tensor[][] = model.outputs.map(() => []);
  try {
    for (const [start, size] of batchRanges(xs[0].shapeRef[0], batchSize)) {
      const outputs = K.noGrad(() => tidy(() => {
        const batch = sliceRows(xs, start, size);
        // A model that returns its input unchanged must not hand back (and later free) the caller's tensor.
        return model.execute(batch, { training: false }).map((o) => (xs.includes(o) ? o.clone() : o));
      }));
      outputs.forEach((o, i) => parts[i].push(o));
    }
    return parts.map((p) => {
      if (p.length === 1) return p[0];
      const joined = K.concatenate(p, 0);
      for (const t of p) t.dispose();
      return joined;
    });
  } catch (error) {
    for (const p of parts) for (const t of p) t.dispose();
    throw error;
  }
}
