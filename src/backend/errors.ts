/** Error codes carried by every {@link KeratorchError}. */
export type ErrorCode =
  | 'ERR_ARGUMENT' // a value of the wrong kind or out of range
  | 'ERR_SHAPE' // shapes or ranks that do not fit
  | 'ERR_DTYPE' // a dtype that does not fit
  | 'ERR_DEVICE' // an unknown or unavailable device, or tensors on different devices
  | 'ERR_VALUE' // a value that is invalid for the operation (NaN, out-of-range index)
  | 'ERR_DISPOSED' // a tensor used after dispose() / tidy()
  | 'ERR_TORCH' // libtorch refused the operation
  | 'ERR_TRACE' // a forward that cannot be recorded for async use (it reads tensor values into JS)
  | 'ERR_MEMORY' // a tensor larger than the machine's memory, or an allocation that failed
  | 'ERR_NATIVE';

/**
 * Every error keratorch throws, from TypeScript validation or from libtorch. The message names the
 * function and what it received; `code` tells the kind and `op` the function.
 */
export class KeratorchError extends Error {
  code: ErrorCode;
  op: string;

  constructor(message: string, code: ErrorCode = 'ERR_NATIVE', op = '') {
    super(message);
    this.name = 'KeratorchError';
    this.code = code;
    this.op = op;
  }
}
