/**
 * Layers that merge a list of inputs: elementwise Add, Subtract, Multiply, Average, Maximum,
 * Minimum (Keras's broadcasting rules), Concatenate and Dot.
 */
import { K, Tensor } from '../backend';
import { CallArgs, describeShape, Layer, LayerArgs, layerError, ownOptionNames, Shape } from '../engine';
import { checkInputCount, tensorList } from './input_checks';
import { checkBoolean, checkLayerArgs, optionError } from './options';

/** Keras's elementwise output shape of two sample shapes (batch axis excluded), aligned on the right. */
function broadcastShapes(layer: Layer, a: Shape, b: Shape, shapes: Shape[]): Shape {
  if (a.length < b.length) return broadcastShapes(layer, b, a, shapes);
  const out = a.slice(0, a.length - b.length);
  b.forEach((j, k) => {
    const i = a[a.length - b.length + k];
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else {
      throw layerError(layer, 'input', `expected inputs whose shapes broadcast together but received ` +
        `${shapes.map(describeShape).join(', ')}`);
    }
  });
  return out;
}

/** The base of the elementwise merge layers: checks shapes, lines up ranks, folds `combine`. */
abstract class ElementwiseMerge extends Layer {
  static optionNames = ownOptionNames<LayerArgs, LayerArgs>()();
  /** The fewest inputs accepted. */
  protected minInputs = 2;
  /** The most inputs accepted. */
  protected maxInputs = Infinity;

  /** Combines all the inputs (of equal rank) into the output. */
  protected abstract merge(inputs: Tensor[]): Tensor;

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = checkInputCount(this, inputShape, this.minInputs, this.maxInputs);
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (shapes.some((s) => s.length === 0) || batches.size > 1) {
      throw layerError(this, 'input', `expected inputs with a batch axis of one size but received ` +
        `${shapes.map(describeShape).join(', ')}`);
    }
    const sample = shapes.map((s) => s.slice(1)).reduce((a, b) => broadcastShapes(this, a, b, shapes));
    return [batches.size === 1 ? [...batches][0] : null, ...sample];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const list = tensorList(inputs);
    this.computeOutputShape(list.map((t) => t.shape));
    const rank = Math.max(...list.map((t) => t.rank));
    return K.tidy(() => {
      // As Keras: a lower-rank input gains axes right after the batch axis, so sample axes line up on the right.
      const aligned = list.map((t) => {
        let x = t;
        while (x.rank < rank) x = K.expandDims(x, 1);
        return x;
      });
      return this.merge(aligned);
    });
  }
}

/** Adds its inputs elementwise (shapes broadcast as in Keras). */
export class Add extends ElementwiseMerge {
  static className = 'Add';

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Add', args));
  }

  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => K.add(a, b));
  }
}

/** Subtracts its second input from its first (exactly two inputs). */
export class Subtract extends ElementwiseMerge {
  static className = 'Subtract';

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Subtract', args));
    this.maxInputs = 2;
  }

  protected merge(inputs: Tensor[]): Tensor {
    return K.subtract(inputs[0], inputs[1]);
  }
}

/** Multiplies its inputs elementwise. */
export class Multiply extends ElementwiseMerge {
  static className = 'Multiply';

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Multiply', args));
  }

  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => K.multiply(a, b));
  }
}

/** The elementwise mean of its inputs. */
export class Average extends ElementwiseMerge {
  static className = 'Average';

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Average', args));
  }

  protected merge(inputs: Tensor[]): Tensor {
    return K.divide(inputs.reduce((a, b) => K.add(a, b)), inputs.length);
  }
}

/** The elementwise maximum of its inputs. */
export class Maximum extends ElementwiseMerge {
  static className = 'Maximum';

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Maximum', args));
  }

  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => K.maximum(a, b));
  }
}

/** The elementwise minimum of its inputs. */
export class Minimum extends ElementwiseMerge {
  static className = 'Minimum';

  constructor(args: LayerArgs = {}) {
    super(checkLayerArgs('Minimum', args));
  }

  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => K.minimum(a, b));
  }
}

/** Options of {@link Concatenate}. */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the last; the batch axis counts as 0). */
  axis?: number;
}

/** Joins its inputs along `axis`; their shapes must match on every other axis. */
export class Concatenate extends Layer {
  static className = 'Concatenate';
  static optionNames = ownOptionNames<ConcatenateArgs, LayerArgs>()('axis');
  /** The axis joined along. */
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(checkLayerArgs('Concatenate', args));
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw optionError('Concatenate', 'an integer', 'axis', axis);
    this.axis = axis;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = checkInputCount(this, inputShape, 2);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const mismatch = axis < 0 || axis >= rank || shapes.some((s) => s.length !== rank ||
      s.some((d, i) => i !== axis && d !== null && shapes[0][i] !== null && d !== shapes[0][i]));
    if (mismatch) {
      throw layerError(this, 'input', `expected inputs with matching shapes except on the concatenation axis ` +
        `${this.axis} but received ${shapes.map(describeShape).join(', ')}`);
    }
    const out = shapes[0].map((d, i) => (i === axis ? null : shapes.map((s) => s[i]).find((v) => v !== null) ?? null));
    const sizes = shapes.map((s) => s[axis]);
    out[axis] = sizes.includes(null) ? null : (sizes as number[]).reduce((a, b) => a + b, 0);
    return out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const list = tensorList(inputs);
    this.computeOutputShape(list.map((t) => t.shape));
    return K.concatenate(list, this.axis);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Options of {@link Dot}. */
export interface DotArgs extends LayerArgs {
  /** The axis (of both inputs) or the pair of axes [axisOfFirst, axisOfSecond] to multiply along. */
  axes: number | [number, number];
  /** L2-normalize both inputs along those axes first, so the result is the cosine similarity. */
  normalize?: boolean;
}

/** The per-sample dot product of two inputs along `axes` (Keras's batch_dot). */
export class Dot extends Layer {
  static className = 'Dot';
  static optionNames = ownOptionNames<DotArgs, LayerArgs>()('axes', 'normalize');
  /** The axes multiplied along. */
  readonly axes: number | [number, number];
  /** Whether inputs are L2-normalized first (cosine similarity). */
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(checkLayerArgs('Dot', args));
    const axes = args.axes;
    const ok = Number.isInteger(axes) ||
      (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!ok) throw optionError('Dot', 'an integer or a pair of integers', 'axes', axes);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = checkBoolean('Dot', 'normalize', args.normalize ?? false);
  }

  /** The two axes, made non-negative for inputs of these ranks, and checked. */
  private resolveAxes(shapes: Shape[]): [number, number] {
    const pair = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const axes = pair.map((a, i) => (a < 0 ? a + shapes[i].length : a)) as [number, number];
    const bad = axes.some((a, i) => a < 1 || a >= shapes[i].length);
    const [a, b] = [shapes[0][axes[0]], shapes[1][axes[1]]];
    if (bad || shapes.some((s) => s.length < 2) || (a !== null && b !== null && a !== b)) {
      throw layerError(this, 'input', `expected two inputs of rank >= 2 with equal sizes on axes ${JSON.stringify(this.axes)} ` +
        `(not the batch axis) but received ${shapes.map(describeShape).join(', ')}`);
    }
    return axes;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = checkInputCount(this, inputShape, 2, 2);
    const [ax, ay] = this.resolveAxes(shapes);
    const x = shapes[0].filter((_, i) => i !== ax);
    const y = shapes[1].filter((_, i) => i !== ay && i !== 0);
    const out = [...x, ...y];
    return out.length === 1 ? [...out, 1] : out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const list = tensorList(inputs);
    const shapes = checkInputCount(this, list.map((t) => t.shape), 2, 2);
    const axes = this.resolveAxes(shapes);
    return K.tidy(() => {
      const [x, y] = this.normalize ? [K.l2Normalize(list[0], axes[0]), K.l2Normalize(list[1], axes[1])] : list;
      return K.batchDot(x, y, axes);
    });
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }
}
