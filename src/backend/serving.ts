/**
 * Serving: forward passes recorded once per input signature and replayed natively off the JS thread,
 * and the settings that bound the threads they use. Batching (gathering concurrent calls into one
 * forward) is built on this by the engine and the VIN planner.
 */
import { native, NativeDeferredUpdate, NativeHandle, NativeRecording, NativeRollout } from '../native';
import { noGrad } from './autograd';
import { tidy } from './engine';
import { KeratorchError } from './errors';
import { handleOf, wrap } from './operands';
import { Tensor } from './tensor';
import { coreCount, maxThreadCount } from './system';
import { checkInt, fail, isCallable } from './validate';

/** How async inference uses threads and batches requests. */
export interface ServingOptions {
  /**
   * Native tasks that may run at once (each on a thread of libuv's pool, whose size is
   * UV_THREADPOOL_SIZE, default 4). Default: min(cores, libuv pool size).
   */
  workers: number;
  /** libtorch intra-op threads each task uses. Default: max(1, floor(cores / workers)). */
  intraOpThreads: number;
  /** Most rows (samples, or plans) gathered into one batched forward; 1 turns batching off. Default 32. */
  maxBatch: number;
  /**
   * How long a request that finds a worker idle waits for others to join its batch, in ms. Default 0:
   * it waits only for the requests made in the same turn of the event loop (the callers of a batch
   * that just finished, the HTTP requests read in one poll). Requests that find every worker busy
   * wait for one anyway and go together. A lone request on an idle model never waits.
   */
  maxDelayMs: number;
}

const OPTION_NAMES: (keyof ServingOptions)[] = ['workers', 'intraOpThreads', 'maxBatch', 'maxDelayMs'];

/** Threads in libuv's pool, which runs the native tasks (fixed when the pool first starts). */
export function libuvPoolSize(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}

function defaults(): ServingOptions {
  const workers = Math.max(1, Math.min(coreCount(), libuvPoolSize()));
  return { workers, intraOpThreads: Math.max(1, Math.floor(coreCount() / workers)), maxBatch: 32, maxDelayMs: 0 };
}

let current: ServingOptions = defaults();

/**
 * Changes the serving settings (the rest keep their values) and returns them all. `workers` times
 * `intraOpThreads` at most the core count keeps concurrent requests from oversubscribing the CPU.
 */
export function configure(options: Partial<ServingOptions>): ServingOptions {
  const fn = 'serving.configure';
  if (!options || typeof options !== 'object') fail(fn, 'an options object', 'options', options);
  const unknown = Object.keys(options).find((k) => !OPTION_NAMES.includes(k as keyof ServingOptions));
  if (unknown !== undefined) {
    throw new KeratorchError(`${fn}: unknown option ${JSON.stringify(unknown)} (expected one of ${OPTION_NAMES.join(', ')})`,
      'ERR_ARGUMENT', fn);
  }
  const next = { ...current };
  if (options.workers !== undefined) next.workers = checkInt(fn, 'workers', options.workers, 1);
  if (next.workers > libuvPoolSize()) {
    throw new KeratorchError(`${fn}: workers ${next.workers} exceeds libuv's thread pool (${libuvPoolSize()} threads); ` +
      'set UV_THREADPOOL_SIZE before starting node to allow more', 'ERR_VALUE', fn);
  }
  if (options.intraOpThreads !== undefined) next.intraOpThreads = checkInt(fn, 'intraOpThreads', options.intraOpThreads, 1, maxThreadCount());
  if (options.maxBatch !== undefined) next.maxBatch = checkInt(fn, 'maxBatch', options.maxBatch, 1);
  if (options.maxDelayMs !== undefined) {
    if (typeof options.maxDelayMs !== 'number' || !(options.maxDelayMs >= 0) || !Number.isFinite(options.maxDelayMs)) {
      fail(fn, 'a finite number >= 0', 'maxDelayMs', options.maxDelayMs);
    }
    next.maxDelayMs = options.maxDelayMs;
  }
  current = next;
  return { ...current };
}

/** The serving settings in force. */
export function options(): ServingOptions {
  return { ...current };
}

let running = 0;
const waiting: (() => void)[] = [];

/**
 * Waits for one of the `workers` task slots; call the returned function when the task is done. Slots
 * are granted in request order.
 */
export function acquireWorker(): Promise<() => void> {
  return new Promise((resolve) => {
    const grant = () => {
      running++;
      let released = false;
      resolve(() => {
        if (released) return;
        released = true;
        running--;
        pump();
      });
    };
    waiting.push(grant);
    pump();
  });
}

function pump(): void {
  while (running < current.workers && waiting.length > 0) (waiting.shift() as () => void)();
}

/** Worker slots free now. */
export function idleWorkers(): number {
  return Math.max(0, current.workers - running);
}

/** Native tasks running now and waiting for a slot. */
export function load(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

/** A forward pass recorded by {@link recordForward}, replayed natively. */
export class RecordedForward {
  /** @internal */
  constructor(private readonly recording: NativeRecording, readonly name: string) {}

  /** The recorded TorchScript graph as text (one node per op). */
  get graph(): string {
    return native.traceGraph(this.recording);
  }

  /**
   * Replays the recording on a worker thread with `inputs` (the recorded inputs' shapes and dtypes)
   * and the current values of `params`. The caller must hold a worker slot ({@link acquireWorker}).
   */
  async run(inputs: Tensor[], params: Tensor[]): Promise<Tensor[]> {
    const handles = [...handlesOf(this.name, 'inputs', inputs), ...handlesOf(this.name, 'params', params)];
    const outputs = await native.runTraceAsync(this.recording, handles, current.intraOpThreads, this.name);
    return outputs.map(wrap);
  }

  /**
   * For a recording of a forward and its loss (outputs: the total loss, then the logged values):
   * replays it on a worker thread with `inputs` and `params`; with `trainable` weights (among the
   * params) also takes the total's gradients with respect to them there, and applies `update` (an
   * optimizer step captured by {@link optim.captureUpdates}) or, without one, returns the gradients.
   * Resolves to the logged values as numbers.
   */
  async trainStep(inputs: Tensor[], params: Tensor[], trainable: Tensor[], update: NativeDeferredUpdate | null,
    intraOpThreads: number): Promise<{ values: number[]; grads: Tensor[] }> {
    const handles = [...handlesOf(this.name, 'inputs', inputs), ...handlesOf(this.name, 'params', params)];
    const result = await native.trainStepAsync(this.recording, handles, handlesOf(this.name, 'trainable', trainable),
      update, checkInt(this.name, 'intraOpThreads', intraOpThreads, 1, maxThreadCount()), this.name);
    return { values: result.values, grads: result.grads.map(wrap) };
  }

  /**
   * For a VIN's q-map recording: replays it on `images`, then on the same worker thread takes the
   * best action at every cell (argmax of q x `logitsKernel`) and rolls out each job
   * (map, startRow, startCol, goalRow, goalCol, maxSteps) with `moves` (dRow, dCol per action).
   * @internal The VIN planner's (planning_async.ts), which encodes the jobs.
   */
  async planRollouts(images: Tensor, params: Tensor[], logitsKernel: Tensor, obstacles: Uint8Array,
    jobs: Int32Array, moves: Int32Array): Promise<NativeRollout[]> {
    const fn = this.name;
    const handles = [handleOf(fn, images, 'images'), ...handlesOf(fn, 'params', params)];
    const kernel = handleOf(fn, logitsKernel, 'logitsKernel');
    checkRollouts(fn, images, obstacles, jobs, moves);
    return native.planRolloutsAsync(this.recording, handles, kernel, obstacles, jobs, moves, current.intraOpThreads);
  }
}

/** The handles of a list of live tensors. */
function handlesOf(fn: string, name: string, tensors: unknown): NativeHandle[] {
  if (!Array.isArray(tensors)) fail(fn, 'an array of Tensors', name, tensors);
  return tensors.map((t, i) => handleOf(fn, t, `${name}[${i}]`));
}

/** The rollouts' encoding, checked so that the native rollout reads inside its arrays: `obstacles` is maps x n x n
 * for the images' maps, each job names one of those maps and starts inside the n x n grid. */
function checkRollouts(fn: string, images: Tensor, obstacles: unknown, jobs: unknown, moves: unknown): void {
  if (!(obstacles instanceof Uint8Array)) fail(fn, 'a Uint8Array', 'obstacles', obstacles);
  if (!(jobs instanceof Int32Array) || jobs.length % 6 !== 0) fail(fn, 'an Int32Array of 6 numbers per plan', 'jobs', jobs);
  if (!(moves instanceof Int32Array) || moves.length % 2 !== 0) fail(fn, 'an Int32Array of (dRow, dCol) pairs', 'moves', moves);
  const maps = images.shapeRef[0] ?? 0;
  const n = Math.round(Math.sqrt(obstacles.length / Math.max(maps, 1)));
  if (maps === 0 || n * n * maps !== obstacles.length) {
    fail(fn, `maps x n x n cells for the images' ${maps} maps`, 'obstacles', `${obstacles.length} cells`, 'ERR_SHAPE');
  }
  for (let j = 0; j < jobs.length; j += 6) {
    const [map, row, col] = [jobs[j], jobs[j + 1], jobs[j + 2]];
    if (map < 0 || map >= maps || row < 0 || row >= n || col < 0 || col >= n) {
      fail(fn, `a map in [0, ${maps}) and a start in the ${n}x${n} grid`, `jobs[${j / 6}]`, [map, row, col], 'ERR_VALUE');
    }
  }
}

/**
 * Records `forward` once on the JS thread (it runs for real, its K ops each becoming a graph node)
 * for replays off the JS thread. The graph's inputs are `inputs` and `params`: replays take new
 * inputs of the same shapes and the parameters' values at that time. Other tensors the forward reads
 * are baked in as constants. A forward that reads tensor values into JS cannot be recorded (ERR_TRACE).
 */
export function recordForward(name: string, inputs: Tensor[], params: Tensor[],
  forward: (inputs: Tensor[]) => Tensor[]): RecordedForward {
  if (typeof name !== 'string' || name === '') fail('recordForward', 'a non-empty string', 'name', name);
  const inputHandles = handlesOf(name, 'inputs', inputs);
  const paramHandles = handlesOf(name, 'params', params);
  if (!isCallable(forward)) fail(name, 'a function', 'forward', forward);
  try {
    let recording: NativeRecording | undefined;
    tidy(() => noGrad(() => {
      // Fresh copies: the tracer tells graph inputs apart by tensor identity, and a caller's tensor
      // could also be a parameter or be passed twice.
      const copies = inputHandles.map((h) => wrap(native.clone(h)));
      recording = native.traceFunction(copies.map((c) => c.handle), paramHandles,
        () => handlesOf(name, "forward's result", forward(copies)), name);
    }));
    return new RecordedForward(recording as NativeRecording, name);
  } catch (error) {
    throw explainRecordingError(name, error);
  }
}

function explainRecordingError(name: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as KeratorchError).code;
  if (code === 'ERR_TRACE') {
    return new KeratorchError(`${name}: this forward cannot run off the JavaScript thread: ${error.message}. ` +
      'Use the synchronous call for it', 'ERR_TRACE', name);
  }
  if (/requires grad as a constant/.test(error.message)) {
    return new KeratorchError(`${name}: the forward reads a trainable tensor that is not one of the model's ` +
      `weights (a K.variable captured by a Lambda?), so a recording could not follow its updates (${error.message})`,
      'ERR_TRACE', name);
  }
  return error;
}

/** Whether a forward is being recorded on this thread now. */
export function isRecording(): boolean {
  return native.isTracing();
}
