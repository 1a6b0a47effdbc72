/** `EarlyStopping`: stop training when a watched value stops improving. */
import { K, keep, Tensor, tidy } from '../../backend';
import { booleanOption, intOption, numberOption, optionsObject, stringOption } from '../options';
import { Callback, Logs } from './callback';
import { improves, MonitorMode, MonitorReader, resolveMode, worst } from './monitor';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingArgs {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1 prints a line when training stops (default 0). */
  verbose?: number;
  /** 'min', 'max', or 'auto' (max when the key contains "acc"); default 'auto'. */
  mode?: MonitorMode;
  /** Training stops unless the value beats this (default: no baseline). */
  baseline?: number;
  /** On stopping, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

const OPTIONS = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights'];

/**
 * Sets `model.stopTraining` once `monitor` has not improved by more than `minDelta` for
 * `patience` epochs, as Keras's EarlyStopping; with `restoreBestWeights` the weights of the best
 * epoch are put back when it stops.
 */
export class EarlyStopping extends Callback {
  /** The watched log key. */
  readonly monitor: string;
  /** The least change that counts. */
  readonly minDelta: number;
  /** Epochs to wait. */
  readonly patience: number;
  /** Whether a line is printed on stopping. */
  readonly verbose: number;
  /** The resolved direction. */
  readonly mode: 'min' | 'max';
  /** The value to beat, if any. */
  readonly baseline?: number;
  /** Whether the best weights are restored on stopping. */
  readonly restoreBestWeights: boolean;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch training stopped at (0 when it did not stop early). */
  stoppedEpoch = 0;
  /** The best value seen. */
  best = Infinity;
  private bestWeights: Tensor[] | null = null;
  private readonly reader: MonitorReader;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const fn = 'EarlyStopping';
    const options = optionsObject<EarlyStoppingArgs>(fn, args, OPTIONS);
    this.monitor = stringOption(fn, 'monitor', options.monitor, 'val_loss');
    this.reader = new MonitorReader(fn, this.monitor);
    this.minDelta = Math.abs(numberOption(fn, 'minDelta', options.minDelta, 0));
    this.patience = intOption(fn, 'patience', options.patience, 0);
    this.verbose = intOption(fn, 'verbose', options.verbose, 0, 0, 2);
    this.mode = resolveMode(fn, options.mode, this.monitor);
    if (options.baseline !== undefined) this.baseline = numberOption(fn, 'baseline', options.baseline, 0);
    this.restoreBestWeights = booleanOption(fn, 'restoreBestWeights', options.restoreBestWeights, false);
  }

  /** Resets the wait, the best value and any saved weights. */
  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline ?? worst(this.mode);
    this.releaseWeights();
  }

  /** Compares the monitored value with the best; stops (and restores) once patience runs out. */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = this.reader.read(logs);
    if (current === undefined) return;
    if (improves(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.wait = 0;
      if (this.restoreBestWeights) this.snapshotWeights();
      return;
    }
    this.wait += 1;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights) {
        const weights = this.model.weights;
        weights.forEach((w, i) => K.setValue(w, (this.bestWeights as Tensor[])[i]));
      }
    }
  }

  /** Reports the stop (verbose) and frees the saved weights. */
  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      process.stdout.write(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    }
    this.releaseWeights();
  }

  /** Copies of the current weights, outside the gradient graph. */
  private snapshotWeights(): void {
    const copies = this.model.weights.map((w) => keep(tidy(() => K.stopGradient(w).clone())));
    this.releaseWeights();
    this.bestWeights = copies;
  }

  private releaseWeights(): void {
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = null;
  }
}
