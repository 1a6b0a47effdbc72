/**
 * The base of layers that run a user function (Lambda, Merge): the output shape is declared
 * (`outputShape`) and then checked on every concrete call, or inferred by running the function on
 * zeros. Functions are saved by the name they are registered under (`registerFunction`).
 */
import { DType, K, KeratorchError, Tensor } from '../backend';
import { isCallable } from '../backend/validate';
import {
  CallArgs, describeShape, Layer, LayerArgs, layerError, ownOptionNames, Shape, SymbolicTensor,
} from '../engine';
import { isShape, isShapeList } from '../engine/shapes';
import { functionName, getRegisteredFunction } from '../io/registry';
import { inferOutput } from './infer_output';
import { describeValue, optionError } from './options';

/** What a function layer's function returns: one Tensor or a list. */
export type FunctionResult = Tensor | Tensor[];

/**
 * Any function a function layer runs: it gets the concrete input(s) and the layer's `arguments`, and
 * returns `R`. Written as a method's type because method parameters are bivariant: functions of one
 * tensor, `(x: Tensor) => ...`, and of a list, `(xs: Tensor[]) => ...`, are both accepted.
 */
export type LayerFunction<R extends FunctionResult = FunctionResult> = {
  run(inputs: Tensor | Tensor[], args: Record<string, unknown>): R;
}['run'];

/** A function from the input shape(s) (batch axis included) to the output shape(s). */
export type OutputShapeFunction = (inputShape: Shape | Shape[]) => Shape | Shape[];

/**
 * The declared output shape: the shape of one sample (batch axis excluded; it is the first input's),
 * a function of the full input shape(s), or the registered name of such a function.
 */
export type OutputShapeSpec = Shape | OutputShapeFunction | string;

/** Options shared by function layers. */
export interface FunctionLayerArgs extends LayerArgs {
  /** The declared output shape; left out, it is inferred by running the function on zeros. */
  outputShape?: OutputShapeSpec | null;
  /** Extra values passed to the function as its second argument (must be JSON-serializable to save). */
  arguments?: Record<string, unknown>;
}

/**
 * See the file comment. `R` is what the function returns, so `apply` is typed by it: a function
 * returning one Tensor gives one output, on one input or a list.
 */
export abstract class FunctionLayer<R extends FunctionResult = FunctionResult> extends Layer {
  static optionNames = ownOptionNames<FunctionLayerArgs, LayerArgs>()('outputShape', 'arguments');
  /** The function run on concrete inputs. */
  readonly fn: LayerFunction<R>;
  /** The declared output shape, or null (inferred). */
  readonly outputShapeSpec: Shape | OutputShapeFunction | null;
  /** The extra arguments passed to the function. */
  readonly fnArguments: Record<string, unknown>;
  /** The option that holds the function ('function' or 'mode'), as saved. */
  private readonly functionKey: string;
  private readonly explicitDType: boolean;
  private inputDTypesHint?: DType[];
  private inferredDType?: DType;

  /**
   * @param owner The class name, for messages.
   * @param key The option that holds the function ('function' or 'mode').
   * @param fn The function, or its registered name.
   */
  protected constructor(owner: string, key: string, fn: unknown, args: FunctionLayerArgs) {
    // The class is exported (for instanceof and subclassing), so JavaScript can call its constructor directly.
    if (new.target === FunctionLayer) {
      throw optionError('FunctionLayer', 'a subclass (Lambda, Merge or your own)', 'the class', FunctionLayer);
    }
    super(args);
    this.functionKey = key;
    this.explicitDType = args.dtype !== undefined;
    this.fn = resolveFunction(owner, key, fn, `the ${owner} layer "${this.name}"`) as LayerFunction<R>;
    const spec = args.outputShape ?? null;
    if (spec === null || isShape(spec)) {
      this.outputShapeSpec = spec === null ? null : [...spec];
    } else if (typeof spec === 'function' || typeof spec === 'string') {
      this.outputShapeSpec = resolveFunction(owner, 'outputShape', spec, `the outputShape of ${owner} layer "${this.name}"`) as OutputShapeFunction;
    } else {
      throw optionError(owner, 'an array of non-negative integers or null (batch axis excluded), a function of the ' +
        'input shape, or a registered function name', 'outputShape', spec);
    }
    const extra = args.arguments ?? {};
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
      throw optionError(owner, 'an object of extra arguments', 'arguments', extra);
    }
    this.fnArguments = { ...extra };
  }

  protected prepareSymbolicApply(inputs: readonly SymbolicTensor[]): void {
    // computeOutputShape only sees shapes; the probe run needs the dtypes too (integer indices, ...).
    this.inputDTypesHint = inputs.map((x) => x.dtype);
  }

  /** Checks the input count (Merge needs a list); called for symbolic and concrete inputs. */
  protected checkInputs(inputShape: Shape | Shape[]): void {
    void inputShape;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    this.checkInputs(inputShape);
    this.inferredDType = undefined;
    const declared = this.declaredShape(inputShape);
    if (declared !== null) return declared;
    const asList = isShapeList(inputShape);
    const shapes = asList ? inputShape : [inputShape];
    const dtypes = shapes.map((_, i) => this.inputDTypesHint?.[i] ?? this.dtype);
    const inferred = inferOutput(this, (xs) => this.fn(xs, this.fnArguments), shapes, dtypes, asList);
    this.inferredDType = inferred.dtypes[0];
    return inferred.multiple ? inferred.shapes : inferred.shapes[0];
  }

  /** The dtype the probe run returned; else the layer's dtype if given, else the first input's. */
  computeOutputDType(inputDTypes: DType[]): DType {
    if (this.inferredDType !== undefined) return this.inferredDType;
    return this.explicitDType ? this.dtype : inputDTypes[0] ?? this.dtype;
  }

  /** The output shape(s) `outputShape` declares for `inputShape`, or null when it is not given. */
  private declaredShape(inputShape: Shape | Shape[]): Shape | Shape[] | null {
    const spec = this.outputShapeSpec;
    if (spec === null) return null;
    if (typeof spec !== 'function') {
      const first = isShapeList(inputShape) ? inputShape[0] : inputShape;
      return [first[0] ?? null, ...spec];
    }
    const out = spec(inputShape);
    const ok = isShape(out) || (Array.isArray(out) && out.length > 0 && out.every(isShape));
    if (!ok) {
      throw layerError(this, 'outputShape', `expected the outputShape function to return a shape or a list of shapes ` +
        `but received ${describeValue(out)}`, 'ERR_ARGUMENT');
    }
    return out;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): R {
    void args;
    const shapes = Array.isArray(inputs) ? inputs.map((t) => t.shape as Shape) : inputs.shape as Shape;
    this.checkInputs(shapes);
    const out = K.tidy(() => this.fn(inputs, this.fnArguments));
    // The engine reads its inputs again (the backward pass, a clone for the caller): a function that
    // disposed one would fail later, in an op it never called.
    const given = Array.isArray(inputs) ? inputs : [inputs];
    const disposed = given.findIndex((t) => t.isDisposed);
    if (disposed >= 0) {
      throw layerError(this, 'call', `the function disposed its input${given.length > 1 ? ` ${disposed}` : ''} ` +
        `(${given[disposed].describe()}); inputs belong to the caller: dispose only tensors the function made`, 'ERR_DISPOSED');
    }
    const list = Array.isArray(out) ? out : [out];
    if (list.length === 0 || !list.every((t) => t instanceof Tensor)) {
      throw layerError(this, 'call', `expected the function to return a Tensor or a list of Tensors but received ` +
        `${describeValue(out)}`, 'ERR_ARGUMENT');
    }
    const declared = this.declaredShape(shapes);
    if (declared !== null) {
      const want = isShapeList(declared) ? declared : [declared];
      const got = list.map((t) => t.shape as Shape);
      const fits = want.length === got.length && want.every((shape, i) => shape.length === got[i].length &&
        shape.every((d, j) => d === null || d === got[i][j]));
      if (!fits) {
        const inputsOwned = new Set(Array.isArray(inputs) ? inputs : [inputs]);
        list.forEach((t) => { if (!inputsOwned.has(t)) t.dispose(); });
        throw layerError(this, 'call', `the function returned ${got.map(describeShape).join(', ')} but outputShape ` +
          `declares ${want.map(describeShape).join(', ')} (for input ${(isShapeList(shapes) ? shapes : [shapes])
            .map(describeShape).join(', ')})`);
      }
    }
    return out;
  }

  /** The functions with no registered name, which `getConfig` saves as null. */
  unsavedParts(): string[] {
    const parts: string[] = [];
    const check = (fn: (...args: never[]) => unknown, key: string, suffix: string) => {
      if (functionName(fn) !== undefined) return;
      // An arrow function written in an options object takes the option's name, which names nothing.
      const own = fn.name !== '' && fn.name !== key ? fn.name : undefined;
      parts.push(`its ${key} ${own ? `${own}()` : '(an anonymous function)'} has no registered name: call ` +
        `registerFunction(${JSON.stringify(own ?? `${this.name}_${suffix}`)}, fn) with it before saving`);
    };
    check(this.fn, this.functionKey, this.functionKey);
    if (typeof this.outputShapeSpec === 'function') check(this.outputShapeSpec, 'outputShape', 'output_shape');
    return parts;
  }

  /** The base config plus the saved function names and arguments; `key` is 'function' or 'mode'. */
  protected functionConfig(key: string): Record<string, unknown> {
    const config: Record<string, unknown> = super.getConfig();
    if (!this.explicitDType) delete config.dtype;
    const spec = this.outputShapeSpec;
    config[key] = functionName(this.fn) ?? null;
    config.outputShape = spec === null ? null : typeof spec === 'function' ? functionName(spec) ?? null : [...spec];
    config.arguments = { ...this.fnArguments };
    return config;
  }
}

/** A function, or the function registered under a name. */
function resolveFunction(owner: string, key: string, value: unknown, purpose: string): (...args: never[]) => unknown {
  if (isCallable(value)) return value;
  if (typeof value === 'string' && value !== '') return getRegisteredFunction(value, purpose, owner);
  if (value === null && key !== 'outputShape') {
    // What save(dir, { allowUnregistered: true }) writes for a function that had no registered name.
    throw new KeratorchError(`${owner}: ${purpose} has null for ${key}: it was saved without its function ` +
      `(save(dir, { allowUnregistered: true }) while the function had no registered name). Register the function ` +
      `(registerFunction("name", fn)) and write "name" as the layer's "${key}" in model.json, or save the model again ` +
      `after registering it`, 'ERR_ARGUMENT', owner);
  }
  throw optionError(owner, 'a function or the name of a function registered with registerFunction', key, value);
}
