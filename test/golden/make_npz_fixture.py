#!/usr/bin/env python3
"""Writes the .npz fixtures keratorch's npy/npz reader is tested against, with numpy's own writers.

  npz_fixture.npz             np.savez: every member STORED (Python's zipfile, zip64 local headers)
  npz_fixture_compressed.npz  np.savez_compressed: the same arrays, every member DEFLATE
  npz_fixture.json            the same arrays as plain values: {name: {dtype, shape, values}}, values
                              flattened in C order; int64 as decimal strings (beyond 2^53), NaN and
                              +-Infinity as the strings "NaN", "Infinity", "-Infinity"

The arrays cover every dtype keratorch reads ('<f4' '<f8' '<i4' '<i8' '|u1' '|b1'), a 0-d and an
empty array, a Fortran-order array and big-endian ones (which np.savez stores as they are).

Usage (Debian's /usr/bin/python3, which has numpy):

  make_npz_fixture.py              write the three files next to this script
  make_npz_fixture.py --out DIR    write them to DIR instead
  make_npz_fixture.py --read FILE  np.load FILE and print its arrays as JSON in the format above

The arrays are fixed literals, so the JSON is identical on every run; the .npz files differ only in
the zip entries' timestamps (zipfile stamps the time of writing).
"""
import json
import math
import os
import sys

import numpy as np

DTYPE_NAMES = {
    np.dtype('float32'): 'float32', np.dtype('float64'): 'float64', np.dtype('int32'): 'int32',
    np.dtype('int64'): 'int64', np.dtype('uint8'): 'uint8', np.dtype('bool'): 'bool',
}


def fixture_arrays():
    return {
        'f4': np.array([[0.5, -1.25, 3e38], [float('nan'), float('inf'), -0.0]], dtype='<f4'),
        'f8': np.array([1.0 / 3.0, -2.5e-300, float('-inf'), 1e300], dtype='<f8'),
        'i4': np.arange(-4, 4, dtype='<i4').reshape(2, 2, 2) * 1000003,
        'i8': np.array([-(2 ** 63), 2 ** 53 + 1, 2 ** 63 - 1], dtype='<i8'),
        'u1': np.array([0, 1, 127, 128, 255], dtype='|u1'),
        'b1': np.array([[True, False], [False, True]]),
        'scalar': np.array(2.75, dtype='<f8'),
        'empty': np.zeros((0, 3), dtype='<f4'),
        'fortran': np.asfortranarray(np.arange(12, dtype='<i4').reshape(3, 4)),
        'fortran3d': np.asfortranarray(np.arange(24, dtype='<f8').reshape(2, 3, 4)),
        'big_f8': np.array([[1.5, -2.0, 1e-10], [4.0, 5.5, -6.25]], dtype='>f8'),
        'big_i4': np.array([1, -2, 65536, -2147483648], dtype='>i4'),
        'big_i8': np.array([2 ** 40 + 7, -3], dtype='>i8'),
    }


def plain(value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    if math.isnan(value):
        return 'NaN'
    if math.isinf(value):
        return 'Infinity' if value > 0 else '-Infinity'
    return value


def describe(array):
    dtype = DTYPE_NAMES[array.dtype.newbyteorder('=')]
    flat = np.ascontiguousarray(array).reshape(-1)
    values = [str(int(v)) for v in flat] if dtype == 'int64' else [plain(v) for v in flat]
    return {'dtype': dtype, 'shape': list(array.shape), 'values': values}


def write(out):
    arrays = fixture_arrays()
    assert arrays['fortran'].flags.f_contiguous and not arrays['fortran'].flags.c_contiguous
    np.savez(os.path.join(out, 'npz_fixture.npz'), **arrays)
    np.savez_compressed(os.path.join(out, 'npz_fixture_compressed.npz'), **arrays)
    with open(os.path.join(out, 'npz_fixture.json'), 'w') as f:
        lines = [f'  {json.dumps(name)}: {json.dumps(describe(a))}' for name, a in arrays.items()]
        f.write('{\n' + ',\n'.join(lines) + '\n}\n')


def read(path):
    with np.load(path) as data:
        json.dump({name: describe(data[name]) for name in data.files}, sys.stdout)


def main(argv):
    if len(argv) == 2 and argv[0] == '--read':
        read(argv[1])
    elif len(argv) == 2 and argv[0] == '--out':
        write(argv[1])
    elif not argv:
        write(os.path.dirname(os.path.abspath(__file__)))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
