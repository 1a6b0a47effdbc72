/**
 * The ValueIteration layer: k steps of value iteration on a reward map, with the q kernels tied
 * across steps, run as one native call (src/backend/vin), by default the fused kernel. Maps are
 * channelsFirst: (batch, 1, n, n) in, (batch, lQ, n, n) out.
 */
import { DType, Tensor, vin } from '../../backend';
import { describe } from '../../backend/validate';
import { CallArgs, describeShape, Layer, LayerArgs, layerError, ownOptionNames, Shape, singleShape } from '../../engine';
import { registerClass } from '../../io/registry';
import { checkLayerArgs } from '../../layers/options';

/** Options of {@link ValueIteration}. */
export interface ValueIterationArgs extends LayerArgs {
  /** Value-iteration steps (the paper's K). */
  k: number;
  /** Q channels, one per abstract action (the paper's l_q, default 10). */
  lQ?: number;
  /** Standard deviation of the kernels' initial values (default 0.01, as the paper's code). */
  initStddev?: number;
  /**
   * `fused` (default): one native pass for all k steps, forward and backward; `generic`: k libtorch
   * convolutions (the reference). Both give the same values; see `vin.valueIteration`.
   */
  implementation?: vin.ValueIterationImplementation;
}

/** k tied steps of q = conv([r, v]), v = max over q's channels. */
export class ValueIteration extends Layer {
  static className = 'ValueIteration';
  static optionNames = ownOptionNames<ValueIterationArgs, LayerArgs>()('k', 'lQ', 'initStddev', 'implementation');
  /** Iterations. */
  readonly k: number;
  /** Q channels. */
  readonly lQ: number;
  private readonly initStddev: number;
  /** Fused kernel or generic convolutions. */
  readonly implementation: vin.ValueIterationImplementation;
  /** Kernel on the reward map, (3, 3, 1, lQ). */
  wR?: Tensor;
  /** Kernel on the value map, (3, 3, 1, lQ). */
  wV?: Tensor;

  constructor(args: ValueIterationArgs) {
    super(checkLayerArgs('ValueIteration', args));
    const positiveInt = (name: string, value: unknown) => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw layerError(this, 'options', `expected a positive integer for ${name} but received ${describe(value)}`,
          'ERR_ARGUMENT');
      }
      return value;
    };
    this.k = positiveInt('k', args.k);
    this.lQ = positiveInt('lQ', args.lQ ?? 10);
    this.initStddev = args.initStddev ?? 0.01;
    if (typeof this.initStddev !== 'number' || !Number.isFinite(this.initStddev) || this.initStddev < 0) {
      throw layerError(this, 'options', `expected a finite number >= 0 for initStddev but received ` +
        `${describe(this.initStddev)}`, 'ERR_ARGUMENT');
    }
    const implementation = args.implementation ?? 'fused';
    if (!vin.VALUE_ITERATION_IMPLEMENTATIONS.includes(implementation)) {
      throw layerError(this, 'options', `expected one of ${vin.VALUE_ITERATION_IMPLEMENTATIONS.join(', ')} for ` +
        `implementation but received ${describe(implementation)}`, 'ERR_ARGUMENT');
    }
    this.implementation = implementation;
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(this, inputShape);
    // An empty map is refused here, before libtorch's convolution reports it in terms of its padding.
    if (shape.length !== 4 || shape[1] !== 1 || shape.slice(2).some((d) => d !== null && d < 1)) {
      throw layerError(this, 'build', `expected a reward map of shape (None, 1, rows, cols) with rows and cols >= 1 ` +
        `but received ${describeShape(shape)}`);
    }
    const initializer = { className: 'RandomNormal', config: { mean: 0, stddev: this.initStddev } };
    this.wR = this.addWeight('wR', [3, 3, 1, this.lQ], { initializer });
    this.wV = this.addWeight('wV', [3, 3, 1, this.lQ], { initializer });
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    return vin.valueIterationQ(inputs as Tensor, this.wR as Tensor, this.wV as Tensor, this.k, this.implementation);
  }

  /** The value maps (batch, 1, rows, cols) for reward maps `r`, for pictures. */
  valueMaps(r: Tensor): Tensor {
    const { q, v } = vin.valueIteration(r, this.wR as Tensor, this.wV as Tensor, this.k, this.implementation);
    q.dispose();
    return v;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0], this.lQ, shape[2], shape[3]];
  }

  computeOutputDType(): DType {
    return this.dtype;
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k, lQ: this.lQ, initStddev: this.initStddev,
      implementation: this.implementation };
  }
}

registerClass(ValueIteration);
