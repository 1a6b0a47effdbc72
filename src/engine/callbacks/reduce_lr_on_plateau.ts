/** `ReduceLROnPlateau`: lower the learning rate when a watched value stops improving. */
import { fail } from '../../backend/validate';
import { intOption, numberOption, optionsObject, stringOption } from '../options';
import { Callback, Logs } from './callback';
import { improves, MonitorMode, MonitorReader, resolveMode, worst } from './monitor';
import { learningRateOf, setLearningRate } from './learning_rate';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauArgs {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** The rate is multiplied by this (in [0, 1), default 0.1). */
  factor?: number;
  /** Epochs without improvement before lowering (default 10). */
  patience?: number;
  /** 1 prints a line when the rate changes (default 0). */
  verbose?: number;
  /** 'min', 'max', or 'auto' (max when the key contains "acc"); default 'auto'. */
  mode?: MonitorMode;
  /** The least change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a change before watching again (default 0). */
  cooldown?: number;
  /** The rate is never lowered below this (default 0). */
  minLr?: number;
}

const OPTIONS = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'];

/**
 * Multiplies the optimizer's learning rate by `factor` once `monitor` has not improved for
 * `patience` epochs (never below `minLr`), then waits `cooldown` epochs; as Keras, it logs the
 * current rate as `lr` at every epoch end.
 */
export class ReduceLROnPlateau extends Callback {
  /** The watched log key. */
  readonly monitor: string;
  /** The factor applied to the rate. */
  readonly factor: number;
  /** Epochs to wait. */
  readonly patience: number;
  /** Whether a line is printed on each change. */
  readonly verbose: number;
  /** The resolved direction. */
  readonly mode: 'min' | 'max';
  /** The least change that counts. */
  readonly minDelta: number;
  /** Epochs ignored after a change. */
  readonly cooldown: number;
  /** The lowest rate. */
  readonly minLr: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** The best value seen. */
  best = Infinity;
  private readonly reader: MonitorReader;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const fn = 'ReduceLROnPlateau';
    const options = optionsObject<ReduceLROnPlateauArgs>(fn, args, OPTIONS);
    this.monitor = stringOption(fn, 'monitor', options.monitor, 'val_loss');
    this.reader = new MonitorReader(fn, this.monitor);
    this.factor = numberOption(fn, 'factor', options.factor, 0.1, 0, 1, true);
    this.patience = intOption(fn, 'patience', options.patience, 10);
    this.verbose = intOption(fn, 'verbose', options.verbose, 0, 0, 2);
    this.mode = resolveMode(fn, options.mode, this.monitor);
    this.minDelta = numberOption(fn, 'minDelta', options.minDelta, 1e-4, 0);
    this.cooldown = intOption(fn, 'cooldown', options.cooldown, 0);
    this.minLr = numberOption(fn, 'minLr', options.minLr, 0, 0);
    if (this.factor === 0) fail(fn, 'a number > 0 and < 1', 'factor', this.factor, 'ERR_VALUE');
  }

  /** Resets the wait, the cooldown and the best value. */
  onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = worst(this.mode);
  }

  /** Logs `lr`, then lowers the rate once patience runs out (outside cooldown). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const lr = learningRateOf('ReduceLROnPlateau', this.model);
    logs.lr = lr;
    const current = this.reader.read(logs);
    if (current === undefined) return;
    const inCooldown = this.cooldownCounter > 0;
    if (inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (improves(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.wait = 0;
    } else if (!inCooldown) {
      this.wait += 1;
      if (this.wait >= this.patience && lr > this.minLr) {
        const next = Math.max(lr * this.factor, this.minLr);
        setLearningRate('ReduceLROnPlateau', this.model, next);
        if (this.verbose > 0) process.stdout.write(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.\n`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
