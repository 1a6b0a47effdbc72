/**
 * The Tensor class: a handle on a native libtorch tensor plus cached metadata. Op methods
 * (`a.add(b)`, `x.sum(1, true)`) are attached by `methods.ts`.
 */
import { native, NativeHandle } from '../native';
import { DataTypeMap, DType, Device, TypedArray, integerRange, isFloatDType, ownRealmArray } from './dtypes';
import { registerTensorClass, tidy, track } from './engine';
import { KeratorchError } from './errors';
import { formatTensor } from './format';
// shapes imports this file too; slice is read only when called, after both have loaded.
import { slice as sliceBlock } from './shapes';
import { describe } from './validate';

/**
 * The symbol `util.inspect` (and so `console.log`) looks for: Node's `inspect.custom` is this
 * registered symbol. Declared here so that the public types need no Node type definitions.
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** Nested arrays of numbers or booleans, as `array()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

/** The dtypes whose values are numbers (all but bool). */
export type NumberDType = Exclude<DType, 'bool'>;

/** What `item()` gives for a tensor of dtype `D`: a boolean for bool, else a number. */
export type ItemValue<D extends DType> = D extends 'bool' ? boolean : number;

/** A tensor: an n-dimensional array stored by libtorch on the CPU or a CUDA device. */
export class Tensor {
  /** @internal The native tensor. Only the backend uses it. */
  readonly handle: NativeHandle;
  /** An optional name (set by `K.variable`). */
  name?: string;
  private shapeCache?: number[];
  private dtypeCache?: DType;
  private deviceCache?: string;
  private disposedFlag = false;

  /** @internal Tensors are made by keratorch functions (`tensor`, `K.*`), not by users. */
  constructor(handle: NativeHandle) {
    this.handle = handle;
    track(this);
  }

  private readMeta(): void {
    // A disposed handle still answers with what the tensor was (binding/tensor.cc keeps it).
    const [shape, dtype, device] = native.meta(this.handle);
    this.shapeCache = shape;
    this.dtypeCache = dtype as DType;
    this.deviceCache = device;
  }

  /** @internal The cached shape, not copied; callers must not mutate it. */
  get shapeRef(): readonly number[] {
    if (this.shapeCache === undefined) this.readMeta();
    return this.shapeCache as number[];
  }

  /** The size of each axis. */
  get shape(): number[] {
    return this.shapeRef.slice();
  }

  /** The element type. */
  get dtype(): DType {
    if (this.dtypeCache === undefined) this.readMeta();
    return this.dtypeCache as DType;
  }

  /** Where the values live: `cpu` or `cuda:N`. */
  get device(): Device {
    if (this.deviceCache === undefined) this.readMeta();
    return this.deviceCache as Device;
  }

  /** The number of axes. */
  get rank(): number {
    return this.shapeRef.length;
  }

  /** The number of elements. */
  get size(): number {
    return this.shapeRef.reduce((a, b) => a * b, 1);
  }

  /** True once `dispose()` (or the end of a `tidy` scope) freed the native memory. */
  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** True for a trainable tensor (a `K.variable` of a float dtype) or one computed from one. */
  get requiresGrad(): boolean {
    this.assertLive('requiresGrad');
    return native.meta(this.handle)[3];
  }

  /** @internal Throws the standard error when the tensor was disposed. */
  assertLive(fn: string, name = 'x'): void {
    if (this.disposedFlag) {
      throw new KeratorchError(`${fn}: expected a live tensor for ${name} but received a disposed tensor ` +
        `${this.describe()} (freed by dispose() or tidy())`, 'ERR_DISPOSED', fn);
    }
  }

  /** A short description such as `float32[2,3]` (with the device when not the CPU). */
  describe(): string {
    if (this.shapeCache === undefined) {
      try {
        this.readMeta();
      } catch {
        // not one of this addon's handles: describe what is known
      }
    }
    const shape = this.shapeCache ? `[${this.shapeCache.join(',')}]` : '';
    const device = this.deviceCache && this.deviceCache !== 'cpu' ? `@${this.deviceCache}` : '';
    return `${this.disposedFlag ? 'disposed ' : ''}${this.dtypeCache ?? 'tensor'}${shape}${device}`;
  }

  /** A copy of the values as a TypedArray (bool as Uint8Array, int64 as BigInt64Array). */
  data<D extends DType = DType>(): DataTypeMap[D] {
    this.assertLive('data');
    return ownRealmArray(native.data(this.handle), this.dtype) as DataTypeMap[D];
  }

  /** The values as nested arrays (int64 as numbers, bool as booleans). */
  array(): NestedArray {
    this.assertLive('array');
    const flat = toScalars(this.data(), this.dtype);
    const shape = this.shapeRef;
    if (shape.length === 0) return flat[0];
    const build = (axis: number, offset: number): NestedArray[] => {
      const n = shape[axis];
      const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === shape.length - 1 ? flat[offset + i] : build(axis + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /** The same as {@link data} (tfjs's name). */
  dataSync<D extends DType = DType>(): DataTypeMap[D] {
    return this.data<D>();
  }

  /** The same as {@link array} (tfjs's name). */
  arraySync(): NestedArray {
    return this.array();
  }

  /** The values as nested arrays, for `JSON.stringify(t)`; a disposed tensor throws `ERR_DISPOSED`. */
  toJSON(): NestedArray {
    this.assertLive('toJSON');
    return this.array();
  }

  /**
   * The block starting at `begin` with extent `size` on each axis (-1: to the end), as `K.slice`;
   * as in tfjs, a number or a shorter list for `begin` starts the first axes (the rest from 0), and
   * `size` left out or shorter runs the remaining axes to their end.
   */
  slice(begin: number | number[], size?: number | number[]): Tensor {
    this.assertLive('slice');
    const pad = (value: number | number[] | undefined, fill: number): number[] => {
      const given = typeof value === 'number' ? [value] : value ?? [];
      // Anything else (a string, a list longer than the rank) goes to K.slice unchanged, which names it.
      if (!Array.isArray(given) || given.length > this.rank) return given;
      return [...given, ...new Array<number>(this.rank - given.length).fill(fill)];
    };
    return sliceBlock(this, pad(begin, 0), pad(size, -1));
  }

  /**
   * Writes the values to `console.log` as tfjs does: `Tensor` and the values below it; `verbose`
   * adds the dtype, rank, shape and device.
   */
  print(verbose = false): void {
    this.assertLive('print');
    if (typeof verbose !== 'boolean') {
      throw new KeratorchError(`print: expected a boolean for verbose but received ${describe(verbose)}`, 'ERR_ARGUMENT', 'print');
    }
    const details = verbose
      ? [`  dtype:  ${this.dtype}`, `  rank:   ${this.rank}`, `  shape:  [${this.shapeRef.join(',')}]`,
        `  device: ${this.device}`, '  values:']
      : [];
    console.log(['Tensor', ...details, `    ${this.toString().replace(/\n/g, '\n    ')}`].join('\n'));
  }

  /**
   * The single value of a one-element tensor: a boolean for a bool tensor, else a number. Typed as a
   * number, as tfjs types `dataSync()`, since that is what nearly every call reads (a loss, a count);
   * name the dtype to have a bool tensor's value typed: `t.item<'bool'>()` is a `boolean`, and
   * `t.item<DType>()` either.
   */
  item<D extends DType = NumberDType>(): ItemValue<D> {
    this.assertLive('item');
    if (this.size !== 1) {
      throw new KeratorchError(`item: expected a tensor with one element for x but received ${this.describe()}`,
        'ERR_SHAPE', 'item');
    }
    return native.item(this.handle) as ItemValue<D>;
  }

  /** A copy on another device (`cpu`, `cuda`, `cuda:N`). */
  to(device: Device): Tensor {
    this.assertLive('to');
    if (typeof device !== 'string') {
      throw new KeratorchError(`to: expected a device string for device but received ${describe(device)}`,
        'ERR_DEVICE', 'to');
    }
    return new Tensor(native.to(this.handle, device));
  }

  /**
   * Moves this tensor's values to another device in place: every holder of this tensor (a layer,
   * an optimizer) then uses the moved values. Used to move a model's weights; `to` makes a copy.
   */
  moveTo(device: Device): void {
    this.assertLive('moveTo');
    native.moveTo(this.handle, device);
    this.deviceCache = undefined;
  }

  /**
   * A copy with another dtype (a copy too when the dtype is already `dtype`). Float values are
   * truncated towards zero into an integer dtype; NaN, infinities and values out of its range are
   * refused (libtorch would turn them all into -2147483648 or the like).
   */
  cast(dtype: DType): Tensor {
    this.assertLive('cast');
    checkCastable('cast', this, dtype);
    return new Tensor(native.cast(this.handle, dtype));
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    this.assertLive('clone');
    return new Tensor(native.clone(this.handle));
  }

  /** Frees the native memory now. Safe to call twice. */
  dispose(): void {
    if (this.disposedFlag) return;
    // Shape and dtype stay readable (and in error messages) after the values are gone: the native
    // handle keeps them, so nothing is read here on the hot path.
    this.disposedFlag = true;
    native.dispose(this.handle);
  }

  /** The values printed like numpy: `[[19., 22.],\n [43., 50.]]`. */
  toString(): string {
    if (this.disposedFlag) return `Tensor(${this.describe()})`;
    return formatTensor(toScalars(this.data(), this.dtype), this.shapeRef as number[], this.dtype);
  }

  /** How `console.log` shows a tensor. */
  [inspectSymbol](): string {
    if (this.disposedFlag) return `Tensor(${this.describe()})`;
    const device = this.device === 'cpu' ? '' : `, device=${this.device}`;
    const body = this.toString().replace(/\n/g, '\n       ');
    return `tensor(${body}, dtype=${this.dtype}${device})`;
  }
}

registerTensorClass(Tensor);

/** Refuses float values that `dtype`, an integer dtype, cannot hold after truncation. @internal */
export function checkCastable(fn: string, x: Tensor, dtype: DType, name = 'x'): void {
  const range = integerRange(dtype);
  // A recorded forward must not read values (its replays would skip the check anyway).
  if (range === undefined || !isFloatDType(x.dtype) || x.size === 0 || native.isTracing()) return;
  // The common case costs one min and one max over the tensor, no loop over its values here.
  const [low, high] = tidy(() => [native.reduce.min, native.reduce.max]
    .map((reduce) => Number(new Tensor(reduce(x.handle, null, false)).item())));
  if (Math.ceil(low) >= range[0] && Math.floor(high) < range[1]) return;
  const [count, index, first] = tidy(() => {
    const owned = (handle: NativeHandle) => new Tensor(handle).handle; // freed by the tidy
    const read = (handle: NativeHandle) => Number(new Tensor(handle).item());
    const flat = owned(native.reshape(x.handle, [-1]));
    const below = owned(native.binary.less(owned(native.unary.ceil(flat)), range[0]));
    const above = owned(native.binary.greaterEqual(owned(native.unary.floor(flat)), range[1]));
    const outside = owned(native.binary.logicalOr(below, above));
    const bad = owned(native.binary.logicalOr(owned(native.unary.isNaN(flat)), outside));
    const at = read(native.argReduce('argmax', owned(native.cast(bad, 'uint8')), 0, false));
    return [read(native.reduce.sum(bad, null, false)), at, read(native.slice(flat, [at], [1]))];
  });
  throw new KeratorchError(`${fn}: expected finite values in [${range[0]}, ${range[1]}) (dtype ${dtype}, after ` +
    `truncation) for ${name} but received ${x.describe()} with ${count} value${count === 1 ? '' : 's'} out of range, the ` +
    `first ${describe(first)} at index ${index}`, 'ERR_VALUE', fn);
}

function toScalars(values: TypedArray, dtype: DType): (number | boolean)[] {
  if (dtype === 'bool') return Array.from(values as Uint8Array, (v) => v !== 0);
  if (dtype === 'int64') return Array.from(values as BigInt64Array, (v) => Number(v));
  return Array.from(values as Float32Array);
}
