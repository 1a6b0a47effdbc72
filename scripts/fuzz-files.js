'use strict';
// The fuzz suite's file cases: from the valid files the fuzz child wrote in <dir>/valid, seeded
// corruptions (truncated, flipped, oversized headers, odd JSON, zip entries named __proto__, nested
// MAT cells) and special files (FIFO, folder, symlinks to /dev/zero and in a loop), each handed
// to every reader of its format. Writes them under <dir>; returns the cases.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { seededRandom } = require('./fuzz-cases');
const { encodeZip } = require('../lib/io/zip');

const GRIDWORLD_MAT = path.resolve(__dirname, '..', '..', 'shared', 'data', 'vin-original', 'gridworld_8_test.mat');

/** How each format is read: by path, and (decoders) from bytes already read. */
// Readers are [target, call], where @path stands for the file's path and @bytes for its bytes.
const FORMATS = {
  npy: { source: 'a.npy', readers: [['loadNpy', 'k.loadNpy(@path)'], ['decodeNpy', 'k.decodeNpy(@bytes)']] },
  npz: { source: 'a.npz', readers: [['loadNpz', 'k.loadNpz(@path)'], ['decodeNpz', 'k.decodeNpz(@bytes)']] },
  dataset: { source: 'd.npz', readers: [['loadDataset', 'k.loadDataset(@path)']] },
  safetensors: { source: 't.safetensors', readers: [['loadSafetensors', 'k.loadSafetensors(@path)'], ['decodeSafetensors', 'k.decodeSafetensors(@bytes)']] },
  weights: { source: 'dense.safetensors', readers: [['loadWeights', 'k.loadWeights(h.model(), @path)'], ['Model#loadWeights', 'h.model().loadWeights(@path)']] },
  mat: { source: 'a.mat', readers: [['readMat', 'k.readMat(@path)'], ['readMat', 'k.readMat(@bytes)']] },
  gridworld: { source: GRIDWORLD_MAT, readers: [['loadOriginalGridworld', 'k.loadOriginalGridworld(@path)'], ['loadOriginalGridworld', 'k.loadOriginalGridworld(@bytes)']] },
};
/** Model folders: a corrupt model.json or weights file in a copy of a valid folder. */
const FOLDERS = [
  { source: 'dense', readers: [['loadModel', 'k.loadModel(@path)'], ['loadModel', 'k.loadModel(@path, { compile: false })']] },
  { source: 'vin', readers: [['loadModel', 'k.loadModel(@path)'], ['loadPlanner', 'k.loadPlanner(@path)']] },
];
const byPath = ([, call]) => call.includes('@path');

/** Where zip fields sit: [offset in the first local header, in the first central header, in the end record, bytes]. */
const ZIP_FIELDS = {
  method: [8, 10, null, 2], compressedSize: [18, 20, null, 4], size: [22, 24, null, 4], localOffset: [null, 42, null, 4],
  entries: [null, null, 8, 2], directoryOffset: [null, null, 16, 4],
};

/** A zip of `entries` ({ name, data }) as lib's writer makes it, with the fields in `patch` overwritten. */
function zip(entries, patch = {}) {
  const bytes = Buffer.concat(encodeZip('fuzz', entries.map(({ name, data }) => ({ name, chunks: [data] }))));
  const end = bytes.length - 22;
  const central = bytes.readUInt32LE(end + 16);
  for (const [field, value] of Object.entries(patch)) {
    const [local, inCentral, inEnd, width] = ZIP_FIELDS[field];
    for (const [base, at] of [[0, local], [central, inCentral], [end, inEnd], [end, field === 'entries' ? 10 : null]]) {
      if (at === null) continue;
      if (width === 2) bytes.writeUInt16LE(value, base + at);
      else bytes.writeUInt32LE(value, base + at);
    }
  }
  return bytes;
}

/** npy v1 bytes with the header dictionary `header` (text) and `data`. */
function npy(header, data, version = 1) {
  const text = Buffer.from(`${header}`.padEnd(118, ' ') + '\n');
  const prefix = Buffer.from([0x93, ...Buffer.from('NUMPY'), version, 0, text.length & 0xff, text.length >> 8]);
  return Buffer.concat([prefix, text, data]);
}

/** safetensors bytes: the declared header length (default: the real one), the header text, the data. */
function safetensors(headerText, data, declaredLength) {
  const header = Buffer.from(headerText);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(declaredLength ?? header.length));
  return Buffer.concat([length, header, data]);
}

const MI_INT8 = 1;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_DOUBLE = 9;
const MI_MATRIX = 14;
const MX_CELL = 1;
const MX_DOUBLE = 6;

/** A MAT v5 file holding variable `x`: `depth` cells nested in one another around a double, dims as given. */
function matNested(depth, dims = [1, 1]) {
  const tag = (type, size) => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(size, 4);
    return b;
  };
  const flags = (mxClass) => Buffer.concat([tag(MI_UINT32, 8), Buffer.from([mxClass, 0, 0, 0, 0, 0, 0, 0])]);
  const dimensions = (d) => {
    const b = Buffer.alloc(8 * Math.ceil((d.length * 4) / 8));
    d.forEach((n, i) => b.writeInt32LE(n, 4 * i));
    return Buffer.concat([tag(MI_INT32, d.length * 4), b]);
  };
  const name = (text) => {
    const b = Buffer.alloc(8 * Math.ceil(text.length / 8));
    b.write(text);
    return Buffer.concat([tag(MI_INT8, text.length), b]);
  };
  const value = Buffer.alloc(8);
  value.writeDoubleLE(1);
  const innermostBody = Buffer.concat([flags(MX_DOUBLE), dimensions(depth === 0 ? dims : [1, 1]), name(depth === 0 ? 'x' : ''), tag(MI_DOUBLE, 8), value]);
  // Headers outermost first, then the double; each cell's size is that of everything inside it.
  const parts = [];
  let inner = 8 + innermostBody.length;
  const sizes = [];
  for (let level = depth - 1; level >= 0; level--) {
    const head = Buffer.concat([flags(MX_CELL), dimensions(level === 0 ? dims : [1, 1]), name(level === 0 ? 'x' : '')]);
    sizes[level] = { head, size: head.length + inner };
    inner = 8 + head.length + inner;
  }
  for (let level = 0; level < depth; level++) parts.push(tag(MI_MATRIX, sizes[level].size), sizes[level].head);
  parts.push(tag(MI_MATRIX, innermostBody.length), innermostBody);
  const header = Buffer.alloc(128, ' ');
  header.write('MATLAB 5.0 MAT-file, fuzz', 0);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126);
  return Buffer.concat([header, ...parts]);
}

const JSON_ODD = ['null', '"x"', '-1', '1e308', '[]', '{}', '"../../x"', '"float99"', 'true', '0', '9007199254740993',
  '"__proto__"', '[null]', '{"__proto__": {"x": 1}}', `${'['.repeat(5000)}${']'.repeat(5000)}`, '"constructor"', '-0.5'];

/** Every path in a parsed JSON value, as key lists. */
function jsonPaths(value, prefix = [], out = []) {
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      if (out.length < 2000) jsonPaths(value[key], [...prefix, key], out);
    }
  }
  return out;
}

/** `text` (JSON) with the value at one random path replaced by odd JSON (as text), or removed. */
function mutateJson(rng, text) {
  const value = JSON.parse(text);
  const paths = jsonPaths(value);
  if (paths.length === 0) return { text: rng.pick(JSON_ODD), how: 'replaced whole' };
  const where = rng.pick(paths);
  const parent = where.slice(0, -1).reduce((o, key) => o[key], value);
  const key = where[where.length - 1];
  if (rng.chance(0.15)) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return { text: JSON.stringify(value), how: `${where.join('.')} removed` };
  }
  const odd = rng.pick(JSON_ODD);
  const marker = 'fuzz-marker-8f3a1c';
  parent[key] = marker;
  return { text: JSON.stringify(value).replace(`"${marker}"`, () => odd), how: `${where.join('.')} = ${odd.slice(0, 40)}` };
}

/** Byte-level corruptions any file gets: empty, cut, flipped, random, with a tail. */
function byteMutations(rng, bytes) {
  const cut = (n) => bytes.subarray(0, Math.max(0, Math.min(bytes.length - 1, n)));
  const flipped = () => {
    const copy = Buffer.from(bytes);
    const flips = 1 + rng.int(4);
    const at = [];
    for (let i = 0; i < flips; i++) {
      const j = rng.int(copy.length);
      copy[j] ^= 1 << rng.int(8);
      at.push(j);
    }
    return { bytes: copy, how: `bits flipped at ${at.join(', ')}` };
  };
  const random = Buffer.from(Array.from({ length: bytes.length }, () => rng.int(256)));
  const cuts = [8, 1 + rng.int(bytes.length - 1), 1 + rng.int(bytes.length - 1)];
  return [
    { bytes: Buffer.alloc(0), how: 'empty' },
    ...cuts.map((n) => ({ bytes: cut(n), how: `truncated to ${cut(n).length} bytes` })),
    flipped(), flipped(),
    { bytes: random, how: 'random bytes' },
    { bytes: Buffer.concat([bytes, Buffer.from(Array.from({ length: 100 }, () => rng.int(256)))]), how: 'random tail' },
  ];
}

/** Corruptions that keep a format's structure and lie in its header. */
function formatMutations(rng, format, bytes) {
  const out = [];
  if (format === 'npy') {
    const data = Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    const header = (descr, shape, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
    for (const [descr, shape, how, fortran] of [['<f99', '(2, 3)', 'descr <f99'], ['|O', '(2, 3)', 'descr |O (objects)'],
      ['<U10', '(2, 3)', 'descr <U10'], ['<f4', '(-1,)', 'shape (-1,)'], ['<f4', '(1000000000000,)', 'shape 1e12'],
      ['<f4', '(4294967296, 4294967296)', 'shape 2^32 x 2^32'], ['<f4', '(2, 3, 0)', 'shape with 0'], ['<f4', '()', 'shape ()'],
      ['<f4', '(2, 3)', 'fortran order', 'True'], ['<f4', '[2, 3]', 'shape a list'], ['<f4', "(2, 'a')", 'shape with a string']]) {
      out.push({ bytes: npy(header(descr, shape, fortran), data), how });
    }
    out.push({ bytes: npy('[1, 2]', data), how: 'header not a dict' });
    out.push({ bytes: npy("{'descr': '<f4', 'shape': (2, 3), '__proto__': 1, }", data), how: 'header with __proto__' });
    const long = Buffer.from(bytes);
    long.writeUInt16LE(0xffff, 8);
    out.push({ bytes: long, how: 'header length 65535' });
    const version = Buffer.from(bytes);
    version[6] = 3 + rng.int(200);
    out.push({ bytes: version, how: `version ${version[6]}` });
  }
  if (format === 'safetensors' || format === 'weights') {
    const length = Number(bytes.readBigUInt64LE(0));
    const headerText = bytes.subarray(8, 8 + length).toString();
    const data = bytes.subarray(8 + length);
    for (const declared of [0, 2 ** 32, 2 ** 53, length + 100, 18446744073709551615n]) {
      out.push({ bytes: safetensors(headerText, data, declared), how: `header length ${declared}` });
    }
    for (let i = 0; i < 4; i++) {
      const { text, how } = mutateJson(rng, headerText);
      out.push({ bytes: safetensors(text, data), how: `header ${how}` });
    }
    const first = Object.keys(JSON.parse(headerText)).find((key) => key !== '__metadata__');
    const entry = JSON.parse(headerText)[first];
    const special = (value) => JSON.stringify({ [first]: { ...entry, ...value } });
    for (const [text, how] of [[special({ dtype: undefined }), 'an entry without dtype'], [special({ dtype: 'F99' }), 'dtype F99'],
      [special({ shape: [-1] }), 'shape [-1]'], [special({ shape: [1e12, 1e12] }), 'shape [1e12, 1e12]'],
      [special({ data_offsets: [0, 1e15] }), 'data_offsets beyond the file'], [special({ data_offsets: [8, 0] }), 'data_offsets reversed'],
      [`{"__proto__": ${JSON.stringify(entry)}}`, 'an entry named __proto__'], ['{"__metadata__": {"m": 1}}', 'metadata not strings'],
      [`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 'header nested 5000 deep']]) {
      out.push({ bytes: safetensors(text, data), how });
    }
  }
  if (format === 'npz' || format === 'dataset') {
    const npyBytes = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Buffer.from(new Float32Array([1, 2]).buffer));
    const entry = (name) => ({ name, data: npyBytes });
    for (const [entries, patch, how] of [[[entry('__proto__.npy')], {}, 'an entry __proto__.npy'],
      [[entry('constructor.npy')], {}, 'an entry constructor.npy'], [[entry('../../x.npy')], {}, 'an entry ../../x.npy'],
      [[entry('a.npy'), entry('a.npy')], {}, 'two entries named a.npy'], [[entry('a.npy')], { method: 99 }, 'compression method 99'],
      [[entry('a.npy')], { method: 8 }, 'deflate method on stored data'], [[entry('a.npy')], { size: 0xffffffff }, 'size 4 GiB'],
      [[entry('a.npy')], { entries: 0xffff }, '65535 entries declared'], [[entry('a.npy')], { directoryOffset: 0xfffffff0 }, 'directory offset beyond the file'],
      [[entry('a.npy')], { localOffset: 0xfffffff0 }, 'entry offset beyond the file'], [[entry(`${'a'.repeat(300)}.npy`)], {}, 'a 300-character name'],
      [[{ name: 'a.npy', data: Buffer.from('not npy') }], {}, 'an entry that is not npy']]) {
      out.push({ bytes: zip(entries, patch), how });
    }
  }
  if (format === 'mat' || format === 'gridworld') {
    const huge = Buffer.from(bytes);
    huge.writeUInt32LE(0xfffffff0, 132);
    out.push({ bytes: huge, how: 'first element size 4 GiB' });
    out.push({ bytes: matNested(20000), how: 'cells nested 20000 deep' });
    out.push({ bytes: matNested(3, [100000, 100000]), how: 'a cell of 100000 x 100000' });
    out.push({ bytes: matNested(0, [1000000, 1000000]), how: 'a double of 1e6 x 1e6 with one value' });
    out.push({ bytes: matNested(0, [-1, 2]), how: 'dims -1 x 2' });
  }
  return out;
}

/** FIFO, folder, symlinks to /dev/zero, /dev/null, nowhere and in a loop, in <dir>/special. */
function specialFiles(dir) {
  const special = path.join(dir, 'special');
  fs.mkdirSync(path.join(special, 'folder'), { recursive: true });
  const links = { zero: '/dev/zero', null: '/dev/null', dangling: path.join(special, 'missing'), loopA: path.join(special, 'loopB'), loopB: path.join(special, 'loopA') };
  const exists = (name) => fs.lstatSync(path.join(special, name), { throwIfNoEntry: false }) !== undefined; // links too
  for (const [name, to] of Object.entries(links)) if (!exists(name)) fs.symlinkSync(to, path.join(special, name));
  if (!exists('fifo')) execFileSync('mkfifo', [path.join(special, 'fifo')]);
  return [['fifo', 'a FIFO'], ['folder', 'a folder'], ['zero', 'a symlink to /dev/zero'], ['null', 'a symlink to /dev/null'],
    ['dangling', 'a dangling symlink'], ['loopA', 'a symlink loop'], ['missing', 'a missing file']]
    .map(([name, how]) => ({ file: path.join('special', name), how }));
}

const quote = (relative) => `h.file('${relative.split(path.sep).join('/')}')`;

/**
 * Writes seed `seed`'s corrupt files under <dir>/files-<seed> and returns their cases: each
 * corruption through every reader (by path) and decoder (by bytes) of its format, the special files
 * through every reader, and model folders with one file corrupt or special.
 */
function prepareFileCases(dir, seed) {
  const rng = seededRandom(seed ^ 0x5eed);
  const own = `files-${seed}`;
  fs.mkdirSync(path.join(dir, own), { recursive: true });
  const cases = [];
  const specials = specialFiles(dir);
  const push = ([target, call], relative, how) => cases.push({ group: 'file', target, how,
    expr: call.replace('@path', quote(relative)).replace('@bytes', `h.bytes('${relative.split(path.sep).join('/')}')`) });
  let n = 0;
  for (const [format, { source, readers }] of Object.entries(FORMATS)) {
    const sourcePath = path.isAbsolute(source) ? source : path.join(dir, 'valid', source);
    if (!fs.existsSync(sourcePath)) continue;
    const bytes = fs.readFileSync(sourcePath);
    for (const { bytes: corrupt, how } of [...byteMutations(rng, bytes), ...formatMutations(rng, format, bytes)]) {
      const relative = path.join(own, `${format}-${n++}${path.extname(sourcePath)}`);
      fs.writeFileSync(path.join(dir, relative), corrupt);
      for (const reader of readers) push(reader, relative, `${format}${byPath(reader) ? '' : ' bytes'}: ${how}`);
    }
    // Special files go only to the readers that open a path: the decoders' bytes are read by the fuzzer.
    for (const { file, how } of specials) for (const reader of readers.filter(byPath)) push(reader, file, `${format}: ${how}`);
  }
  for (const { source, readers } of FOLDERS) {
    const sourceDir = path.join(dir, 'valid', source);
    const variants = [];
    const modelJson = fs.readFileSync(path.join(sourceDir, 'model.json'), 'utf8');
    for (let i = 0; i < 6; i++) {
      const { text, how } = mutateJson(rng, modelJson);
      variants.push({ file: 'model.json', write: (p) => fs.writeFileSync(p, text), how: `model.json ${how}` });
    }
    for (const [edit, how] of [[(m) => m.replace(/"inboundNodes":\s*\[[^\]]*\]/, '"inboundNodes": "x"'), 'inboundNodes "x"'],
      [(m) => m.replace(/"dtype":\s*"float32"/, '"dtype": "float99"'), 'dtype float99'],
      [(m) => m.replace(/^\{/, '{"weightsFile": "../../x",'), 'weightsFile ../../x'],
      [(m) => m.replace(/"className":\s*"\w+"/, '"className": "__proto__"'), 'className __proto__'],
      [(m) => m.replace(/"className":\s*"\w+"/, '"className": "constructor"'), 'className constructor']]) {
      const text = edit(modelJson);
      if (text !== modelJson) variants.push({ file: 'model.json', write: (p) => fs.writeFileSync(p, text), how: `model.json ${how}` });
    }
    const weights = fs.readFileSync(path.join(sourceDir, 'weights.safetensors'));
    for (const { bytes: corrupt, how } of byteMutations(rng, weights).slice(0, 4)) {
      variants.push({ file: 'weights.safetensors', write: (p) => fs.writeFileSync(p, corrupt), how: `weights ${how}` });
    }
    for (const file of ['model.json', 'weights.safetensors']) {
      for (const { file: specialFile, how } of specials) {
        variants.push({ file, write: (p) => fs.symlinkSync(path.join(dir, specialFile), p), how: `${file} is ${how}` });
      }
    }
    for (const { file, write, how } of variants) {
      const relative = path.join(own, `${source}-${n++}`);
      fs.cpSync(sourceDir, path.join(dir, relative), { recursive: true });
      fs.rmSync(path.join(dir, relative, file));
      write(path.join(dir, relative, file));
      for (const reader of readers) push(reader, relative, `${source} folder: ${how}`);
    }
  }
  return cases;
}

module.exports = { prepareFileCases };
