/** `TerminateOnNaN`: stop training once a batch's loss is NaN or infinite. */
import { intOption, optionsObject } from '../options';
import { Callback, Logs } from './callback';

/** Options of {@link TerminateOnNaN}. */
export interface TerminateOnNaNArgs {
  /** 1 (default) prints a line when training stops, as Keras does; 0 is silent. */
  verbose?: number;
}

/** The batch that stopped training: its epoch and batch index (both from 0) and its loss. */
export interface InvalidLoss {
  epoch: number;
  batch: number;
  loss: number;
}

/**
 * Sets `model.stopTraining` after the first batch whose loss is NaN or infinite, as Keras's
 * TerminateOnNaN: the weights that batch updated are then unusable, and further epochs only spend
 * time. `stoppedAt` tells where it happened, so a caller can fail instead of keeping such a model.
 */
export class TerminateOnNaN extends Callback {
  /** Whether a line is printed on stopping. */
  readonly verbose: number;
  /** Where the last run stopped, or null when every loss was finite. */
  stoppedAt: InvalidLoss | null = null;
  private epoch = 0;

  constructor(args: TerminateOnNaNArgs = {}) {
    super();
    const fn = 'TerminateOnNaN';
    const options = optionsObject<TerminateOnNaNArgs>(fn, args, ['verbose'], 'args');
    this.verbose = intOption(fn, 'verbose', options.verbose, 1, 0, 2);
  }

  /** Forgets an earlier run's stop. */
  onTrainBegin(): void {
    this.stoppedAt = null;
  }

  /** Remembers the epoch, for the report. */
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** Stops training when the batch's loss is not finite. */
  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    this.stoppedAt = { epoch: this.epoch, batch, loss };
    this.model.stopTraining = true;
    if (this.verbose > 0) {
      process.stdout.write(`Epoch ${this.epoch + 1}, batch ${batch + 1}: invalid loss ${loss}, terminating training\n`);
    }
  }
}
