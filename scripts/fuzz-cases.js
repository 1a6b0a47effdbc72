'use strict';
// The fuzz suite's API cases: odd values, the valid calls that mutations start from, and the
// seeded generation of call expressions for every target the fuzz child found in lib/.
// A case is one JavaScript expression; `k` is lib/index.js and `h` scripts/fuzz-helpers.js.

/** Deterministic pseudo-random numbers (mulberry32). */
function seededRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)], chance: (p) => next() < p };
}

const DTYPES = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];

/** Values no function should take; each must be refused with a KeratorchError, never a crash. */
const BAD_VALUES = [
  'undefined', 'null', 'NaN', 'Infinity', '-Infinity', '-0', '1e300', '-1e300', '2 ** 53', '2 ** 31', '-(2 ** 31)',
  '2 ** 32', '1e9', '-1', '0', '0.5', '5e-324', "''", "'abc'", "'1'", "'__proto__'", "'constructor'", "'\\u0000'",
  "'x'.repeat(100000)", 'true', 'false', "Symbol('fuzz')", '10n', '2n ** 64n',
  '{}', 'Object.create(null)', '[]', '[[]]', '[1, , 3]', 'new Array(5)', '[NaN]', '[-1]', '[1e9, 1e9]', '[0]',
  '[2, 3]', '[[1, 2], [3]]', "['a']", '[null]', '[undefined]', '[2.5]', '[true, 2]', '[2 ** 31, 2]',
  '{ length: 2 ** 32 }', '{ length: -1 }', '{ length: 1e9, 0: 1 }', 'h.protoKey({}, { units: 2 })',
  'h.protoKey({}, [])', 'h.nullProto({ units: 2 })', 'h.oddProto({})', 'h.throwingGetters()', 'h.throwingProxy()',
  'h.throwingProxy([1, 2])', 'new Proxy({}, {})', 'h.flippingArray()', '() => {}', "h.thrower('callback')",
  'async () => 1', 'function* () {}', 'class {}', 'Math.max', '() => NaN', '() => h.disposed()',
  'h.nested(10000)', 'h.nestedObject(10000)', 'h.cyclicArray()', 'h.cyclicObject()',
  'new Float32Array(0)', 'new Float64Array([NaN, Infinity])', 'new BigInt64Array([2n ** 40n])', 'new Uint8Array(10)',
  'new Int8Array([-1])', 'new Uint32Array([4294967295])', "Buffer.from('abc')", 'new ArrayBuffer(8)',
  'new DataView(new ArrayBuffer(8))', 'new SharedArrayBuffer(8)', 'new Date(NaN)', '/re/', 'new Map([[1, 2]])',
  'new Set([1])', "new Error('x')", 'Promise.resolve(1)', 'Object.freeze([1, 2])', 'new WeakMap()',
  'k.zeros([0])', 'k.zeros([1, 0, 3])', 'k.tensor(3)', ...DTYPES.map((d) => `k.ones([2, 3], '${d}')`),
  "k.ones([2, 3], 'float64')", 'h.disposed()', "h.disposed([1], 'int32')", 'h.intMin()', "h.intMin('int64')",
  'h.specialFloats()', 'k.ones([1, 1, 1, 1, 1, 1, 1, 1])', 'k.K.variable([1, 2])', 'k.zeros([64, 64, 64])',
  'k.Input({ shape: [3] })', 'new k.Dense({ units: 2 })', 'h.model()', 'new k.SGD()', 'h.dataset()',
  '[k.ones([2, 3]), h.disposed()]', '[k.ones([2, 3]), k.ones([3, 2])]', '{ units: 2, fuzzUnknownOption: 1 }',
];

/**
 * Integer extremes, as tensors of each integer dtype and as plain numbers: libtorch leaves some
 * integer ops undefined on them (INT_MIN / -1 raises SIGFPE), so they are tried in pairs.
 */
const NUMERIC_EDGES = ['h.intMin()', "h.intMin('int64')", "k.tensor([-1], [1], 'int32')", "k.tensor([-1], [1], 'int64')",
  "k.tensor([2 ** 31 - 1], [1], 'int32')", "k.zeros([1], 'int32')", "k.zeros([1], 'int64')", "k.tensor([255], [1], 'uint8')",
  "k.tensor([1], [1], 'bool')", 'h.specialFloats()', '-1', '0', '-(2 ** 31)', '2 ** 63', '1e10', '300', '-0.5'];

/** Values of the right kinds for many parameters: random calls of these get past the first checks. */
const PLAUSIBLE_VALUES = [
  'k.ones([2, 3])', "k.ones([2, 3], 'int32')", 'k.ones([3])', 'k.ones([1, 4, 4, 1])', 'k.ones([3, 3, 1, 2])',
  "k.tensor([0, 1], [2], 'int32')", 'k.ones([2, 2])', 'k.ones([1, 1, 8, 8])', '0', '1', '2', '3', '-1', '0.1',
  '[2, 3]', '[1]', '[0, 1]', "'float32'", "'int32'", "'same'", "'valid'", "'channelsLast'", "'channelsFirst'",
  "'relu'", "'max'", "'cpu'", "'mse'", 'true', 'false', '{}', 'null', 'undefined', '[k.ones([2, 3]), k.ones([2, 3])]',
  'k.Input({ shape: [3] })', '() => k.ones([2])', '{ units: 2 }', 'h.mapRequest()', "h.file('out')",
  'h.dataset()', 'new Uint8Array(64)', '8', '[1, 1]',
];

const X = 'k.ones([2, 3])';
const V = 'k.K.variable([1, 2])';
const BOOL = "k.tensor([1, 0], [2], 'bool')";
const IDX = "k.tensor([0, 2], [2], 'int32')";
const IMG = 'k.ones([1, 4, 4, 1])';
const PROBS = 'k.K.softmax(k.ones([2, 3]))';
const NPY = '{ data: new Float32Array([1, 2]), shape: [2] }';
const MAP = 'new Uint8Array(64)';
const PICTURE = { o: { obstacles: MAP, gridSize: '8', start: '[1, 1]', goal: '[2, 2]', plannedPath: '[[1, 1], [2, 2]]' } };
const X4 = 'k.ones([4, 3])';
const Y4 = 'k.ones([4, 2])';

const each = (names, args) => Object.fromEntries(names.map((n) => [n, args]));
const UNARY = ['neg', 'abs', 'square', 'sqrt', 'exp', 'log', 'log1p', 'sign', 'round', 'floor', 'ceil', 'sin', 'cos',
  'tan', 'reciprocal', 'isNaN', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign', 'eval', 'getValue', 'shape',
  'intShape', 'ndim', 'dtype', 'countParams', 'transpose', 'flatten', 'batchFlatten', 'stopGradient', 'keep', 'dispose'];
const BINARY = ['add', 'subtract', 'multiply', 'divide', 'floorDiv', 'mod', 'pow', 'minimum', 'maximum', 'equal',
  'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'];
const REDUCTIONS = ['sum', 'mean', 'max', 'min', 'prod', 'std', 'var', 'any', 'all', 'logsumexp'];
const prefixed = (prefix, table) => Object.fromEntries(Object.entries(table).map(([n, v]) => [`${prefix}${n}`, v]));

/** K's functions, called as the Keras backend documents them. */
const K_CALLS = {
  ...each(UNARY, [X]),
  ...each(BINARY, [X, X]),
  ...each(REDUCTIONS, [X, '1', 'false']),
  ...each(['argmax', 'argmin', 'cumsum', 'cumprod', 'softmax', 'logSoftmax', 'l2Normalize'], [X, '1']),
  logicalNot: [BOOL], logicalAnd: [BOOL, BOOL], logicalOr: [BOOL, BOOL],
  variable: ['[[1, 2], [3, 4]]', "'float32'", "'v'"],
  constant: ['[1, 2, 3]', "'float32'", '[3]', "'c'"],
  batchGetValue: ['[k.ones([2]), k.ones([3])]'],
  setValue: [V, '[3, 4]'],
  batchSetValue: [`[[${V}, [3, 4]]]`],
  update: [V, 'k.tensor([3, 4])'],
  updateAdd: [V, '1'],
  updateSub: [V, '1'],
  cast: [X, "'int32'"],
  zeros: ['[2, 3]', "'float32'", "'z'"],
  ones: ['[2, 3]', "'float32'", "'o'"],
  eye: ['3', "'float32'"],
  zerosLike: [X, "'int32'"],
  onesLike: [X, "'int32'"],
  arange: ['0', '5', '1', "'int32'"],
  randomNormal: ['[2, 3]', '0', '1', "'float32'", '7'],
  randomUniform: ['[2, 3]', '0', '1', "'float32'", '7'],
  randomBinomial: ['[2, 3]', '0.5', "'float32'", '7'],
  setSeed: ['7'],
  toDevice: [X, "'cpu'"],
  clip: [X, '0', '1'],
  where: [BOOL, 'k.ones([2])', 'k.zeros([2])'],
  switch: [BOOL, 'k.ones([2])', 'k.zeros([2])'],
  dot: [X, 'k.ones([3, 2])'],
  batchDot: ['k.ones([2, 3, 4])', 'k.ones([2, 4, 5])', '[2, 1]'],
  reshape: [X, '[3, 2]'],
  permuteDimensions: ['k.ones([2, 3, 4])', '[2, 0, 1]'],
  expandDims: [X, '0'],
  squeeze: ['k.ones([2, 1])', '1'],
  concatenate: [`[${X}, ${X}]`, '-1'],
  stack: [`[${X}, ${X}]`, '0'],
  tile: [X, '[2, 1]'],
  repeat: [X, '2'],
  repeatElements: [X, '2', '1'],
  reverse: [X, '1'],
  slice: [X, '[0, 1]', '[2, 2]'],
  gather: [X, "k.tensor([0, 1], [2], 'int32')"],
  oneHot: [IDX, '3'],
  indexBounds: [IDX],
  spatial2dPadding: [IMG, '[[1, 1], [1, 1]]', "'channelsLast'"],
  temporalPadding: ['k.ones([1, 4, 2])', '[1, 1]'],
  relu: [X, '0.1', '6', '0'],
  elu: [X, '1'],
  leakyRelu: [X, '0.2'],
  dropout: [X, '0.5', 'null', '7'],
  conv2d: [IMG, 'k.ones([3, 3, 1, 2])', '1', "'same'", "'channelsLast'", '1'],
  pool2d: [IMG, '2', '2', "'valid'", "'channelsLast'", "'max'"],
  biasAdd: [X, 'k.ones([3])', "'channelsLast'"],
  categoricalCrossentropy: [X, PROBS, 'false', '-1'],
  sparseCategoricalCrossentropy: [IDX, PROBS, 'false', '-1'],
  binaryCrossentropy: [X, 'k.K.sigmoid(k.ones([2, 3]))', 'false'],
  gradients: { pre: `const v = ${V};`, args: ['k.K.sum(k.K.square(v))', '[v]', '{}'] },
  noGrad: ['() => k.ones([2])'],
  tidy: ['() => k.ones([2])'],
  memory: [],
  epsilon: [],
  setEpsilon: ['1e-7'],
  floatx: [],
  setFloatx: ["'float64'"],
};

const OPTIM = { learningRate: '0.1', decay: '0', iterations: '0' };

/** Valid calls by target name: a list of arguments, or { pre, args } where `pre` declares what they use. */
const VALID_CALLS = {
  ...prefixed('K.', K_CALLS),
  tensor: ['[1, 2, 3, 4]', '[2, 2]', "'float32'", "'cpu'"],
  zeros: ['[2, 3]', "'float32'", "'cpu'"],
  ones: ['[2, 3]', "'float32'", "'cpu'"],
  full: ['[2, 3]', '7', "'int32'", "'cpu'"],
  arange: ['0', '5', '1', "'int32'", "'cpu'"],
  eye: ['2', '3', "'float32'", "'cpu'"],
  zerosLike: [X, "'int32'"],
  onesLike: [X, "'int32'"],
  randomNormal: ['[2, 3]', '0', '1', "'float32'", '7', "'cpu'"],
  randomUniform: ['[2, 3]', '0', '1', "'float32'", '7', "'cpu'"],
  randomBinomial: ['[2, 3]', '0.5', "'float32'", '7', "'cpu'"],
  setSeed: ['7'],
  tidy: ['() => k.ones([2])'],
  keep: [X],
  dispose: [X],
  setNumThreads: ['1'],
  'optim.sgd': [`[${V}]`, '[k.ones([2])]', '[k.zeros([2])]', { o: { ...OPTIM, momentum: '0.9', nesterov: 'false' } }],
  'optim.rmsprop': [`[${V}]`, '[k.ones([2])]', '[k.zeros([2])]', { o: { ...OPTIM, rho: '0.9', epsilon: '1e-7' } }],
  'optim.adagrad': [`[${V}]`, '[k.ones([2])]', '[k.zeros([2])]', { o: { ...OPTIM, epsilon: '1e-7' } }],
  'optim.adam': [`[${V}]`, '[k.ones([2])]', '[k.zeros([2])]', '[k.zeros([2])]', 'null',
    { o: { ...OPTIM, beta1: '0.9', beta2: '0.999', epsilon: '1e-7', amsgrad: 'false' } }],
  'vin.valueIteration': ['k.ones([1, 1, 8, 8])', 'k.ones([3, 3, 1, 4])', 'k.ones([3, 3, 1, 4])', '3', "'fused'"],
  'vin.valueIterationQ': ['k.ones([1, 1, 8, 8])', 'k.ones([3, 3, 1, 4])', 'k.ones([3, 3, 1, 4])', '3', "'generic'"],
  'vin.fusedApplies': ['k.ones([1, 1, 8, 8])', 'k.ones([3, 3, 1, 4])', 'k.ones([3, 3, 1, 4])'],
  'vin.qAtCells': ['k.ones([1, 4, 8, 8])', "k.tensor([[1, 2]], [1, 2], 'int32')"],
  'serving.configure': [{ o: { maxBatch: '8', maxDelayMs: '0' } }],
  'serving.recordForward': ["'f'", `[${X}]`, '[]', '(xs) => [k.K.relu(xs[0])]'],
  encodeSafetensors: ['{ a: k.ones([2]) }', "{ m: 'x' }"],
  decodeSafetensors: ['k.encodeSafetensors({ a: k.ones([2]) })', { o: { device: "'cpu'" } }],
  saveSafetensors: ["h.file('w.safetensors')", '{ a: k.ones([2]) }', "{ m: 'x' }"],
  loadSafetensors: ["h.file('valid/t.safetensors')", { o: { device: "'cpu'" } }],
  registerFunction: ["'fuzzFunction'", '(x) => x', { o: { override: 'true' } }],
  getRegisteredFunction: { pre: "k.registerFunction('fuzzFunction', (x) => x, { override: true });", args: ["'fuzzFunction'", "'a fuzz case'"] },
  functionName: ['(x) => x'],
  unregisterFunction: ["'fuzzFunction'"],
  registerClass: ["class FuzzClass { static className = 'FuzzClass'; }", { o: { override: 'true' } }],
  getRegisteredClass: ["'Dense'", "'a fuzz case'"],
  unregisterClass: ["'FuzzClass'"],
  saveModel: ['h.model()', "h.file('saved')"],
  loadModel: ['h.vin8', { o: { compile: 'true' } }],
  saveWeights: ['h.model()', "h.file('w.safetensors')"],
  loadWeights: ['h.model()', "h.file('valid/dense.safetensors')"],
  encodeNpy: [NPY],
  decodeNpy: [`k.encodeNpy(${NPY})`],
  saveNpy: ["h.file('a.npy')", NPY],
  loadNpy: ["h.file('valid/a.npy')"],
  encodeNpz: [`{ a: ${NPY} }`],
  decodeNpz: [`k.encodeNpz({ a: ${NPY} })`],
  saveNpz: ["h.file('a.npz')", `{ a: ${NPY} }`],
  loadNpz: ["h.file('valid/a.npz')"],
  readMat: ['h.matFixture'],
  Layer: [{ o: { name: "'fuzz_layer'" } }],
  Input: [{ o: { shape: '[3]', dtype: "'float32'" } }],
  InputLayer: [{ o: { inputShape: '[3]' } }],
  uniqueLayerName: ["'dense'"],
  Model: { pre: 'const a = k.Input({ shape: [3] });', args: [{ o: { inputs: 'a', outputs: 'new k.Dense({ units: 2 }).apply(a)' } }] },
  Sequential: ['[new k.Dense({ units: 2, inputShape: [3] })]', { o: { name: "'s'" } }],
  describeShape: ['[null, 3]'],
  getInitializer: ["'glorotUniform'"],
  serializeInitializer: ["k.getInitializer('zeros')"],
  'initializers.getInitializer': ["'heNormal'"],
  'initializers.varianceScaling': [{ o: { scale: '2', mode: "'fanIn'", distribution: "'normal'" } }],
  'initializers.computeFans': ['[3, 3, 1, 2]'],
  getRegularizer: ["'l2'"],
  'regularizers.getRegularizer': ["'l1'"],
  L1L2: ['0.01', '0.01'],
  'regularizers.L1L2': ['0.01', '0.01'],
  serializeLayer: ['new k.Dense({ units: 2 })'],
  deserializeLayer: ['k.serializeLayer(new k.Dense({ units: 2 }))'],
  namedWeights: ['h.model()'],
  Batcher: ['async (requests) => requests.map(() => 1)'],
  ProgbarLogger: [{ o: { verbose: '2' } }],
  EarlyStopping: [{ o: { monitor: "'loss'", patience: '1' } }],
  ModelCheckpoint: [{ o: { filepath: "h.file('checkpoint')" } }],
  ReduceLROnPlateau: [{ o: { monitor: "'loss'", factor: '0.5' } }],
  LearningRateScheduler: ['(epoch, lr) => lr', '0'],
  CSVLogger: [{ o: { filename: "h.file('log.csv')", separator: "';'" } }],
  LambdaCallback: [{ o: { onEpochEnd: '() => {}' } }],
  getActivation: ["'relu'"],
  serializeActivation: ["k.getActivation('relu')"],
  convOutputLength: ['5', '3', "'same'", '1', '1'],
  SGD: [{ o: { learningRate: '0.1', momentum: '0.9' } }],
  RMSprop: [{ o: { learningRate: '0.01', rho: '0.9' } }],
  Adagrad: [{ o: { learningRate: '0.01' } }],
  Adam: [{ o: { learningRate: '0.001', beta1: '0.9', amsgrad: 'true' } }],
  getOptimizer: ["'adam'"],
  serializeOptimizer: ['new k.SGD()'],
  evaluateVin: ['h.vinModel()', 'h.dataset()'],
  vinParts: ['h.vinModel()'],
  Planner: ['h.vinModel()'],
  loadPlanner: ['h.vin8'],
  trainVin: ['h.dataset()', { o: { epochs: '1', k: '2', batchSize: '4', verbose: '0' } }],
  renderPlanPicture: [PICTURE],
  layoutPlanPicture: [PICTURE],
  step: [MAP, '8', '[1, 1]', '0'],
  domainObstacles: ['h.dataset()', '0'],
  checkDataset: ['h.dataset()'],
  subsetDomains: ['h.dataset()', '0', '1'],
  splitDataset: ['h.dataset()', '1'],
  generateGridworld: [{ o: { gridSize: '8', numDomains: '2', pathsPerDomain: '1', seed: '1' } }],
  costToGoal: [MAP, '8', '[1, 1]'],
  expertAction: [MAP, '8', `k.costToGoal(${MAP}, 8, [1, 1])`, '[3, 3]'],
  datasetStats: ['h.dataset()'],
  saveDataset: ["h.file('ds.npz')", 'h.dataset()'],
  loadDataset: ["h.file('valid/d.npz')"],
  SeededRandom: ['1'],
  buildVin: [{ o: { gridSize: '8', k: '2', lH: '10', lQ: '8' } }],
  defaultK: ['8'],
  ValueIteration: [{ o: { k: '2', lQ: '4' } }],
  QAtState: [{}],
  Dense: [{ o: { units: '2', activation: "'relu'", useBias: 'true' } }],
  Activation: [{ o: { activation: "'relu'" } }],
  Dropout: [{ o: { rate: '0.5' } }],
  Flatten: [{}],
  Reshape: [{ o: { targetShape: '[6]' } }],
  Permute: [{ o: { dims: '[2, 1]' } }],
  RepeatVector: [{ o: { n: '3' } }],
  Embedding: [{ o: { inputDim: '10', outputDim: '4' } }],
  Lambda: ['(x) => k.K.relu(x)', { o: { outputShape: 'null' } }],
  Conv2D: [{ o: { filters: '2', kernelSize: '3', padding: "'same'", strides: '1' } }],
  ZeroPadding2D: [{ o: { padding: '1' } }],
  MaxPooling2D: [{ o: { poolSize: '2', strides: '2' } }],
  AveragePooling2D: [{ o: { poolSize: '2', padding: "'same'" } }],
  GlobalAveragePooling2D: [{}],
  GlobalMaxPooling2D: [{}],
  ...each(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'], [{}]),
  Concatenate: [{ o: { axis: '-1' } }],
  Dot: [{ o: { axes: '1', normalize: 'false' } }],
  Merge: [{ o: { mode: '(xs) => xs[0]' } }],
  merge: [`[${X}, ${X}]`, { o: { mode: "'concat'" } }],
  BatchNormalization: [{ o: { momentum: '0.9', epsilon: '0.001' } }],
  getLoss: ["'mse'"],
  getMetric: ["'accuracy'"],
  ...prefixed('losses.', each(['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy'], [X, 'k.K.sigmoid(k.ones([2, 3]))'])),
  'losses.categoricalCrossentropy': [X, PROBS],
  'losses.sparseCategoricalCrossentropy': [IDX, PROBS],
  'losses.getLoss': ["'categoricalCrossentropy'"],
  ...prefixed('metrics.', each(['meanSquaredError', 'meanAbsoluteError', 'binaryAccuracy', 'categoricalAccuracy'], [X, X])),
  'metrics.sparseCategoricalAccuracy': [IDX, PROBS],
  'metrics.getMetric': ["'mae'"],
  // methods, on the receivers below
  'Tensor#reshape': ['[3, 2]'], 'Tensor#cast': ["'int32'"], 'Tensor#to': ["'cpu'"], 'Tensor#sum': ['1', 'true'],
  'Tensor#add': [X], 'Tensor#dot': ['k.ones([3, 2])'], 'Tensor#permute': ['[1, 0]'], 'Tensor#clip': ['0', '1'],
  'Tensor#softmax': ['-1'], 'Tensor#expandDims': ['0'], 'Tensor#argmax': ['1'],
  'Model#fit': [X4, Y4, { o: { epochs: '1', batchSize: '2', verbose: '0', shuffle: 'false' } }],
  'Model#evaluate': [X4, Y4, { o: { batchSize: '2', verbose: '0' } }],
  'Model#predict': [X4, { o: { batchSize: '2' } }],
  'Model#trainOnBatch': [X4, Y4],
  'Model#testOnBatch': [X4, Y4],
  'Model#predictOnBatch': [X4],
  'Model#predictAsync': ['k.ones([1, 3])'],
  'Model#compile': [{ o: { optimizer: "'adam'", loss: "'mse'", metrics: "['mae']" } }],
  'Model#save': ["h.file('model')"],
  'Model#saveWeights': ["h.file('model.safetensors')"],
  'Model#loadWeights': ["h.file('valid/dense.safetensors')"],
  'Model#getLayer': ['undefined', '0'],
  'Model#summary': ['80', 'undefined', '() => {}'],
  'Model#add': ['new k.Dense({ units: 1 })'],
  'Model#setWeights': ['h.model().getWeights()'],
  'Planner#plan': ['h.mapRequest()'],
  'Planner#planAsync': ['h.mapRequest()'],
  'Planner#rewardMap': ['h.mapRequest()'],
  'Planner#valueMap': ['h.mapRequest()'],
  'Layer#apply': [X],
  'Conv2D#apply': [IMG],
  'Concatenate#apply': [`[${X}, ${X}]`],
  'Concatenate#computeOutputShape': ['[[null, 3], [null, 3]]'],
  'Conv2D#computeOutputShape': ['[null, 4, 4, 1]'],
  'Embedding#apply': [IDX],
  'Layer#computeOutputShape': ['[null, 3]'],
  'Optimizer#applyGradients': ['[k.ones([2])]', `[${V}]`],
  'Callback#onEpochEnd': ['0', '{ loss: 1 }'],
  'RecordedForward#run': [`[${X}]`, '[]'],
};

/**
 * Instances whose methods are fuzzed, by the exported class they are made from; `methods` limits
 * them where the class has many (null: every method the prototype chain has).
 */
const RECEIVERS = {
  Tensor: { expr: X, methods: null },
  Sequential: { expr: 'h.model()', methods: null, validAs: 'Model' },
  Planner: { expr: 'h.planner()', methods: null },
  Dense: { expr: "new k.Dense({ units: 2 })", methods: ['apply', 'computeOutputShape', 'build', 'setWeights'], validAs: 'Layer' },
  Conv2D: { expr: 'new k.Conv2D({ filters: 2, kernelSize: 3 })', methods: ['apply', 'computeOutputShape', 'build'], validAs: 'Layer' },
  Lambda: { expr: '(new k.Lambda((x) => k.K.relu(x)))', methods: ['apply', 'computeOutputShape'], validAs: 'Layer' },
  Concatenate: { expr: 'new k.Concatenate()', methods: ['apply', 'computeOutputShape'], validAs: 'Layer' },
  BatchNormalization: { expr: 'new k.BatchNormalization()', methods: ['apply', 'computeOutputShape', 'setWeights'], validAs: 'Layer' },
  Embedding: { expr: 'new k.Embedding({ inputDim: 10, outputDim: 4 })', methods: ['apply', 'computeOutputShape'], validAs: 'Layer' },
  Adam: { expr: 'new k.Adam()', methods: null, validAs: 'Optimizer' },
  EarlyStopping: { expr: "new k.EarlyStopping({ monitor: 'loss' })", methods: null, validAs: 'Callback' },
  SeededRandom: { expr: 'new k.SeededRandom(1)', methods: null },
  'serving.RecordedForward': { expr: `k.serving.recordForward('f', [${X}], [], (xs) => [k.K.relu(xs[0])])`, methods: null, validAs: 'RecordedForward' },
};

/**
 * Targets left out, each with the reason. Everything else the fuzz child finds in lib/ is fuzzed.
 */
const SKIP = {
  KeratorchError: 'the error class itself: like Error, it takes any message and converts it with String(), whatever it is',
  'serving.acquireWorker': 'hands out a worker slot that only its caller gives back; slots it keeps make every later async case wait, by contract',
};

/** Issue 16's reproductions of crashes, hangs and raw errors: every seed runs them first. */
const ISSUE_CASES = [
  ['K.floorDiv', 'k.K.floorDiv(h.intMin(), -1)'],
  ['K.floorDiv', "k.K.floorDiv(h.intMin('int64'), k.tensor([-1], [1], 'int64'))"],
  ['K.mod', "k.K.mod(h.intMin(), k.tensor([-1], [1], 'int32'))"],
  ['K.mod', "k.K.mod(h.intMin('int64'), -1)"],
  ['K.divide', 'k.K.divide(h.intMin(), -1)'],
  ['K.pow', "k.K.pow(k.tensor([2], [1], 'int32'), -1)"],
  ['Model#predictAsync', "new k.Sequential([new k.Lambda((x) => k.K.floorDiv(k.K.cast(x, 'int32'), -1), { inputShape: [1] })]).predictAsync(k.tensor([-(2 ** 31)], [1, 1]))"],
  ['setNumThreads', 'k.setNumThreads(1e6)'],
  ['serving.configure', 'k.serving.configure({ intraOpThreads: 1e6 })'],
  ['vin.valueIteration', 'k.vin.valueIteration(k.ones([1, 1, 8, 8]), k.ones([3, 3, 1, 4]), k.ones([3, 3, 1, 4]), 1e9)'],
  ['vin.valueIteration', 'k.vin.valueIteration(k.ones([1, 1, 8, 8]), k.ones([3, 3, 1, 4]), k.ones([3, 3, 1, 4]), 2 ** 53)'],
  ['K.oneHot', "k.K.oneHot(k.tensor([0, 1], [2], 'int32'), 1e9)"],
  ['zeros', 'k.zeros([1e6, 1e6])'],
  ['arange', 'k.arange(0, 1, 1e-300)'],
  ['K.noGrad', 'k.K.noGrad(5)'],
  ['vin.valueIteration', 'h.failingCalls(10000)'],
];

/** The source of an option object `{ o: { name: expr } }`, or of an expression as is. */
function renderArg(arg) {
  if (typeof arg === 'string') return arg;
  const entries = Object.entries(arg.o ?? {});
  return entries.length === 0 ? '{}' : `{ ${entries.map(([key, value]) => `${key}: ${value}`).join(', ')} }`;
}

/** The expression calling `target` with `args` (sources), with `pre` (declarations) around it. */
function callExpression(target, args, pre) {
  const list = args.join(', ');
  const call = target.kind === 'class' ? `new ${target.expr}(${list})` : `${target.expr}(${list})`;
  return pre ? `(() => { ${pre} return ${call}; })()` : call;
}

/** The valid call of a target: its own entry, or its receiver's class-level one (`Layer#apply`). */
function validCallOf(target) {
  if (VALID_CALLS[target.name]) return VALID_CALLS[target.name];
  if (target.kind === 'method' && target.validAs) return VALID_CALLS[`${target.validAs}#${target.method}`];
  return undefined;
}

function normalizeValid(valid) {
  return Array.isArray(valid) ? { pre: '', args: valid } : { pre: valid.pre ?? '', args: valid.args };
}

/** One argument changed from the valid call: replaced by an odd value, or an option of it changed. */
function mutate(rng, args) {
  const mutated = [...args];
  const roll = rng.next();
  if (args.length === 0 || roll < 0.05) {
    mutated.push(rng.pick(BAD_VALUES));
    return { args: mutated.map(renderArg), how: 'extra argument' };
  }
  if (roll < 0.1) {
    mutated.pop();
    return { args: mutated.map(renderArg), how: 'last argument left out' };
  }
  const i = rng.int(args.length);
  const options = typeof args[i] === 'object' ? args[i].o ?? {} : null;
  if (options && rng.chance(0.6)) {
    const keys = Object.keys(options);
    const next = { ...options };
    const change = rng.next();
    if (keys.length > 0 && change < 0.6) {
      next[rng.pick(keys)] = rng.pick(BAD_VALUES);
    } else if (keys.length > 0 && change < 0.75) {
      delete next[rng.pick(keys)];
    } else if (change < 0.9) {
      next.fuzzUnknownOption = '1';
    } else {
      mutated[i] = `h.protoKey(${renderArg({ o: next })}, ${rng.pick(BAD_VALUES)})`;
      return { args: mutated.map(renderArg), how: `argument ${i}: an own __proto__ key` };
    }
    mutated[i] = { o: next };
    return { args: mutated.map(renderArg), how: `argument ${i}: an option changed` };
  }
  mutated[i] = rng.pick(BAD_VALUES);
  return { args: mutated.map(renderArg), how: `argument ${i} replaced` };
}

/** Arguments drawn at random, half odd values and half plausible ones. */
function randomArgs(rng, arity) {
  const count = rng.int(Math.max(arity, 1) + 2);
  return Array.from({ length: count }, () => rng.pick(rng.chance(0.5) ? BAD_VALUES : PLAUSIBLE_VALUES));
}

/**
 * `count` API cases from `seed`, round-robin over the targets so that a short run still reaches
 * every one: each round a random call of each target, one of integer extremes, and, where a valid
 * call is known, a mutation of it; round 0 also runs each valid call as is (a failing one is a
 * stale table or a bug). Issue 16's reproductions come first.
 */
function generateApiCases(targets, seed, count) {
  const rng = seededRandom(seed);
  const cases = ISSUE_CASES.map(([target, expr]) => ({ group: 'api', target, how: 'issue 16 reproduction', expr }));
  const order = [...targets];
  for (let round = 0; cases.length < count; round++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const target of order) {
      if (cases.length >= count) break;
      const valid = validCallOf(target);
      if (valid) {
        const { pre, args } = normalizeValid(valid);
        if (round === 0) {
          cases.push({ group: 'api', target: target.name, how: 'valid call', valid: true, expr: callExpression(target, args.map(renderArg), pre) });
        }
        const mutation = mutate(rng, args);
        cases.push({ group: 'api', target: target.name, how: mutation.how, expr: callExpression(target, mutation.args, pre) });
      }
      cases.push({ group: 'api', target: target.name, how: 'random arguments', expr: callExpression(target, randomArgs(rng, target.arity)) });
      if (target.arity > 0 && cases.length < count) {
        const edges = Array.from({ length: target.arity }, () => rng.pick(NUMERIC_EDGES));
        cases.push({ group: 'api', target: target.name, how: 'integer extremes', expr: callExpression(target, edges) });
      }
    }
  }
  return cases.slice(0, count);
}

/** The names in VALID_CALLS, RECEIVERS and SKIP that no target has: the tables went stale. */
function staleNames(targets, skipped) {
  const names = new Set([...targets.map((t) => t.name), ...skipped]);
  const classes = new Set(targets.filter((t) => t.kind === 'class').map((t) => t.name));
  const validAs = new Set(Object.values(RECEIVERS).map((r) => r.validAs ?? ''));
  const stale = [];
  for (const name of Object.keys(VALID_CALLS)) {
    const [owner] = name.split('#');
    if (!names.has(name) && !(name.includes('#') && validAs.has(owner))) stale.push(`VALID_CALLS.${name}`);
  }
  for (const name of Object.keys(RECEIVERS)) if (!classes.has(name)) stale.push(`RECEIVERS.${name}`);
  for (const name of Object.keys(SKIP)) if (!names.has(name)) stale.push(`SKIP.${name}`);
  return stale;
}

module.exports = { seededRandom, generateApiCases, staleNames, RECEIVERS, SKIP };
