/** `TensorBoard`: event files TensorBoard reads, as Keras 3's callback writes them. */
import * as path from 'path';
import { fail } from '../../backend/validate';
import { EventFileWriter, Histogram, SummaryValue } from '../../io/tensorboard_events';
import { booleanOption, intOption, optionsObject, stringOption } from '../options';
import { Callback, Logs } from './callback';
import { learningRateOf } from './learning_rate';

/** Options of {@link TensorBoard}. */
export interface TensorBoardArgs {
  /** The folder of the run: events go to `logDir/train` and `logDir/validation`. */
  logDir: string;
  /** 'epoch' (default): scalars once an epoch; 'batch', or N: also `batch_*` scalars every N batches. */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Every N epochs, a histogram of every weight (default 0: none). */
  histogramFreq?: number;
  /** Also log `epoch_steps_per_second` (default false). */
  writeStepsPerSecond?: boolean;
}

const KNOWN = ['logDir', 'updateFreq', 'histogramFreq', 'writeStepsPerSecond'];
// Keras 3's other options: what they would need is not here, so they are refused, not ignored.
const REFUSED: Record<string, string> = {
  writeGraph: 'keratorch models have no TensorFlow graph to write',
  writeImages: 'weight images are not written; use histogramFreq',
  profileBatch: 'there is no TensorFlow profiler',
  embeddingsFreq: 'the embedding projector is not written',
  embeddingsMetadata: 'the embedding projector is not written',
};
const BUCKETS = 30;

/** A HistogramProto of `values`: BUCKETS equal buckets from their min to their max (NaN counted out). */
function histogramOf(values: ArrayLike<number>): Histogram {
  let [min, max, num, sum, sumSquares] = [Infinity, -Infinity, 0, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [0], bucket: [0] };
  if (!Number.isFinite(max - min) || min === max) return { min, max, num, sum, sumSquares, bucketLimit: [max], bucket: [num] };
  const width = (max - min) / BUCKETS;
  const bucket = new Array<number>(BUCKETS).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) bucket[Math.min(BUCKETS - 1, Math.max(0, Math.ceil((v - min) / width) - 1))]++;
  }
  const bucketLimit = bucket.map((_, i) => (i === BUCKETS - 1 ? max : min + (i + 1) * width));
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}

/**
 * Writes what Keras 3's TensorBoard callback writes, for `tensorboard --logdir <logDir>`:
 * - each epoch, `epoch_<name>` for every log value (validation values, without `val_`, to the
 *   validation writer) and `epoch_learning_rate`, at step = epoch; the validation values also as
 *   `evaluation_<name>_vs_iterations` at step = the batch count since training began;
 * - with `updateFreq`, `batch_<name>` for the batch's values every N batches, at step = the batch
 *   count since training began;
 * - with `histogramFreq`, `<weight name>/histogram` of every weight, every N epochs.
 * Files are complete after every write, so a run that fails still leaves readable events.
 */
export class TensorBoard extends Callback {
  /** The run's folder. */
  readonly logDir: string;
  /** Batches between `batch_*` scalars (0: once an epoch only). */
  readonly updateFreq: number;
  /** Epochs between weight histograms (0: none). */
  readonly histogramFreq: number;
  /** Whether `epoch_steps_per_second` is logged. */
  readonly writeStepsPerSecond: boolean;
  private train: EventFileWriter | null = null;
  private validation: EventFileWriter | null = null;
  private globalBatch = 0;
  private epochStarted = 0;
  private epochBatches = 0;

  constructor(args: TensorBoardArgs) {
    super();
    const fn = 'TensorBoard';
    for (const [name, why] of Object.entries(REFUSED)) {
      if (args !== null && typeof args === 'object' && name in args) fail(fn, `no ${name} (${why})`, 'args', name);
    }
    const options = optionsObject<TensorBoardArgs>(fn, args, KNOWN, 'args');
    if (options.logDir === undefined) fail(fn, 'a non-empty string', 'logDir', undefined);
    this.logDir = stringOption(fn, 'logDir', options.logDir, '');
    const freq = options.updateFreq ?? 'epoch';
    this.updateFreq = freq === 'epoch' ? 0 : freq === 'batch' ? 1
      : typeof freq === 'number' ? intOption(fn, 'updateFreq', freq, 1, 1) : fail(fn, "'epoch', 'batch' or an integer >= 1", 'updateFreq', freq);
    this.histogramFreq = intOption(fn, 'histogramFreq', options.histogramFreq, 0, 0);
    this.writeStepsPerSecond = booleanOption(fn, 'writeStepsPerSecond', options.writeStepsPerSecond, false);
  }

  /** The event files written so far: { train, validation } (null until made). */
  get files(): { train: string | null; validation: string | null } {
    return { train: this.train?.file ?? null, validation: this.validation?.file ?? null };
  }

  /** Starts new event files for the run (a new pair each time fit starts). */
  onTrainBegin(): void {
    this.train = new EventFileWriter('TensorBoard', path.join(this.logDir, 'train'));
    this.validation = null;
    this.globalBatch = 0;
  }

  onEpochBegin(): void {
    this.epochStarted = performance.now();
    this.epochBatches = 0;
  }

  /** `batch_*` scalars every updateFreq batches. */
  onBatchEnd(_batch: number, logs: Logs = {}): void {
    this.globalBatch++;
    this.epochBatches++;
    if (this.updateFreq === 0 || this.globalBatch % this.updateFreq !== 0) return;
    const values = Object.entries(logs).filter(([name]) => name !== 'batch' && name !== 'size')
      .map(([name, value]) => ({ tag: `batch_${name}`, simpleValue: value }));
    this.trainWriter().write(this.globalBatch, values);
  }

  /** `epoch_*` scalars (training and validation), the learning rate, and histograms when due. */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const train: SummaryValue[] = [];
    const validation: SummaryValue[] = [];
    // Keras 3's on_test_end also logs the validation values against the optimizer's step count.
    const againstIterations: SummaryValue[] = [];
    for (const [name, value] of Object.entries(logs)) {
      if (name.startsWith('val_')) {
        validation.push({ tag: `epoch_${name.slice(4)}`, simpleValue: value });
        againstIterations.push({ tag: `evaluation_${name.slice(4)}_vs_iterations`, simpleValue: value });
      } else if (name !== 'lr' && name !== 'learning_rate') train.push({ tag: `epoch_${name}`, simpleValue: value });
    }
    if (this.model?.optimizer) train.push({ tag: 'epoch_learning_rate', simpleValue: learningRateOf('TensorBoard', this.model) });
    if (this.writeStepsPerSecond) {
      const seconds = (performance.now() - this.epochStarted) / 1000;
      train.push({ tag: 'epoch_steps_per_second', simpleValue: seconds > 0 ? this.epochBatches / seconds : 0 });
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
      for (const w of this.model.weights) train.push({ tag: `${w.name}/histogram`, histo: histogramOf(w.dataSync() as ArrayLike<number>) });
    }
    this.trainWriter().write(epoch, train);
    if (validation.length > 0) {
      this.validation ??= new EventFileWriter('TensorBoard', path.join(this.logDir, 'validation'));
      this.validation.write(epoch, validation);
      this.validation.write(this.globalBatch, againstIterations);
    }
  }

  private trainWriter(): EventFileWriter {
    this.train ??= new EventFileWriter('TensorBoard', path.join(this.logDir, 'train'));
    return this.train;
  }
}
