/**
 * The one typed view of the native addon, and the one place that loads it.
 * Nothing else in keratorch touches the addon: the backend (`K`) calls these functions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  describeTag, packageRoot, Prebuild, prebuildList, PrebuildTag, readPrebuildTag, sourceBuildFile, tagFileOf,
} from './addon_files';
import {
  describeTorch, FoundTorch, libtorchEnvProblem, minorVersion, pythonTorches, systemTorch, torchFromEnv, torchVersionAt,
  whyPrebuildDoesNotFit,
} from './torch_locate';

/** An opaque reference to a native libtorch tensor. */
export interface NativeHandle {
  readonly __nativeTensor: unique symbol;
}

/** What `memory()` reports: live tensors, and those the garbage collector freed so far. */
export interface MemoryInfo {
  /** Tensors made and neither disposed nor collected yet. */
  numTensors: number;
  /** Their bytes. */
  numBytes: number;
  /** Tensors the garbage collector has freed since the addon loaded (never disposed nor freed by tidy). */
  collectedTensors: number;
  /** Their bytes. */
  collectedBytes: number;
}

/** A value accepted where the native side allows a tensor or a scalar. */
export type HandleOrScalar = NativeHandle | number | boolean;

/** Elementwise ops of `binding/math.cc`'s unary table. */
export type UnaryOp = 'neg' | 'abs' | 'square' | 'sqrt' | 'exp' | 'log' | 'log1p' | 'sign' | 'round' | 'floor' |
  'ceil' | 'sin' | 'cos' | 'tan' | 'tanh' | 'sigmoid' | 'reciprocal' | 'logicalNot' | 'isNaN' | 'relu' |
  'softplus' | 'softsign' | 'relu6' | 'gelu' | 'geluTanh' | 'silu' | 'mish' | 'selu' | 'logSigmoid';
/** Ops of `binding/math.cc`'s binary table. */
export type BinaryOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'floorDiv' | 'mod' | 'pow' | 'minimum' |
  'maximum' | 'equal' | 'notEqual' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual' | 'logicalAnd' |
  'logicalOr' | 'matmul';
/** Reductions of `binding/math.cc`'s reduce table. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'std' | 'var' | 'any' | 'all' | 'logsumexp';

/** Optimizers of `binding/optim.cc`'s table. */
export type OptimizerKind = 'sgd' | 'rmsprop' | 'adagrad' | 'adam';

/**
 * Hyperparameters of one optimizer step (`binding/optim.cc`); each optimizer reads only its own.
 * Absent keys take Keras's defaults.
 */
export interface NativeOptimOptions {
  learningRate?: number;
  /** Keras's time-based decay: the rate used is learningRate / (1 + decay * iterations). */
  decay?: number;
  /** Steps taken before this one (Adam's bias correction uses iterations + 1). */
  iterations?: number;
  momentum?: number;
  nesterov?: boolean;
  rho?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
  /** Scale each gradient by clipnorm / its own norm when that norm is at least clipnorm (0: off). */
  clipnorm?: number;
  /** Scale all gradients by globalClipnorm / global norm when that norm is at least globalClipnorm (0: off). */
  globalClipnorm?: number;
  /** Clip every gradient element to [-clipvalue, clipvalue] (0: off). */
  clipvalue?: number;
}

/** An optimizer step of `binding/optim.cc` taken apart: what optim.<kind> takes but the parameters and gradients. */
export interface NativeDeferredUpdate {
  kind: OptimizerKind;
  slots: NativeHandle[][];
  options: NativeOptimOptions;
}

/** An opaque forward pass recorded by `traceFunction` (binding/recorded_forward.cc). */
export interface NativeRecording {
  readonly __nativeRecording: unique symbol;
}

/** One plan's outcome from `planRolloutsAsync`: the path as (row, col) pairs, start first. */
export interface NativeRollout {
  path: Int32Array;
  reached: boolean;
  collided: boolean;
}

/** What the addon reports about its build. */
export interface NativeBuildInfo {
  torchVersion: string;
  torchSource: string;
  torchLibDir: string;
  cudaCompiled: boolean;
  /** The widest build of the fused value-iteration CPU kernels that runs: avx512, avx2 or baseline
   * (maps whose rows fill at most half its vectors take a narrower one). */
  cpuKernels: string;
}

/** The addon's functions, grouped as in `binding/`. */
export interface NativeBinding {
  // tensor.cc
  fromBuffer(values: ArrayBufferView, shape: number[], dtype: string, device: string | null): NativeHandle;
  full(shape: number[], value: number, dtype: string, device: string | null): NativeHandle;
  arange(start: number, stop: number, step: number, dtype: string, device: string | null): NativeHandle;
  eye(rows: number, cols: number, dtype: string, device: string | null): NativeHandle;
  meta(x: NativeHandle): [number[], string, string, boolean];
  data(x: NativeHandle): Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
  item(x: NativeHandle): number | boolean;
  to(x: NativeHandle, device: string): NativeHandle;
  cast(x: NativeHandle, dtype: string): NativeHandle;
  /** Moves x's data to another device in place (the handle stays valid). */
  moveTo(x: NativeHandle, device: string): void;
  clone(x: NativeHandle): NativeHandle;
  dispose(x: NativeHandle): boolean;
  isDisposed(x: NativeHandle): boolean;
  memory(): MemoryInfo;
  changeTidyDepth(delta: 1 | -1): void;
  reportToGc(x: NativeHandle): void;
  // math.cc
  /** One function per elementwise op: `unary.exp(x)`. */
  unary: Record<UnaryOp, (x: NativeHandle) => NativeHandle>;
  /** One function per binary op: `binary.add(a, b)` (either side may be a number). */
  binary: Record<BinaryOp, (a: HandleOrScalar, b: HandleOrScalar) => NativeHandle>;
  /** One function per reduction: `reduce.sum(x, axes | null, keepdims)`. */
  reduce: Record<ReduceOp, (x: NativeHandle, axes: number[] | null, keepdims: boolean) => NativeHandle>;
  argReduce(op: string, x: NativeHandle, axis: number, keepdims: boolean): NativeHandle;
  cumulative(op: string, x: NativeHandle, axis: number): NativeHandle;
  clip(x: NativeHandle, min: number | null, max: number | null): NativeHandle;
  sparsemax(x: NativeHandle, axis: number): NativeHandle;
  where(condition: NativeHandle, a: HandleOrScalar, b: HandleOrScalar): NativeHandle;
  tensordot(a: NativeHandle, b: NativeHandle, axesA: number[], axesB: number[]): NativeHandle;
  // shape.cc
  reshape(x: NativeHandle, shape: number[]): NativeHandle;
  permute(x: NativeHandle, dims: number[]): NativeHandle;
  expandDims(x: NativeHandle, axis: number): NativeHandle;
  squeeze(x: NativeHandle, axis: number | null): NativeHandle;
  concatenate(xs: NativeHandle[], axis: number): NativeHandle;
  stack(xs: NativeHandle[], axis: number): NativeHandle;
  tile(x: NativeHandle, reps: number[]): NativeHandle;
  repeatElements(x: NativeHandle, rep: number, axis: number): NativeHandle;
  reverse(x: NativeHandle, axes: number[]): NativeHandle;
  slice(x: NativeHandle, start: number[], size: number[]): NativeHandle;
  stridedSlice(x: NativeHandle, axis: number, start: number, end: number, step: number): NativeHandle;
  gather(x: NativeHandle, indices: NativeHandle, axis: number): NativeHandle;
  oneHot(indices: NativeHandle, numClasses: number): NativeHandle;
  /** [min, max] of integer indices, or null when empty or while a forward is recorded. */
  indexBounds(indices: NativeHandle): [number, number] | null;
  pad(x: NativeHandle, pads: number[], value: number): NativeHandle;
  broadcastTo(x: NativeHandle, shape: number[]): NativeHandle;
  // nn.cc
  softmax(x: NativeHandle, axis: number): NativeHandle;
  logSoftmax(x: NativeHandle, axis: number): NativeHandle;
  elu(x: NativeHandle, alpha: number): NativeHandle;
  leakyRelu(x: NativeHandle, alpha: number): NativeHandle;
  /** x NCHW; kernel in Keras's (rows, cols, in, out) layout; padding [top, bottom, left, right]. */
  conv2d(x: NativeHandle, kernel: NativeHandle, bias: NativeHandle | null, strides: number[],
    padding: number[], dilation: number[]): NativeHandle;
  pool2d(x: NativeHandle, mode: string, poolSize: number[], strides: number[], padding: number[]): NativeHandle;
  /** -logProbabilities[i, target[i]] for log-probabilities (N, C) and N integer targets. */
  nllLoss(logProbabilities: NativeHandle, target: NativeHandle): NativeHandle;
  // random.cc
  setSeed(seed: number): void;
  randomNormal(shape: number[], mean: number, stddev: number, dtype: string, device: string | null,
    seed: number | null): NativeHandle;
  randomUniform(shape: number[], low: number, high: number, dtype: string, device: string | null,
    seed: number | null): NativeHandle;
  randomBinomial(shape: number[], p: number, dtype: string, device: string | null, seed: number | null): NativeHandle;
  dropout(x: NativeHandle, rate: number, noiseShape: number[] | null, seed: number | null): NativeHandle;
  // autograd.cc
  setRequiresGrad(x: NativeHandle, flag: boolean): void;
  grad(outputs: NativeHandle[], inputs: NativeHandle[], retainGraph: boolean, createGraph: boolean): NativeHandle[];
  detach(x: NativeHandle): NativeHandle;
  assign(target: NativeHandle, value: NativeHandle): void;
  setGradEnabled(flag: boolean): boolean;
  // optim.cc
  /**
   * One function per optimizer: `optim.adam(params, grads, slots, options)` updates every parameter and
   * its state in place. `slots` holds one list per state slot (sgd: moments; rmsprop, adagrad:
   * accumulators; adam: ms, vs, and vhats only with amsgrad), each with one tensor per parameter.
   */
  optim: Record<OptimizerKind, (params: NativeHandle[], grads: NativeHandle[], slots: NativeHandle[][],
    options: NativeOptimOptions) => void>;
  // vin.cc
  /**
   * The VIN value-iteration loop: r (B,1,H,W), wR / wV (3,3,1,Q) -> [q (B,Q,H,W), v (B,1,H,W)], or [q]
   * without `withValue`. `fused`: the one-pass kernel (vin_fused.cc) where it applies, else composed libtorch ops.
   */
  valueIteration(r: NativeHandle, wR: NativeHandle, wV: NativeHandle, k: number, fused: boolean, withValue: boolean): NativeHandle[];
  fusedValueIterationApplies(r: NativeHandle, wR: NativeHandle, wV: NativeHandle): boolean;
  /**
   * q (B,Q,H,W) at cells (B,2) or (B,S,2) of (row, col) -> (B,Q) or (B,S,Q). Off-map cells throw
   * ERR_VALUE; while recording they make the replay's index check fail instead.
   */
  qAtCells(q: NativeHandle, cells: NativeHandle): NativeHandle;
  // recorded_forward.cc
  /**
   * Calls `forward` once while libtorch's JIT tracer records every op it runs. The graph's inputs are
   * `inputs` then `params` (tensors the forward reads from elsewhere become constants); `forward`
   * returns the output handles. Reading values into JS while recording throws ERR_TRACE.
   */
  traceFunction(inputs: NativeHandle[], params: NativeHandle[], forward: () => NativeHandle[], name: string): NativeRecording;
  /** The recorded TorchScript graph as text. */
  traceGraph(recording: NativeRecording): string;
  /** Whether this thread is recording a forward now. */
  isTracing(): boolean;
  // serving.cc
  /** Replays a recording on a worker thread (no autograd); `op` names it in errors. */
  runTraceAsync(recording: NativeRecording, tensors: NativeHandle[], intraOpThreads: number, op: string): Promise<NativeHandle[]>;
  // training_step.cc
  /**
   * Replays a recorded forward and loss (its outputs: the total loss, then the logged values) on a
   * worker thread. With `trainable` weights, also takes the total's gradients with respect to them and
   * applies `update` (optim.<kind>'s slots and options) or, with `update` null, returns the gradients.
   */
  trainStepAsync(recording: NativeRecording, tensors: NativeHandle[], trainable: NativeHandle[],
    update: NativeDeferredUpdate | null, intraOpThreads: number, op: string): Promise<{ values: number[]; grads: NativeHandle[] }>;
  // rollout.cc
  /**
   * Replays a VIN's q-map recording on a worker thread, takes the argmax of q x `logitsKernel` at every
   * cell and rolls out each job: `jobs` holds (map, startRow, startCol, goalRow, goalCol, maxSteps) per
   * plan, `obstacles` maps*n*n cells (1 = blocked), `moves` (dRow, dCol) per action.
   */
  planRolloutsAsync(recording: NativeRecording, tensors: NativeHandle[], logitsKernel: NativeHandle,
    obstacles: Uint8Array, jobs: Int32Array, moves: Int32Array, intraOpThreads: number): Promise<NativeRollout[]>;
  // cpu_allocator.cc
  cpuCacheInfo(): { enabled: boolean; cachedBytes: number; limitBytes: number; hits: number; misses: number };
  emptyCpuCache(): void;
  // heap_policy.cc
  heapPolicy(): { tuned: boolean; trimThresholdBytes: number; mmapThresholdBytes: number; reason: string };
  // system.cc
  buildInfo(): NativeBuildInfo;
  /** Paths of the libtorch, c10 and CUDA libraries loaded in this process. */
  loadedLibraries(): string[];
  cudaIsAvailable(): boolean;
  cudaDeviceCount(): number;
  getNumThreads(): number;
  setNumThreads(count: number): void;
  // denormals.cc
  /** Sets flush-to-zero / denormals-are-zero for native work; returns whether the CPU has the switch. */
  setFlushDenormal(on: boolean): boolean;
  getFlushDenormal(): boolean;
  /** How many threads ran the chunks of a parallel loop as long as the intra-op thread count. */
  parallelTeam(): number;
  setErrorClass(ctor: new (message: string) => Error): void;
  /** The flag a failed call sets when it returns its error instead of throwing (see throwingBinding). */
  setFailureSlot(slot: Int32Array): void;
}

/** The places the loader looks for the addon, in order. */
export type AddonSource = 'KERATORCH_ADDON' | 'source build' | 'prebuild';

/** The loaded addon's file. */
export let addonPath = '';
/** Which of the loader's places the loaded addon came from. */
export let addonSource: AddonSource = 'source build';

interface Candidate {
  source: AddonSource;
  file: string;
  /** What a prebuild was built against (its sidecar), when known. */
  tag?: PrebuildTag | null;
  /** The libtorch found here that a prebuild runs on (its libraries are loaded first). */
  torch?: FoundTorch;
}

/** Prebuilds no libtorch found here can run, with why: for the error when nothing loads. */
const unfit: string[] = [];

/** Each prebuild that one of `torches` can run, paired with it. */
function fitting(prebuilds: Prebuild[], torches: FoundTorch[]): Candidate[] {
  const fits: Candidate[] = [];
  for (const torch of torches) {
    for (const prebuild of prebuilds) {
      if (!whyPrebuildDoesNotFit(prebuild.tag, torch)) fits.push({ source: 'prebuild', file: prebuild.addon, tag: prebuild.tag, torch });
    }
  }
  return fits;
}

/**
 * The places to try, in order, made as they are needed: the prebuilds (and any Python asked about
 * libtorch) only once the source build has not loaded.
 */
function* candidates(): Generator<Candidate> {
  const explicit = process.env.KERATORCH_ADDON;
  // An explicit choice is the only one tried: quietly loading another addon would hide the mistake.
  if (explicit) {
    const file = path.resolve(explicit);
    // With LIBTORCH set too, the addon runs on that libtorch (its libraries are loaded first).
    yield { source: 'KERATORCH_ADDON', file, tag: readPrebuildTag(tagFileOf(file)), torch: torchFromEnv() ?? undefined };
    return;
  }
  yield { source: 'source build', file: sourceBuildFile() };
  const prebuilds = prebuildList();
  // KERATORCH_TORCH=system|python narrows the search to one kind of libtorch.
  const only = process.env.KERATORCH_TORCH;
  if (only && only !== 'system' && only !== 'python') {
    throw new Error(`keratorch: KERATORCH_TORCH must be "system" (Debian's libtorch-dev) or "python" (a pip torch), ` +
      `but is "${only}"; for a libtorch folder, set LIBTORCH instead`);
  }
  // LIBTORCH, when set, is the only libtorch considered (an explicit choice must not fall back to
  // another). Else Debian's, told from its files; Python is asked only when that does not fit.
  const explicitTorch = process.env.LIBTORCH ? torchFromEnv() : null;
  const near = process.env.LIBTORCH ? (explicitTorch ? [explicitTorch] : [])
    : only === 'python' ? [] : [systemTorch()].filter((t): t is FoundTorch => t !== null);
  let fits = fitting(prebuilds, near);
  const torches = fits.length || !prebuilds.length || only === 'system' || process.env.LIBTORCH ? near
    : [...near, ...pythonTorches()];
  if (!fits.length) fits = fitting(prebuilds, torches);
  for (const prebuild of prebuilds.filter((p) => !fits.some((f) => f.file === p.addon))) {
    const why = torches.map((t) => `${describeTorch(t)}: ${whyPrebuildDoesNotFit(prebuild.tag, t)}`);
    unfit.push(`  prebuild: ${prebuild.addon} (${prebuild.tag ? describeTag(prebuild.tag) : 'no sidecar'}; ` +
      `${why.length ? `no libtorch here runs it: ${why.join('; ')}` : 'no libtorch found here'})`);
  }
  if (!prebuilds.length) unfit.push(`  prebuild: none for ${process.platform}-${process.arch}`);
  const envProblem = libtorchEnvProblem();
  if (envProblem) unfit.push(`  ${envProblem}`);
  yield* fits;
}

const isDevCheckout = fs.existsSync(path.join(packageRoot, 'src', 'native.ts'));
const rebuildCommand = isDevCheckout ? 'npm run build:native' : 'KERATORCH_BUILD_FROM_SOURCE=1 npm rebuild keratorch';

/** Why one candidate failed to load, and what would fix it. */
function explain(error: unknown, candidate: Candidate): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  const builtAgainst = candidate.tag ? describeTag(candidate.tag) : 'a libtorch not found here';
  const missing = /(lib[\w.+-]+?\.so[\w.]*): cannot open shared object file/.exec(message);
  if (missing && /^lib(torch|c10)/.test(missing[1])) {
    return `${message}. The libtorch library ${missing[1]} is missing (this addon was built against ${builtAgainst}): install ` +
      "Debian's libtorch (sudo apt-get install libtorch-dev), or add the lib folder of that libtorch to " +
      `LD_LIBRARY_PATH, or build against the libtorch you have (LIBTORCH=/path/to/libtorch ${rebuildCommand})`;
  }
  if (missing && /^lib(cu|nv|nccl)/.test(missing[1])) {
    return `${message}. The CUDA library ${missing[1]} is missing (this addon was built against ${builtAgainst}): ` +
      "install pip's CUDA libraries with the torch it was built against (pip install torch; scripts/get-torch.sh cuda " +
      'in a checkout), or the CUDA toolkit, or add the folder that holds it to LD_LIBRARY_PATH';
  }
  if (missing) return `${message}. A library it needs, ${missing[1]}, is missing: install it or add its folder to LD_LIBRARY_PATH`;
  if (/undefined symbol/.test(message)) {
    return `${message}. The libtorch found is not the one this addon was built against (${builtAgainst}): ` +
      `rebuild (${rebuildCommand})`;
  }
  if (/invalid ELF header|file too short|wrong ELF class|not a dynamic executable/.test(message)) {
    return `${message}. Not a native addon for ${process.platform}-${process.arch} (or a truncated file)`;
  }
  return message;
}

/**
 * Loads a found libtorch's libraries by path, globally and for good, before a prebuild that needs
 * them: a pip torch is in no folder the dynamic loader searches, and once loaded its libraries
 * satisfy the addon's needs by name. (Node's dlopen loads them, then says they are not addons.)
 */
/** What an addon needs of a pip torch or libtorch archive when its sidecar does not say. */
const DEFAULT_LIBRARIES = ['libc10.so', 'libtorch_cpu.so', 'libtorch.so'];

/** glibc's RTLD_NODELETE (Node does not export it): Node's dlclose after "not an addon" leaves the library loaded. */
const GLIBC_RTLD_NODELETE = 0x1000;

function preloadTorch(torch: FoundTorch, libraries: string[]): void {
  const flags = os.constants.dlopen;
  const cudaDirs = (() => {
    const nvidia = path.join(torch.libDir, '..', '..', 'nvidia');
    try {
      return fs.readdirSync(nvidia).map((d) => path.join(nvidia, d, 'lib'));
    } catch {
      return [];
    }
  })();
  // c10 first, then libtorch_cpu, then the rest: each finds its own dependencies by its run path.
  const order = (name: string) => (/^libc10\.so/.test(name) ? 0 : /^libtorch_cpu/.test(name) ? 1 : 2);
  for (const name of [...libraries].sort((a, b) => order(a) - order(b))) {
    const file = [torch.libDir, ...cudaDirs].map((dir) => path.join(dir, name)).find((f) => fs.existsSync(f));
    if (!file) continue; // the addon's own load then names what is missing
    try {
      process.dlopen({ exports: {} }, file, flags.RTLD_NOW | flags.RTLD_GLOBAL | GLIBC_RTLD_NODELETE);
    } catch (error) {
      if (!/did not self-register/.test((error as Error).message)) throw error;
    }
  }
}

/** The folders of the libtorch libraries among `libraries` (loaded libraries' paths). */
function torchDirsOf(libraries: string[]): string[] {
  const dirs = libraries.filter((p) => /(^|\/)lib(torch|c10)[^/]*$/.test(p)).map((p) => fs.realpathSync(path.dirname(p)));
  return [...new Set(dirs)];
}

/**
 * After loading: one libtorch only, of the version the addon was built against. Two libtorch builds in
 * one process, or another version than the addon's, fail later in ways that name neither.
 */
function checkLoadedTorch(binding: NativeBinding, file: string): void {
  const dirs = torchDirsOf(binding.loadedLibraries());
  const built = binding.buildInfo().torchVersion;
  const describe = (dir: string) => `libtorch ${torchVersionAt(dir) ?? '(version unknown)'} in ${dir}`;
  if (dirs.length > 1) {
    throw new Error(`keratorch: the addon ${file} (built against libtorch ${built}) runs with two libtorch builds ` +
      `loaded at once: ${dirs.map(describe).join(' and ')}. Unset LD_LIBRARY_PATH or LD_PRELOAD entries that point at ` +
      `one of them, or rebuild against one libtorch (LIBTORCH=/path/to/libtorch ${rebuildCommand}).`);
  }
  const loaded = dirs.length ? torchVersionAt(dirs[0]) : null;
  if (minorVersion(loaded) && minorVersion(built) && minorVersion(loaded) !== minorVersion(built)) {
    throw new Error(`keratorch: the addon ${file} was built against libtorch ${built}, but the libtorch loaded is ` +
      `${describe(dirs[0])}. Use the libtorch it was built for, or rebuild against this one ` +
      `(LIBTORCH=${path.dirname(dirs[0])} ${rebuildCommand}).`);
  }
}

function load(): NativeBinding {
  const tried: string[] = [];
  const explicit = Boolean(process.env.KERATORCH_ADDON);
  for (const candidate of candidates()) {
    const { source, file } = candidate;
    if (!fs.existsSync(file)) {
      tried.push(`  ${source}: ${file} (not found)`);
      continue;
    }
    let binding: NativeBinding;
    try {
      if (candidate.torch && candidate.torch.source !== 'system') preloadTorch(candidate.torch, candidate.tag?.libraries ?? DEFAULT_LIBRARIES);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      binding = require(file) as NativeBinding;
    } catch (error) {
      tried.push(`  ${source}: ${file}${candidate.torch ? ` on ${describeTorch(candidate.torch)}` : ''} (${explain(error, candidate)})`);
      continue;
    }
    checkLoadedTorch(binding, file);
    addonPath = file;
    addonSource = source;
    return throwingBinding(binding);
  }
  if (!explicit) tried.push(...unfit);
  const fix = explicit
    ? 'KERATORCH_ADDON is set, so nothing else was tried: point it at a working keratorch.node, or unset it ' +
      'to use the source build or the prebuilt addon.'
    : `Install a libtorch that a prebuilt addon was built for (Debian: sudo apt-get install libtorch-dev; pip: ` +
      `pip install torch==<a version above>), or build from source against yours with ${rebuildCommand} ` +
      '(needs cmake, a C++ compiler and libtorch; LIBTORCH=/path/to/libtorch, or a pip torch\'s site-packages/torch ' +
      'folder, or Torch_DIR=... picks it, e.g. a CUDA one), or set KERATORCH_ADDON to a built keratorch.node.';
  throw new Error(`keratorch: could not load the native addon. Tried:\n${tried.join('\n')}\n${fix}`);
}

/**
 * The addon with every function wrapped to throw what a failed call returns. A failed native call does
 * not throw into V8 itself: Node-API would hold the exception while V8 builds its message, and a
 * collection in between runs tensor finalizers that Node hands that exception as their own, a fatal
 * error inside the GC (Node 20). So the addon returns the error and sets the shared flag, and the throw
 * happens here, in plain JavaScript.
 */
function throwingBinding(binding: NativeBinding): NativeBinding {
  if (typeof binding.setFailureSlot !== 'function') {
    throw new Error(`keratorch: the addon ${addonPath} is older than this library (it has no setFailureSlot): ` +
      `rebuild it with ${rebuildCommand}`);
  }
  const failed = new Int32Array(1);
  binding.setFailureSlot(failed);
  const wrap = (group: Record<string, unknown>): Record<string, unknown> => {
    const wrapped: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(group)) {
      if (typeof member === 'function') {
        const call = member as (...args: unknown[]) => unknown;
        wrapped[name] = (...args: unknown[]): unknown => {
          const result = call(...args);
          if (failed[0] !== 0) {
            failed[0] = 0;
            throw result;
          }
          return result;
        };
      } else {
        wrapped[name] = member !== null && typeof member === 'object' ? wrap(member as Record<string, unknown>) : member;
      }
    }
    return wrapped;
  };
  return wrap(binding as unknown as Record<string, unknown>) as unknown as NativeBinding;
}

/** The libtorch this process runs on, as loaded (not as the build claims). */
export interface LoadedTorch {
  /** The folder its libraries were loaded from. */
  libDir: string;
  /** Its version, told from its files (a pip torch's version.py, Debian's library names), or null. */
  version: string | null;
  /** Every libtorch, c10 and CUDA library loaded, by path. */
  libraries: string[];
}

/** The libtorch this process really loaded: its folder and version (from its files). */
export function loadedTorch(): LoadedTorch {
  const libraries = native.loadedLibraries();
  const libDir = torchDirsOf(libraries)[0] ?? '';
  return { libDir, version: libDir ? torchVersionAt(libDir) : null, libraries };
}

/** The loaded addon (loaded once per process or worker). */
export const native: NativeBinding = load();
