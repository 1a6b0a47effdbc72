/** `ModelCheckpoint`: save the model (or its weights) after epochs, optionally only when it improved. */
import * as nodePath from 'path';
import { KeratorchError } from '../../backend';
import { checkParentFolder } from '../../io/atomic';
import { fail } from '../../backend/validate';
import { booleanOption, intOption, optionsObject, stringOption } from '../options';
import { Callback, Logs } from './callback';
import { improves, MonitorMode, MonitorReader, resolveMode, worst } from './monitor';
import { formatPath } from './format_path';

/** Options of {@link ModelCheckpoint}. */
export interface ModelCheckpointArgs {
  /**
   * Where to save; may hold Python-style fields filled from `epoch` (from 1) and the logs:
   * `'ckpt/{epoch:02d}-{val_loss:.4f}'`.
   */
  filepath: string;
  /** The log key `saveBestOnly` watches (default 'val_loss'). */
  monitor?: string;
  /** 1 prints a line per save (default 0). */
  verbose?: number;
  /** Save only when `monitor` improved on the best so far (default false). */
  saveBestOnly?: boolean;
  /** `model.saveWeights(path)` instead of `model.save(path)` (default false). */
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto' (max when the key contains "acc"); default 'auto'. */
  mode?: MonitorMode;
  /** Save every `period` epochs (default 1). */
  period?: number;
}

const OPTIONS = ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'period'];

type Saver = (path: string) => unknown;

/**
 * Saves after every `period` epochs with `model.save(path)` (a folder) or, with `saveWeightsOnly`,
 * `model.saveWeights(path)`; with `saveBestOnly`, only when `monitor` improved. Saving must be
 * synchronous, as fit is. The folder the checkpoints go in must exist: it is checked when training
 * begins, and never created (a checkpoint's own folder, from `model.save`, is).
 */
export class ModelCheckpoint extends Callback {
  /** The path pattern. */
  readonly filepath: string;
  /** The watched log key. */
  readonly monitor: string;
  /** Whether a line is printed per save. */
  readonly verbose: number;
  /** Whether only improvements are saved. */
  readonly saveBestOnly: boolean;
  /** Whether only weights are saved. */
  readonly saveWeightsOnly: boolean;
  /** The resolved direction. */
  readonly mode: 'min' | 'max';
  /** Epochs between saves. */
  readonly period: number;
  /** The best value seen. */
  best = Infinity;
  private sinceLast = 0;
  private readonly reader: MonitorReader;

  constructor(args: ModelCheckpointArgs) {
    super();
    const fn = 'ModelCheckpoint';
    const options = optionsObject<ModelCheckpointArgs>(fn, args, OPTIONS, 'args');
    if (options.filepath === undefined) fail(fn, 'a non-empty string', 'filepath', undefined);
    this.filepath = stringOption(fn, 'filepath', options.filepath, '');
    this.monitor = stringOption(fn, 'monitor', options.monitor, 'val_loss');
    this.reader = new MonitorReader(fn, this.monitor);
    this.verbose = intOption(fn, 'verbose', options.verbose, 0, 0, 2);
    this.saveBestOnly = booleanOption(fn, 'saveBestOnly', options.saveBestOnly, false);
    this.saveWeightsOnly = booleanOption(fn, 'saveWeightsOnly', options.saveWeightsOnly, false);
    this.mode = resolveMode(fn, options.mode, this.monitor);
    this.period = intOption(fn, 'period', options.period, 1, 1);
    this.best = worst(this.mode);
  }

  /** Restarts the period count; checks, before any epoch runs, that saving can work. */
  onTrainBegin(): void {
    this.sinceLast = 0;
    this.saver();
    // A folder with {fields} in it differs by epoch: each save checks its own.
    if (!nodePath.dirname(this.filepath).includes('{')) checkParentFolder('ModelCheckpoint', this.filepath);
  }

  /** Saves when the period is reached (and, with saveBestOnly, the value improved). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.sinceLast += 1;
    if (this.sinceLast < this.period) return;
    this.sinceLast = 0;
    const path = formatPath('ModelCheckpoint', this.filepath, epoch + 1, logs);
    if (this.saveBestOnly) {
      const current = this.reader.read(logs);
      if (current === undefined) return;
      if (!improves(this.mode, current, this.best, 0)) return;
      if (this.verbose > 0) {
        process.stdout.write(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving model to ${path}\n`);
      }
      this.best = current;
    } else if (this.verbose > 0) {
      process.stdout.write(`\nEpoch ${epoch + 1}: saving model to ${path}\n`);
    }
    this.save(path);
  }

  /** The model's save method this checkpoint uses, and its name. */
  private saver(): { method: string; saver: Saver } {
    const method = this.saveWeightsOnly ? 'saveWeights' : 'save';
    const saver = (this.model as unknown as Record<string, Saver | undefined>)[method];
    if (typeof saver !== 'function') {
      throw new KeratorchError(`ModelCheckpoint: expected a model with a ${method}() method for model but received ` +
        `"${this.model.name}", which has none (import keratorch's saving support, src/io, to add it)`,
        'ERR_ARGUMENT', 'ModelCheckpoint');
    }
    return { method, saver };
  }

  private save(path: string): void {
    checkParentFolder('ModelCheckpoint', path);
    const { method, saver } = this.saver();
    const result = saver.call(this.model, path);
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      throw new KeratorchError(`ModelCheckpoint: expected model.${method}() to save synchronously but it returned a ` +
        'Promise', 'ERR_ARGUMENT', 'ModelCheckpoint');
    }
  }
}
