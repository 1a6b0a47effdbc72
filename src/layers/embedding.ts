/** Embedding: turns integer indices into dense vectors (rows of a trainable matrix). */
import { DType, K, Tensor } from '../backend';
import {
  CallArgs, describeShape, Initializer, InitializerIdentifier, Layer, LayerArgs, layerError, ownOptionNames, Regularizer,
  RegularizerIdentifier, serializeInitializer, Shape, singleShape,
} from '../engine';
import { singleTensor } from './input_checks';
import { checkInt, checkLayerArgs, optionError, resolveInitializer, resolveRegularizer, serializeRegularizer } from './options';

/** Options of {@link Embedding}. */
export interface EmbeddingArgs extends LayerArgs {
  /** The vocabulary size: indices run from 0 to inputDim - 1. */
  inputDim: number;
  /** The size of each vector. */
  outputDim: number;
  /** Fills the matrix (default randomUniform in [-0.05, 0.05], Keras's 'uniform'). */
  embeddingsInitializer?: InitializerIdentifier;
  /** A penalty on the matrix. */
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** The length of input sequences, when fixed (lets Flatten + Dense follow); a number or one per axis. */
  inputLength?: number | (number | null)[] | null;
}

/**
 * Maps integer inputs of shape (batch, ...) to (batch, ..., outputDim) by looking up rows of a
 * (inputDim, outputDim) matrix. Float inputs are truncated to integers, as Keras casts them. The
 * output has the layer's dtype (float32 by default) whatever the index dtype.
 */
export class Embedding extends Layer {
  static className = 'Embedding';
  static optionNames = ownOptionNames<EmbeddingArgs, LayerArgs>()('inputDim', 'outputDim', 'embeddingsInitializer',
    'embeddingsRegularizer', 'inputLength');
  /** The vocabulary size. */
  readonly inputDim: number;
  /** The vector size. */
  readonly outputDim: number;
  /** Matrix initializer. */
  readonly embeddingsInitializer: Initializer;
  /** Matrix penalty, if any. */
  readonly embeddingsRegularizer: Regularizer | null;
  /** The fixed sequence length(s), if any. */
  readonly inputLength: (number | null)[] | null;
  /** The (inputDim, outputDim) matrix, once built. */
  embeddings?: Tensor;

  constructor(args: EmbeddingArgs) {
    const checked = checkLayerArgs('Embedding', args);
    const raw = checked.inputLength ?? null;
    const length = raw === null ? null : typeof raw === 'number' ? [raw] : raw;
    if (length !== null && (!Array.isArray(length) || length.length === 0 ||
        length.some((d) => d !== null && !(Number.isInteger(d) && d >= 1)))) {
      throw optionError('Embedding', 'a positive integer or an array of them (null where unknown)', 'inputLength', raw);
    }
    // As Keras: without an input shape, the layer declares (batch, inputLength...) or (batch, null).
    super(checked.inputShape || checked.batchInputShape ? checked : { ...checked, inputShape: length ?? [null] });
    this.inputDim = checkInt('Embedding', 'inputDim', args.inputDim);
    this.outputDim = checkInt('Embedding', 'outputDim', args.outputDim);
    this.embeddingsInitializer = resolveInitializer('Embedding', 'embeddingsInitializer',
      args.embeddingsInitializer ?? { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } });
    this.embeddingsRegularizer = resolveRegularizer('Embedding', 'embeddingsRegularizer', args.embeddingsRegularizer);
    this.inputLength = length === null ? null : [...length];
  }

  build(inputShape: Shape | Shape[]): void {
    singleShape(this, inputShape);
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim],
      { initializer: this.embeddingsInitializer, regularizer: this.embeddingsRegularizer ?? undefined });
    this.built = true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    if (this.inputLength === null) return [...shape, this.outputDim];
    const rest = shape.slice(1);
    if (rest.length !== this.inputLength.length ||
        rest.some((d, i) => d !== null && this.inputLength?.[i] !== null && d !== this.inputLength?.[i])) {
      throw layerError(this, 'input', `expected an input of shape ${describeShape([null, ...this.inputLength])} ` +
        `(inputLength) but received ${describeShape(shape)}`);
    }
    return [shape[0], ...rest.map((d, i) => d ?? (this.inputLength as (number | null)[])[i]), this.outputDim];
  }

  /** Always the layer's dtype: indices go in, vectors come out. */
  computeOutputDType(inputDTypes: DType[]): DType {
    void inputDTypes;
    return this.dtype;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const x = singleTensor(this, inputs);
    if (x.dtype === 'bool') throw layerError(this, 'input', `expected integer indices but received ${x.describe()}`, 'ERR_DTYPE');
    const integral = x.dtype === 'int32' || x.dtype === 'int64';
    return K.tidy(() => K.gather(this.embeddings as Tensor, integral ? x : K.cast(x, 'int64')));
  }

  getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      inputLength: this.inputLength === null ? null : [...this.inputLength],
    };
  }
}
