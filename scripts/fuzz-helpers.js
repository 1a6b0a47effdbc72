'use strict';
// What fuzz cases' expressions name `h.*`: odd values and small valid fixtures, built fresh for each
// case in the fuzz child, and the same in a reproduction:
//   node -e "const k = require('./lib'), h = require('./scripts/fuzz-helpers').helpers(k); <case>"
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** What the fuzzer's own getters, proxies and callbacks throw: a library that passes it on is right. */
class FuzzUserError extends Error {
  constructor(where) {
    super(`fuzz: ${where} throws`);
    this.name = 'FuzzUserError';
  }
}

/** Option and property names that the library reads, for objects whose getters throw. */
const READ_NAMES = ['0', '1', 'length', 'shape', 'dtype', 'units', 'name', 'activation', 'epochs', 'batchSize',
  'k', 'gridSize', 'obstacles', 'goal', 'start', 'optimizer', 'loss', 'inputShape', 'rate', 'filters', 'kernelSize',
  'monitor', 'filepath', 'learningRate', 'numDomains', 'x', 'y', 'handle', 'data', 'size', 'buffer', 'byteLength'];

function helpers(k, dir = process.env.KERATORCH_FUZZ_DIR ?? process.cwd()) {
  const thrower = (where) => () => {
    throw new FuzzUserError(where);
  };
  return {
    UserError: FuzzUserError,
    dir,
    /** A path in the run's temporary folder. */
    file: (name) => path.join(dir, name),
    /** A file's bytes, for the decoders (only regular files are passed here). */
    bytes: (name) => new Uint8Array(fs.readFileSync(path.join(dir, name))),
    vin8: path.join(ROOT, 'models', 'vin-8x8'),
    matFixture: path.join(ROOT, 'test', 'golden', 'matlab_fixture_le.mat'),
    thrower,
    /** An object (or array) whose every trap throws. */
    throwingProxy: (target = {}) => new Proxy(target, {
      get: (_, key) => thrower(`get ${String(key)}`)(),
      has: thrower('has'),
      ownKeys: thrower('ownKeys'),
      getOwnPropertyDescriptor: thrower('getOwnPropertyDescriptor'),
      getPrototypeOf: thrower('getPrototypeOf'),
    }),
    /** An object whose getters for the names the library reads throw. */
    throwingGetters: () => Object.defineProperties({}, Object.fromEntries(READ_NAMES.map((name) =>
      [name, { get: thrower(`getter ${name}`), enumerable: true }]))),
    /** [2, 3] whose first element reads 2 once, then -1e9: a value checked once and used again differs. */
    flippingArray: () => {
      let reads = 0;
      return Object.defineProperty([2, 3], '0', { get: () => (reads++ === 0 ? 2 : -1e9), enumerable: true });
    },
    /** `depth` arrays nested in one another around a number. */
    nested: (depth) => {
      let value = [1];
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    },
    /** `depth` objects nested in one another, as a JSON request can hold. */
    nestedObject: (depth) => {
      let value = {};
      for (let i = 0; i < depth; i++) value = { a: value };
      return value;
    },
    /** An array that holds itself, and an object that does. */
    cyclicArray: () => {
      const a = [1, 2];
      a.push(a);
      return a;
    },
    cyclicObject: () => {
      const o = { units: 2 };
      o.self = o;
      return o;
    },
    /** `object` with an own `__proto__` key, as JSON.parse makes one. */
    protoKey: (object, value) => Object.defineProperty({ ...object }, '__proto__', { value, enumerable: true, writable: true, configurable: true }),
    /** `object` without a prototype. */
    nullProto: (object) => Object.assign(Object.create(null), object),
    /** `object` whose prototype is an array with a getter that throws. */
    oddProto: (object) => Object.setPrototypeOf({ ...object }, Object.defineProperty([], 'shape', { get: thrower('proto shape') })),
    /** A tensor already disposed. */
    disposed: (shape = [2, 3], dtype = 'float32') => {
      const t = k.zeros(shape, dtype);
      t.dispose();
      return t;
    },
    /** int32 INT_MIN, which libtorch's integer division leaves undefined. */
    intMin: (dtype = 'int32') => k.tensor(dtype === 'int64' ? new BigInt64Array([-(2n ** 63n)]) : [-(2 ** 31)], [1], dtype),
    /** NaN, ±Infinity, -0 and a huge float. */
    specialFloats: () => k.tensor([NaN, Infinity, -Infinity, -0, 3e38]),
    /** A Sequential model, compiled: Dense(2) on 3 features (named, so that saved weights fit every such model). */
    model: () => {
      const model = new k.Sequential([new k.Dense({ units: 2, inputShape: [3], name: 'fuzz_dense' })]);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return model;
    },
    /** A functional model with two inputs, not compiled. */
    functionalModel: () => {
      const a = k.Input({ shape: [3] });
      const b = k.Input({ shape: [3] });
      return new k.Model({ inputs: [a, b], outputs: new k.Dense({ units: 1 }).apply(new k.Concatenate().apply([a, b])) });
    },
    vinModel: () => k.buildVin({ gridSize: 8, k: 2 }),
    planner: () => k.loadPlanner(path.join(ROOT, 'models', 'vin-8x8')),
    dataset: () => k.generateGridworld({ gridSize: 8, numDomains: 2, pathsPerDomain: 1, seed: 1 }),
    /**
     * `n` rounds of two failing calls (an empty map to valueIteration, add of [2,2] and [3]) whose
     * tensors are left to the garbage collector: with the child's small young generation, finalizers
     * run while the addon throws (issue 16's SIGTRAP).
     */
    failingCalls: (n) => {
      const refused = (call) => {
        try {
          call();
        } catch (error) {
          if (!(error instanceof k.KeratorchError)) throw error;
        }
      };
      for (let i = 0; i < n; i++) {
        refused(() => k.vin.valueIteration(k.ones([1, 1, 0, 0]), k.ones([3, 3, 1, 4]), k.ones([3, 3, 1, 4]), 2));
        refused(() => k.K.add(k.zeros([2, 2]), k.zeros([3])));
      }
    },
    /** An 8x8 map request with no obstacles. */
    mapRequest: () => ({ obstacles: new Array(64).fill(0), goal: [1, 1], start: [5, 5] }),
  };
}

module.exports = { helpers, FuzzUserError };
