/** `LearningRateScheduler`: set the learning rate at the start of every epoch from a schedule. */
import { fail } from '../../backend/validate';
import { intOption } from '../options';
import { Callback, Logs } from './callback';
import { learningRateOf, setLearningRate } from './learning_rate';

/** A schedule: the rate for `epoch` (from 0) given the current rate. */
export type Schedule = (epoch: number, lr: number) => number;

/**
 * Calls `schedule(epoch, currentLr)` before each epoch and sets the optimizer's learning rate to the
 * result (a finite number >= 0); logs the rate as `lr` at each epoch end, as Keras.
 */
export class LearningRateScheduler extends Callback {
  /** The schedule. */
  readonly schedule: Schedule;
  /** 1 prints the rate at each change (default 0). */
  readonly verbose: number;

  constructor(schedule: Schedule, verbose = 0) {
    super();
    const fn = 'LearningRateScheduler';
    if (typeof schedule !== 'function') fail(fn, 'a function (epoch, lr) => number', 'schedule', schedule);
    this.schedule = schedule;
    this.verbose = intOption(fn, 'verbose', verbose, 0, 0, 2);
  }

  /** Sets the rate the schedule gives for this epoch. */
  onEpochBegin(epoch: number): void {
    const fn = 'LearningRateScheduler';
    const lr = this.schedule(epoch, learningRateOf(fn, this.model));
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      fail(fn, 'a finite number >= 0 from schedule', `schedule(${epoch}, lr)`, lr, 'ERR_VALUE');
    }
    setLearningRate(fn, this.model, lr);
    if (this.verbose > 0) process.stdout.write(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.\n`);
  }

  /** Logs the rate as `lr`. */
  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.lr = learningRateOf('LearningRateScheduler', this.model);
  }
}
