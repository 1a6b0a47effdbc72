/** `ProgbarLogger`: fit's console output (added by fit when verbose > 0). */
import { ProgressBar, TextStream } from '../../util/progress';
import { intOption, optionsObject } from '../options';
import { Callback, Logs } from './callback';

/** Options of {@link ProgbarLogger}. */
export interface ProgbarLoggerArgs {
  /** 1: a progress bar per epoch (redrawn per batch on a terminal); 2: one line per epoch. Default 1. */
  verbose?: number;
  /** Where to write (default process.stdout). */
  stream?: TextStream;
}

const HIDDEN = new Set(['batch', 'size']);

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}

/**
 * Prints training progress as Keras does. verbose 1 on a terminal: "Epoch i/n" then a bar redrawn
 * after each batch with running averages; elsewhere (logs, CI) and with verbose 2: one line per
 * epoch with the epoch's values, validation included.
 */
export class ProgbarLogger extends Callback {
  /** The verbosity (1 or 2). */
  readonly verbose: number;
  private readonly stream: TextStream;
  private bar: ProgressBar | null = null;
  private started = 0;
  private seen = 0;
  private sums: Record<string, number> = {};

  constructor(args: ProgbarLoggerArgs = {}) {
    super();
    const options = optionsObject<ProgbarLoggerArgs>('ProgbarLogger', args, ['verbose', 'stream']);
    this.verbose = intOption('ProgbarLogger', 'verbose', options.verbose, 1, 1, 2);
    this.stream = options.stream ?? process.stdout;
  }

  private get interactive(): boolean {
    return this.verbose === 1 && Boolean(this.stream.isTTY);
  }

  /** Starts the epoch's bar (or its timer, for one-line output). */
  onEpochBegin(epoch: number): void {
    const title = `Epoch ${epoch + 1}/${this.params.epochs}`;
    this.seen = 0;
    this.sums = {};
    this.started = Date.now();
    if (this.verbose !== 1) return;
    if (this.interactive) this.stream.write(`${title}\n`);
    this.bar = new ProgressBar(this.params.steps, this.interactive ? '' : `${title} `,
      { stream: this.stream });
  }

  /** Adds the batch to the running averages and redraws the bar. */
  onBatchEnd(batch: number, logs: Logs = {}): void {
    const size = logs.size ?? 1;
    this.seen += size;
    for (const [k, v] of Object.entries(logs)) {
      if (!HIDDEN.has(k)) this.sums[k] = (this.sums[k] ?? 0) + v * size;
    }
    // The last batch is drawn by onEpochEnd, with the validation values.
    if (this.bar && batch + 1 < this.params.steps) this.bar.update(batch + 1, this.averages());
  }

  /** Completes the bar, or writes the epoch's line, with all the epoch's values. */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const values = Object.fromEntries(Object.entries(logs).filter(([k]) => !HIDDEN.has(k)));
    if (this.bar) {
      this.bar.update(this.params.steps, values);
      this.bar = null;
      return;
    }
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const stats = Object.entries(values).map(([k, v]) => `${k}: ${formatValue(v)}`).join(' - ');
    this.stream.write(`Epoch ${epoch + 1}/${this.params.epochs} - ${seconds}s${stats ? ` - ${stats}` : ''}\n`);
  }

  private averages(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.sums).map(([k, v]) => [k, v / Math.max(this.seen, 1)]));
  }
}
