#!/usr/bin/env python3
"""Writes and reads safetensors files by hand (json + struct + numpy), independently of keratorch.

Debian's system python has numpy but not the `safetensors` package, so this follows the format
spec (huggingface/safetensors) directly:

  - 8 bytes: N, the header size, an unsigned little-endian 64-bit integer;
  - N bytes: a UTF-8 JSON object {name: {"dtype", "shape", "data_offsets": [begin, end]}},
    with an optional "__metadata__" object of strings, padded with spaces so N % 8 == 0;
  - the tensors' bytes, little-endian, C order; data_offsets are relative to the end of the header
    and the tensors tile the data exactly (no gap, no overlap, nothing after the last one).

Usage (Debian's /usr/bin/python3):

  make_safetensors_fixture.py                write safetensors_fixture.{safetensors,json} here
  make_safetensors_fixture.py --out DIR      write them to DIR instead
  make_safetensors_fixture.py --read FILE    validate FILE and print its contents as JSON

The fixture's tensors are written sorted by name, with the compact JSON keratorch writes, so
`encodeSafetensors` of the same tensors must give the same bytes (test/io/safetensors.test.ts).
safetensors_fixture.json holds the same tensors as plain values for the test. Output is
deterministic: an unchanged script writes identical files.
"""
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = 'safetensors_fixture'

# safetensors dtype code -> (numpy little-endian dtype, keratorch dtype)
DTYPES = {
    'F32': ('<f4', 'float32'),
    'F64': ('<f8', 'float64'),
    'I32': ('<i4', 'int32'),
    'I64': ('<i8', 'int64'),
    'U8': ('u1', 'uint8'),
    'BOOL': ('?', 'bool'),
}
CODE_OF = {kt: code for code, (_, kt) in DTYPES.items()}

METADATA = {'format': 'pt', 'source': 'make_safetensors_fixture.py'}

# (name, keratorch dtype, shape, values): every dtype, a 0-d tensor and an empty one. Float values
# are exact in their dtype, so the JSON copy round-trips without rounding.
TENSORS = [
    ('bias', 'float32', [3], [0.5, -1.25, 3.0]),
    ('count', 'int64', [2], [2 ** 40 + 1, -7]),
    ('empty', 'float32', [0, 3], []),
    ('flags', 'bool', [2, 2], [[True, False], [False, True]]),
    ('kernel', 'float32', [2, 3], [[1.0, 2.0, 3.0], [-4.0, 0.0, 0.25]]),
    ('pixels', 'uint8', [4], [0, 1, 127, 255]),
    ('precise', 'float64', [2], [0.1, -1e300]),
    ('scalar', 'float32', [], 2.5),
    ('step', 'int32', [3], [-2147483648, 0, 2147483647]),
]


def encode(tensors, metadata):
    """The safetensors bytes of [(name, numpy array)], written in name order."""
    header = {}
    if metadata:
        header['__metadata__'] = dict(metadata)
    chunks = []
    offset = 0
    for name, array in sorted(tensors, key=lambda item: item[0]):
        code = CODE_OF[KT_OF_NUMPY[array.dtype.str]]
        data = np.ascontiguousarray(array).tobytes()
        header[name] = {'dtype': code, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    return struct.pack('<Q', len(text)) + text + b''.join(chunks)


KT_OF_NUMPY = {np.dtype(np_dtype).str: kt for np_dtype, kt in DTYPES.values()}


def decode(blob):
    """Parses and strictly validates safetensors bytes: (metadata, {name: numpy array})."""
    if len(blob) < 8:
        raise ValueError('shorter than the 8-byte header size')
    (size,) = struct.unpack('<Q', blob[:8])
    if size > len(blob) - 8:
        raise ValueError(f'header size {size} beyond the end of the file')
    text = blob[8:8 + size].decode('utf-8')
    if not text.startswith('{'):
        raise ValueError('header does not start with {')
    if (8 + size) % 8 != 0:
        raise ValueError('data does not start 8-byte aligned')
    header = json.loads(text)
    data = blob[8 + size:]
    metadata = header.pop('__metadata__', None) or {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError('__metadata__ must map strings to strings')
    spans = []
    arrays = {}
    for name, info in header.items():
        if set(info) != {'dtype', 'shape', 'data_offsets'}:
            raise ValueError(f'{name}: unexpected keys {sorted(info)}')
        np_dtype = np.dtype(DTYPES[info['dtype']][0])
        shape = info['shape']
        begin, end = info['data_offsets']
        if end - begin != int(np.prod(shape, dtype=np.int64)) * np_dtype.itemsize:
            raise ValueError(f'{name}: byte count does not match shape and dtype')
        spans.append((begin, end, name))
        arrays[name] = np.frombuffer(data[begin:end], dtype=np_dtype).reshape(shape)
    covered = 0
    for begin, end, name in sorted(spans):
        if begin != covered:
            raise ValueError(f'{name}: gap or overlap at byte {begin}')
        covered = end
    if covered != len(data):
        raise ValueError('trailing bytes after the last tensor')
    order = [name for _, _, name in sorted(spans)]
    if order != sorted(order):
        raise ValueError('tensors are not stored in name order')
    return metadata, arrays


def to_json(metadata, arrays):
    return {
        'metadata': metadata,
        'tensors': {
            name: {'dtype': KT_OF_NUMPY[a.dtype.str], 'shape': list(a.shape), 'values': a.tolist()}
            for name, a in arrays.items()
        },
    }


def write_fixture(folder):
    arrays = [(name, np.array(values, dtype=DTYPES[CODE_OF[kt]][0]).reshape(shape))
              for name, kt, shape, values in TENSORS]
    blob = encode(arrays, METADATA)
    # The fixture must satisfy the reader too.
    decode(blob)
    with open(os.path.join(folder, NAME + '.safetensors'), 'wb') as f:
        f.write(blob)
    with open(os.path.join(folder, NAME + '.json'), 'w') as f:
        json.dump(to_json(METADATA, dict(arrays)), f, indent=1, sort_keys=True)
        f.write('\n')


def main(argv):
    if len(argv) == 2 and argv[0] == '--read':
        with open(argv[1], 'rb') as f:
            metadata, arrays = decode(f.read())
        print(json.dumps(to_json(metadata, arrays), sort_keys=True))
    elif len(argv) == 2 and argv[0] == '--out':
        write_fixture(argv[1])
    elif not argv:
        write_fixture(HERE)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
