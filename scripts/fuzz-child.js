'use strict';
// One fuzz child process (scripts/fuzz-runner.js starts it). It loads lib/ and either
//   list <dir>          names every target found in lib/ and writes the valid files that file cases corrupt, or
//   run <cases.json> <from> <to>   runs cases from..to-1, one after another.
// Each case's start and outcome go out as JSON lines on fd 3, written synchronously: when a case
// kills the process or never returns, the parent already knows which case it was.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const k = require(path.join(ROOT, 'lib', 'index.js'));
const { helpers, FuzzUserError } = require('./fuzz-helpers');
const { RECEIVERS, SKIP } = require('./fuzz-cases');

const REPORT_FD = 3;

function report(message) {
  const bytes = Buffer.from(`${JSON.stringify(message)}\n`);
  for (let written = 0; written < bytes.length;) {
    try {
      written += fs.writeSync(REPORT_FD, bytes, written);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // the parent reads on; wait for room
    }
  }
}

const firstLine = (text) => String(text).split('\n')[0].slice(0, 300);

/** The first frame of `error`'s stack in lib/, as the source file it was compiled from. */
function libFrame(error) {
  let stack;
  try {
    stack = String(error.stack);
  } catch {
    return undefined;
  }
  const libDir = `${path.join(ROOT, 'lib')}${path.sep}`;
  for (const line of stack.split('\n').slice(1)) {
    const at = line.indexOf(libDir);
    if (at < 0) continue;
    const match = /^(.*?)\.js:(\d+)/.exec(line.slice(at + libDir.length));
    if (match) return `src/${match[1]}.ts (lib/${match[1]}.js:${match[2]})`;
  }
  return undefined;
}

function describeThrown(error) {
  try {
    if (error instanceof Error) return firstLine(`${error.name}: ${error.message}`);
    return firstLine(`a thrown ${typeof error}: ${String(error)}`);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}

/** ok, keratorch (a KeratorchError), user (the fuzzer's own throwing value passed on), or other. */
function classify(error) {
  if (error instanceof k.KeratorchError) return { outcome: 'keratorch', code: error.code, message: firstLine(error.message) };
  if (error instanceof FuzzUserError) return { outcome: 'user' };
  return { outcome: 'other', error: describeThrown(error), where: libFrame(error) };
}

function isThenable(value) {
  try {
    return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
  } catch {
    return false; // a throwing proxy handed back as is
  }
}

/** Classes whose private and protected members (from lib's declarations) are not API. */
function nonPublicMembers() {
  const members = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.d.ts')) {
        let owner = null;
        let internal = false; // inside or just after a doc comment that says @internal
        for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
          const start = /^export (?:declare )?(?:abstract )?class (\w+)/.exec(line);
          if (start) owner = start[1];
          else if (line.startsWith('}')) owner = null;
          if (line.includes('@internal')) internal = true;
          if (!owner || /^\s*(\/\*\*|\*)/.test(line)) continue;
          const hiddenMember = /^\s+(?:private|protected) (?:static )?(?:readonly )?(?:abstract )?(\w+)/.exec(line);
          const anyMember = /^\s+(?:get |set |static |readonly |abstract )*(\w+)/.exec(line);
          const name = hiddenMember?.[1] ?? (internal ? anyMember?.[1] : undefined);
          if (name) members.set(owner, new Set([...(members.get(owner) ?? []), name]));
          internal = false;
        }
      }
    }
  };
  walk(path.join(ROOT, 'lib'));
  return members;
}

const isClass = (value) => typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));

/** Every function, class and namespace member lib/index.js exports, and the receivers' public methods. */
function listTargets(h) {
  const targets = [];
  const add = (name, expr, value, extra = {}) => {
    targets.push({ name, expr, kind: extra.kind ?? (isClass(value) ? 'class' : 'function'), arity: value.length, ...extra });
  };
  for (const [name, value] of Object.entries(k)) {
    if (typeof value === 'function') add(name, `k.${name}`, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [member, inner] of Object.entries(value)) if (typeof inner === 'function') add(`${name}.${member}`, `k.${name}.${member}`, inner);
    }
  }
  const hidden = nonPublicMembers();
  const evaluate = (expr) => new Function('k', 'h', `return (${expr});`)(k, h);
  for (const [className, receiver] of Object.entries(RECEIVERS)) {
    const instance = evaluate(receiver.expr);
    const methods = new Map();
    for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      const owner = proto.constructor?.name;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (name === 'constructor' || typeof descriptor.value !== 'function' || methods.has(name)) continue;
        if (hidden.get(owner)?.has(name)) continue;
        methods.set(name, descriptor.value);
      }
    }
    for (const [method, fn] of methods) {
      if (receiver.methods && !receiver.methods.includes(method)) continue;
      add(`${className}#${method}`, `${receiver.expr}.${method}`, fn, { kind: 'method', method, validAs: receiver.validAs });
    }
  }
  const skipped = targets.filter((t) => SKIP[t.name]).map((t) => t.name);
  return { targets: targets.filter((t) => !SKIP[t.name]), skipped };
}

/** The valid files the file cases start from, in `dir`/valid. */
function writeValidFiles(h) {
  const valid = (name) => h.file(path.join('valid', name));
  fs.mkdirSync(h.file('valid'), { recursive: true });
  k.saveNpy(valid('a.npy'), { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
  k.saveNpz(valid('a.npz'), { a: { data: new Float32Array([1, 2]), shape: [2] }, b: { data: new Int32Array([7]), shape: [] } });
  k.saveSafetensors(valid('t.safetensors'), { a: k.ones([2, 3]), b: k.tensor([1, 2], [2], 'int32') }, { m: 'x' });
  const model = h.model();
  k.saveModel(model, valid('dense'));
  k.saveWeights(model, valid('dense.safetensors'));
  // 20 maps: the CLI's train keeps the last 10% for validation, which must not be empty.
  k.saveDataset(valid('d.npz'), k.generateGridworld({ gridSize: 8, numDomains: 20, pathsPerDomain: 2, seed: 1 }));
  fs.cpSync(h.vin8, valid('vin'), { recursive: true });
  fs.copyFileSync(h.matFixture, valid('a.mat'));
}

const settings = () => ({ floatx: k.K.floatx(), epsilon: k.K.epsilon(), threads: k.getNumThreads(), serving: JSON.stringify(k.serving.options()) });

/** Puts back the process-wide settings a case changed (floatx, epsilon, threads, serving), so cases stay independent. */
function restore(initial) {
  if (k.K.floatx() !== initial.floatx) k.K.setFloatx(initial.floatx);
  if (k.K.epsilon() !== initial.epsilon) k.K.setEpsilon(initial.epsilon);
  if (k.getNumThreads() !== initial.threads) k.setNumThreads(initial.threads);
  if (JSON.stringify(k.serving.options()) !== initial.serving) k.serving.configure(JSON.parse(initial.serving));
}

async function runCases(file, from, to) {
  const cases = JSON.parse(fs.readFileSync(file, 'utf8'));
  const h = helpers(k);
  const initial = settings();
  let current = null;
  let last = null;
  const late = (kind) => (error) => report({ e: 'late', i: current ?? last, kind, ...classify(error), error: `${kind}: ${describeThrown(error)}` });
  process.on('uncaughtException', late('uncaught exception'));
  process.on('unhandledRejection', late('unhandled rejection'));
  // A case whose promise never settles must read as a hang, not let an idle child exit mid-case.
  setInterval(() => {}, 1000);
  report({ e: 'ready' });
  for (let i = from; i < Math.min(to, cases.length); i++) {
    current = i;
    report({ e: 'start', i });
    const started = process.hrtime.bigint();
    let result;
    let run;
    try {
      run = new Function('k', 'h', `return (${cases[i].expr});`);
    } catch (error) {
      result = { outcome: 'invalid', error: describeThrown(error) };
    }
    if (run) {
      try {
        const value = run(k, h);
        if (isThenable(value)) await value;
        result = { outcome: 'ok' };
      } catch (error) {
        result = classify(error);
      }
    }
    await new Promise((resolve) => setImmediate(resolve)); // errors the case left for the next turn surface as its own
    try {
      restore(initial);
    } catch (error) {
      result = { outcome: 'other', error: `restoring the settings after the case: ${describeThrown(error)}` };
    }
    report({ e: 'end', i, ms: Number(process.hrtime.bigint() - started) / 1e6, ...result });
    last = i;
    current = null;
  }
  report({ e: 'done' });
}

async function main() {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === 'list') {
    const h = helpers(k, a);
    writeValidFiles(h);
    report({ e: 'list', ...listTargets(h) });
  } else if (mode === 'run') {
    await runCases(a, Number(b), Number(c));
  } else {
    throw new Error(`fuzz-child: unknown mode ${JSON.stringify(mode)} (list <dir> | run <cases.json> <from> <to>)`);
  }
  process.exit(0); // timers or handles a case left behind must not keep the child alive
}

main();
