/**
 * A Keras-style progress bar: redrawn in place on a terminal; otherwise (logs, CI) one line every
 * 30 seconds of a long run and one when it finishes, so a log shows that long work is moving.
 */
/**
 * Where text output goes, such as `process.stdout` or a file stream: only what keratorch uses, so
 * that its public types need no Node type definitions.
 */
export interface TextStream {
  write(text: string): unknown;
  /** True on a terminal, where a bar is redrawn in place. */
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Where to write (default process.stdout). */
  stream?: TextStream;
  /** Width of the bar in characters (default 30). */
  width?: number;
}

/** Progress over `total` steps with named values (loss, accuracy...) shown after the bar. */
export class ProgressBar {
  private readonly stream: TextStream;
  private readonly width: number;
  private readonly started = Date.now();
  private readonly interactive: boolean;
  private lastLogged = Date.now();
  /** Seconds between lines when the stream is not a terminal. */
  static readonly LOG_INTERVAL_S = 30;

  constructor(private readonly total: number, private readonly label = '', options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.width = options.width ?? 30;
    this.interactive = Boolean(this.stream.isTTY);
  }

  private line(done: number, values: Record<string, number>): string {
    const filled = Math.round((this.width * done) / Math.max(this.total, 1));
    const bar = done >= this.total ? '='.repeat(this.width)
      : '='.repeat(Math.max(filled - 1, 0)) + '>' + '.'.repeat(this.width - Math.max(filled, 1));
    const seconds = (Date.now() - this.started) / 1000;
    const stats = Object.entries(values).map(([k, v]) => `${k}: ${formatValue(v)}`).join(' - ');
    const digits = String(this.total).length;
    return `${this.label}${String(done).padStart(digits)}/${this.total} [${bar}] - ${seconds.toFixed(1)}s` +
      (stats ? ` - ${stats}` : '');
  }

  /** Reports that `done` steps are finished. */
  update(done: number, values: Record<string, number> = {}): void {
    if (this.interactive) {
      this.stream.write(`\r${this.line(done, values)}\x1b[K`);
      if (done >= this.total) this.stream.write('\n');
    } else if (done >= this.total || Date.now() - this.lastLogged >= ProgressBar.LOG_INTERVAL_S * 1000) {
      this.lastLogged = Date.now();
      this.stream.write(this.line(done, values) + '\n');
    }
  }
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}
