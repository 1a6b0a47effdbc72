/** `History`: the per-epoch logs of a fit run, which fit returns. */
import { Callback, Logs } from './callback';

/**
 * Records every epoch's logs: `history.history.loss[i]` is the loss of the i-th epoch run, with a
 * key per metric and val_ prefixed validation values, and `history.epoch` the epoch numbers.
 */
export class History extends Callback {
  /** The epoch numbers run (from initialEpoch). */
  epoch: number[] = [];
  /** One list of values per log key, one value per epoch. */
  history: Record<string, number[]> = {};

  /** Starts an empty record. */
  onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  /** Appends the epoch's logs. */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      (this.history[key] ??= []).push(value);
    }
  }
}
