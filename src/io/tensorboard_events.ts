/**
 * TensorBoard event files: TFRecord framing (length, masked CRC32C of the length, the record, its
 * masked CRC32C) around `Event` protocol buffers, as TensorFlow's summary writers write them. The
 * few messages needed (Event, Summary, HistogramProto, from TensorFlow's event.proto and
 * summary.proto, field numbers unchanged) are encoded by protobufjs; the checksums by crc-32.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import * as crc32c from 'crc-32/crc32c';
import { KeratorchError } from '../backend';
import { checkFilePath } from './npy';
import { readRegularFile } from './read_file';

const SCHEMA = protobuf.Root.fromJSON({
  nested: {
    tensorboard: {
      nested: {
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 }, max: { type: 'double', id: 2 }, num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 }, sumSquares: { type: 'double', id: 5 },
            bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'histo'] } },
              fields: {
                tag: { type: 'string', id: 1 }, simpleValue: { type: 'float', id: 2 },
                histo: { type: 'tensorboard.HistogramProto', id: 5 },
              },
            },
          },
        },
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: {
            wallTime: { type: 'double', id: 1 }, step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 }, summary: { type: 'tensorboard.Summary', id: 5 },
          },
        },
      },
    },
  },
});
const EVENT = SCHEMA.lookupType('tensorboard.Event');

/** A histogram as TensorBoard's HistogramProto holds it: bucket i counts values in (limit[i-1], limit[i]]. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** One summary value: a scalar or a histogram, under a tag. */
export type SummaryValue = { tag: string; simpleValue: number } | { tag: string; histo: Histogram };

/** A decoded event: the file-version header, or summary values at a step. */
export interface TensorBoardEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: SummaryValue[] };
}

/** TFRecord's checksum: CRC32C, rotated right by 15 bits, plus a constant. */
function maskedCrc(bytes: Uint8Array): number {
  const crc = crc32c.buf(bytes) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

function frame(record: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(record.length), 0);
  header.writeUInt32LE(maskedCrc(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc(record), 0);
  return Buffer.concat([header, record, footer]);
}

function encodeEvent(event: Partial<TensorBoardEvent>): Uint8Array {
  return EVENT.encode(EVENT.fromObject(event)).finish();
}

let filesMade = 0;

/**
 * Appends events to one new file in `dir` (made if missing), named as TensorFlow names them
 * (`events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2`), starting with the `brain.Event:2` header.
 * Each write appends whole records and closes the file again, so the file is complete after every
 * write, whatever happens to the process afterwards.
 */
export class EventFileWriter {
  /** The file written. */
  readonly file: string;

  constructor(readonly fn: string, dir: string) {
    const seconds = Math.floor(Date.now() / 1000);
    this.file = path.join(dir, `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}.${filesMade++}.v2`);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      this.refuse(error);
    }
    this.append([{ wallTime: Date.now() / 1000, step: 0, fileVersion: 'brain.Event:2' }]);
  }

  /** Writes the values as one event at `step`; nothing when there are none. */
  write(step: number, values: SummaryValue[]): void {
    if (values.length > 0) this.append([{ wallTime: Date.now() / 1000, step, summary: { value: values } }]);
  }

  private append(events: Partial<TensorBoardEvent>[]): void {
    try {
      fs.appendFileSync(this.file, Buffer.concat(events.map((e) => frame(encodeEvent(e)))));
    } catch (error) {
      this.refuse(error);
    }
  }

  private refuse(error: unknown): never {
    throw new KeratorchError(`${this.fn}: could not write ${JSON.stringify(this.file)}: ${(error as Error).message}`,
      'ERR_ARGUMENT', this.fn);
  }
}

/**
 * Reads an event file back: every record's length and data checksums are checked, and each event
 * decoded. Throws ERR_VALUE on a truncated record or a checksum that does not match.
 */
export function readEventFile(file: string): TensorBoardEvent[] {
  const fn = 'readEventFile';
  checkFilePath(fn, file);
  const bytes = readRegularFile(fn, file);
  const events: TensorBoardEvent[] = [];
  const bad = (what: string, at: number): never => {
    throw new KeratorchError(`${fn}: ${JSON.stringify(file)}: ${what} at byte ${at}`, 'ERR_VALUE', fn);
  };
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) bad('a truncated record header', at);
    if (bytes.readUInt32LE(at + 8) !== maskedCrc(bytes.subarray(at, at + 8))) bad('a length checksum that does not match', at);
    const length = Number(bytes.readBigUInt64LE(at));
    const start = at + 12;
    if (start + length + 4 > bytes.length) bad('a truncated record', at);
    const record = bytes.subarray(start, start + length);
    if (bytes.readUInt32LE(start + length) !== maskedCrc(record)) bad('a data checksum that does not match', at);
    const decoded = EVENT.toObject(EVENT.decode(record), { longs: Number, defaults: false, oneofs: false });
    events.push({ wallTime: 0, step: 0, ...decoded } as TensorBoardEvent);
    at = start + length + 4;
  }
  return events;
}
