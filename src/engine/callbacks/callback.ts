/**
 * The callback protocol of `fit`: a `Callback` subclass (or a plain object with some of its hooks)
 * is told when training, each epoch and each batch begin and end, and reads or changes the logs.
 */
import { fail, isCallable } from '../../backend/validate';
import type { Model } from '../model';
// Brings the members training.ts adds to Model (optimizer, stopTraining) into scope.
import type { FitArgs as _TrainingMembers } from '../training';

/** Values logged by fit: loss, metrics, val_ prefixed validation values, and what callbacks add (lr). */
export type Logs = Record<string, number>;

/** What fit tells callbacks about the run (Keras's `callback.params`). */
export interface CallbackParams {
  /** The epoch fit stops before. */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** Training samples per epoch. */
  samples: number;
  /** Samples per batch. */
  batchSize: number;
  /** fit's verbosity (0, 1, 2). */
  verbose: number;
  /** Whether each epoch ends with a validation pass. */
  doValidation: boolean;
  /** The training log keys (loss and metrics, without val_). */
  metrics: string[];
}

/**
 * The hooks a custom callback may define; a plain object with some of them is accepted by fit. A hook
 * may return a promise: fitAsync and fitDataset await it (fit does not).
 */
export interface CallbackHooks {
  /** Before the first epoch. */
  onTrainBegin?(logs: Logs): void | Promise<void>;
  /** After the last epoch (or after training was stopped). */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** Before each epoch (`epoch` counts from 0). */
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** After each epoch, with its averaged logs (and val_ values). */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Before each batch (`batch` counts from 0 in each epoch); logs hold batch and size. */
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  /** After each batch, with the batch's loss and metric values. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Names of the hooks, in the order fit calls them. */
export const HOOK_NAMES = ['onTrainBegin', 'onEpochBegin', 'onBatchBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;

/**
 * The base of callbacks: override the hooks you need. `this.model` is the model being trained
 * (set `this.model.stopTraining = true` to stop after the current batch) and `this.params` describes
 * the run.
 */
export class Callback implements CallbackHooks {
  /** The model being trained; set by fit before `onTrainBegin`. */
  model!: Model;
  /** The run's parameters; set by fit before `onTrainBegin`. */
  params!: CallbackParams;

  /** Attaches the model (called by fit). */
  setModel(model: Model): void {
    this.model = model;
  }

  /** Sets the run's parameters (called by fit). */
  setParams(params: CallbackParams): void {
    this.params = params;
  }

  /** Called before the first epoch. */
  onTrainBegin(logs: Logs = {}): void { void logs; }
  /** Called after the last epoch. */
  onTrainEnd(logs: Logs = {}): void { void logs; }
  /** Called before each epoch. */
  onEpochBegin(epoch: number, logs: Logs = {}): void { void epoch; void logs; }
  /** Called after each epoch with its logs. */
  onEpochEnd(epoch: number, logs: Logs = {}): void { void epoch; void logs; }
  /** Called before each batch. */
  onBatchBegin(batch: number, logs: Logs = {}): void { void batch; void logs; }
  /** Called after each batch with its values. */
  onBatchEnd(batch: number, logs: Logs = {}): void { void batch; void logs; }
}

/** A plain object's hooks, called with the object as `this` (the hooks below forward to it and return what it returns). */
class HooksCallback extends Callback {
  constructor(private readonly hooks: CallbackHooks) {
    super();
  }

  onTrainBegin(logs: Logs = {}): void | Promise<void> { return this.hooks.onTrainBegin?.call(this.hooks, logs); }
  onTrainEnd(logs: Logs = {}): void | Promise<void> { return this.hooks.onTrainEnd?.call(this.hooks, logs); }
  onEpochBegin(epoch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onEpochBegin?.call(this.hooks, epoch, logs); }
  onEpochEnd(epoch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onEpochEnd?.call(this.hooks, epoch, logs); }
  onBatchBegin(batch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onBatchBegin?.call(this.hooks, batch, logs); }
  onBatchEnd(batch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onBatchEnd?.call(this.hooks, batch, logs); }
}

/** A callback, or a plain object with some of the hooks. */
export type CallbackLike = Callback | CallbackHooks;

/** Checks and wraps one entry of fit's `callbacks`. */
export function toCallback(fn: string, value: unknown, label: string): Callback {
  if (value instanceof Callback) return value;
  const expected = `a Callback or an object with some of ${HOOK_NAMES.join(', ')}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(fn, expected, label, value);
  const hooks = value as Record<string, unknown>;
  const present = HOOK_NAMES.filter((h) => hooks[h] !== undefined);
  if (present.length === 0) fail(fn, expected, label, value);
  for (const h of present) {
    if (!isCallable(hooks[h])) fail(fn, 'a function', `${label}.${h}`, hooks[h]);
  }
  return new HooksCallback(value as CallbackHooks);
}

/** Calls every callback's hook in order. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  /** Attaches the model and the run's parameters to every callback. */
  attach(model: Model, params: CallbackParams): void {
    for (const c of this.callbacks) {
      c.setModel(model);
      c.setParams(params);
    }
  }

  /** Forwards onTrainBegin. */
  onTrainBegin(logs: Logs = {}): void { for (const c of this.callbacks) c.onTrainBegin(logs); }
  /** Forwards onTrainEnd. */
  onTrainEnd(logs: Logs = {}): void { for (const c of this.callbacks) c.onTrainEnd(logs); }
  /** Forwards onEpochBegin. */
  onEpochBegin(epoch: number, logs: Logs = {}): void { for (const c of this.callbacks) c.onEpochBegin(epoch, logs); }
  /** Forwards onEpochEnd. */
  onEpochEnd(epoch: number, logs: Logs = {}): void { for (const c of this.callbacks) c.onEpochEnd(epoch, logs); }
  /** Forwards onBatchBegin. */
  onBatchBegin(batch: number, logs: Logs = {}): void { for (const c of this.callbacks) c.onBatchBegin(batch, logs); }
  /** Forwards onBatchEnd. */
  onBatchEnd(batch: number, logs: Logs = {}): void { for (const c of this.callbacks) c.onBatchEnd(batch, logs); }
}
