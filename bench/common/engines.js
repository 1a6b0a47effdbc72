// The engines `npm run bench` compares, each run as its own child process: how to start it for
// the run's options, where it cannot run, and (normalize) how its result lines map to the common fields.
const path = require('path');

const BENCH = path.resolve(__dirname, '..');
// Debian's, which has python3-torch on the same libtorch; KERATORCH_BENCH_PYTHON picks another (a CUDA machine's).
const PYTHON = process.env.KERATORCH_BENCH_PYTHON || '/usr/bin/python3';

function vinArgs(options, overrides = {}) {
  const o = { grid: options.grid, steps: options.steps, warmup: options.warmup, threads: options.threads, device: options.device, ...overrides };
  return Object.entries(o).flatMap(([name, value]) => [`--${name}`, String(value)]);
}

// fold: whether the model folds the linear h convolution into the 1x1 r convolution after it
// (Model.foldLinearLayers). `generic` runs every layer as written, as PyTorch's script does.
// optimizer: `bench` is PyTorch's script's RMSprop; the others run at keratorch's defaults, so that
// a step whose time depends on the optimizer (subnormal gradients, issue 17) shows in every run.
function keratorch(name, implementation, fold, optimizer = 'bench') {
  return {
    name,
    command: (options) => [process.execPath, [path.join(BENCH, 'engines/keratorch-vin.js'),
      ...vinArgs(options, { implementation, fold: fold ? 'on' : 'off', optimizer })]],
  };
}

// tfjs's cpu backend takes seconds to minutes a step: one warm-up, at most 3 timed steps, and a
// time budget per measurement (--tfjs-budget seconds) after which it stops at the first step done
// (a warm-up step over the budget counts as the timed one; see common/timing.js).
function tfjs(backend, { warmup, maxSteps }) {
  return {
    name: `tfjs-${backend}`,
    cpuOnly: true,
    once: true, // minutes a run, and 17x or more from keratorch: not repeated in later rounds
    command: (options) => [process.execPath, [path.join(BENCH, 'engines/tfjs-vin.js'), ...vinArgs(options, {
      backend, warmup, steps: Math.min(options.steps, maxSteps), budget: options.tfjsBudget })]],
  };
}

function pytorch(name, env) {
  return {
    name,
    env,
    command: (options) => [PYTHON, [path.join(BENCH, 'vin_pytorch.py'), ...vinArgs(options)]],
    // The script's own field names, as the other engines name them (the engine is the name above).
    normalize: ({ impl, steps, warmup, ...record }) => ({ ...record, impl, train_steps: steps,
      train_warmup: warmup, infer_steps: steps, infer_warmup: warmup }),
  };
}

// keratorch keeps freed large CPU blocks for reuse (binding/cpu_allocator.cc); PyTorch by default
// returns them to the OS and page-faults them back every step. `pytorch-reuse` is PyTorch with
// glibc told to keep them too (glibc tunables, no code change), to show how much of the
// difference is that memory policy and how much is the rest.
const GLIBC_KEEP_FREED = { MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '17179869184' };

const ENGINES = [
  pytorch('pytorch'),
  pytorch('pytorch-reuse', GLIBC_KEEP_FREED),
  keratorch('keratorch-fused', 'fused', true),
  keratorch('keratorch-fused-unfolded', 'fused', false),
  keratorch('keratorch-generic', 'generic', false),
  keratorch('keratorch-fused-sgd', 'fused', true, 'sgd'),
  keratorch('keratorch-fused-adam', 'fused', true, 'adam'),
  tfjs('wasm', { warmup: 2, maxSteps: Infinity }),
  tfjs('cpu', { warmup: 1, maxSteps: 3 }),
  {
    name: 'ops',
    command: (options) => [process.execPath, [path.join(BENCH, 'op-overhead.js'), '--json', '--threads', String(options.threads)]],
  },
];

/** The engines named in `only` ("keratorch" or "tfjs" name both of theirs); all when it is empty. */
function selectEngines(only) {
  if (!only) return ENGINES;
  const names = String(only).split(',').filter(Boolean);
  const chosen = ENGINES.filter((e) => names.some((n) => e.name === n || e.name.startsWith(`${n}-`)));
  const unknown = names.filter((n) => !ENGINES.some((e) => e.name === n || e.name.startsWith(`${n}-`)));
  if (unknown.length > 0) {
    throw new Error(`unknown engine ${unknown.join(', ')} for --only (engines: ${ENGINES.map((e) => e.name).join(', ')})`);
  }
  return chosen;
}

module.exports = { ENGINES, selectEngines };
