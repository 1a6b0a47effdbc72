/** `CSVLogger`: append every epoch's logs to a CSV file. */
import * as fs from 'fs';
import { KeratorchError } from '../../backend';
import { fail } from '../../backend/validate';
import { booleanOption, optionsObject, stringOption } from '../options';
import { Callback, Logs } from './callback';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerArgs {
  /** The file to write. */
  filename: string;
  /** Between values (default ','). */
  separator?: string;
  /** Add to an existing file instead of replacing it (default false). */
  append?: boolean;
}

/**
 * Writes one row per epoch (`epoch` then the log keys in sorted order, as Keras) to `filename`; the
 * header is written unless appending to a file that already has content.
 */
export class CSVLogger extends Callback {
  /** The file written. */
  readonly filename: string;
  /** The value separator. */
  readonly separator: string;
  /** Whether rows are added to an existing file. */
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(args: CSVLoggerArgs) {
    super();
    const fn = 'CSVLogger';
    const options = optionsObject<CSVLoggerArgs>(fn, args, ['filename', 'separator', 'append'], 'args');
    if (options.filename === undefined) fail(fn, 'a non-empty string', 'filename', undefined);
    this.filename = stringOption(fn, 'filename', options.filename, '');
    this.separator = stringOption(fn, 'separator', options.separator, ',');
    this.append = booleanOption(fn, 'append', options.append, false);
  }

  /** Opens the file: truncates it, or keeps its rows when appending. */
  onTrainBegin(): void {
    this.keys = null;
    const hasContent = this.append && fs.existsSync(this.filename) && fs.statSync(this.filename).size > 0;
    this.writeHeader = !hasContent;
    this.write(this.append ? 'a' : 'w', '');
  }

  /** Writes the epoch's row (and the header first, when needed). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.keys ??= Object.keys(logs).sort();
    const keys = this.keys;
    let text = '';
    if (this.writeHeader) {
      text += ['epoch', ...keys].join(this.separator) + '\n';
      this.writeHeader = false;
    }
    text += [String(epoch), ...keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))].join(this.separator) + '\n';
    this.write('a', text);
  }

  private write(flag: 'a' | 'w', text: string): void {
    try {
      fs.writeFileSync(this.filename, text, { flag });
    } catch (error) {
      throw new KeratorchError(`CSVLogger: could not write ${JSON.stringify(this.filename)}: ` +
        `${(error as Error).message}`, 'ERR_ARGUMENT', 'CSVLogger');
    }
  }
}
