/** Image-layer helpers: data formats, padding modes and Keras's output-length arithmetic. */
import { DataFormat, Padding } from '../backend';
import { checkChoice, checkInt } from './options';

/** The image layouts, as `dataFormat` options. */
export const DATA_FORMATS: readonly DataFormat[] = ['channelsLast', 'channelsFirst'];

/** The padding modes of convolution and pooling. */
export const PADDINGS: readonly Padding[] = ['valid', 'same'];

/** Checks a dataFormat option (default channelsLast; Keras's snake_case spelling is accepted). */
export function checkDataFormat(owner: string, value: unknown): DataFormat {
  if (value === undefined || value === null) return 'channelsLast';
  const camel = value === 'channels_last' ? 'channelsLast' : value === 'channels_first' ? 'channelsFirst' : value;
  return checkChoice(owner, 'dataFormat', camel, DATA_FORMATS);
}

/**
 * Keras's conv_output_length: the output size along one spatial axis (null stays null).
 * 'same' keeps ceil(length / stride); 'valid' only counts windows that fit the dilated kernel.
 */
export function convOutputLength(length: number | null, kernel: number, padding: Padding, stride: number,
  dilation = 1): number | null {
  const fn = 'convOutputLength';
  checkInt(fn, 'kernel', kernel);
  checkChoice(fn, 'padding', padding, PADDINGS);
  checkInt(fn, 'stride', stride);
  checkInt(fn, 'dilation', dilation);
  if (length === null) return null;
  checkInt(fn, 'length', length, 0);
  const dilatedKernel = (kernel - 1) * dilation + 1;
  const full = padding === 'same' ? length : length - dilatedKernel + 1;
  return Math.floor((full + stride - 1) / stride);
}

/** The (rows, cols) axes and the channel axis of a rank-4 shape in `dataFormat`. */
export function imageAxes(dataFormat: DataFormat): { rows: number; cols: number; channels: number } {
  return dataFormat === 'channelsLast' ? { rows: 1, cols: 2, channels: 3 } : { rows: 2, cols: 3, channels: 1 };
}
