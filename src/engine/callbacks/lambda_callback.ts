/** `LambdaCallback`: a callback made of plain functions. */
import { optionsObject } from '../options';
import { Callback, CallbackHooks, HOOK_NAMES, Logs, toCallback } from './callback';

/**
 * A callback from functions, as Keras's LambdaCallback:
 * `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`. Any of the six hooks may be given.
 */
export class LambdaCallback extends Callback {
  private readonly hooks: Callback;

  constructor(hooks: CallbackHooks) {
    super();
    // A misspelt hook (onEpochEnds) would never be called; fit's plain objects may carry other members.
    optionsObject('LambdaCallback', hooks, HOOK_NAMES, 'hooks');
    this.hooks = toCallback('LambdaCallback', hooks, 'hooks');
  }

  // The hooks forward to the given functions.
  onTrainBegin(logs: Logs = {}): void { this.hooks.onTrainBegin(logs); }
  onTrainEnd(logs: Logs = {}): void { this.hooks.onTrainEnd(logs); }
  onEpochBegin(epoch: number, logs: Logs = {}): void { this.hooks.onEpochBegin(epoch, logs); }
  onEpochEnd(epoch: number, logs: Logs = {}): void { this.hooks.onEpochEnd(epoch, logs); }
  onBatchBegin(batch: number, logs: Logs = {}): void { this.hooks.onBatchBegin(batch, logs); }
  onBatchEnd(batch: number, logs: Logs = {}): void { this.hooks.onBatchEnd(batch, logs); }
}
