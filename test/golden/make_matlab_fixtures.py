#!/usr/bin/env python3
"""Writes small MATLAB Level 5 MAT-files by hand (struct + zlib), independently of keratorch.

Debian's system python has numpy but not scipy, so this follows MathWorks' "MAT-File Format" document
directly:

  - a 128-byte header: 116 bytes of text, 8 bytes of subsystem offset, the version 0x0100 and the
    endian indicator (the u16 0x4D49 in the file's byte order: 'IM' little-endian, 'MI' big-endian);
  - data elements: an 8-byte tag (u32 type, u32 byte count) and the data padded to 8 bytes, or, for
    1 to 4 bytes of data, the small format: one u32 (byte count << 16 | type) and the data in the
    next 4 bytes;
  - a variable is an miMATRIX element: array flags (miUINT32 x2: class | flags << 8, 0), dimensions
    (miINT32), name (miINT8), then the real and imaginary parts, the characters, the cells, or the
    field name length, field names and field values;
  - miCOMPRESSED: a zlib stream of one miMATRIX element, not padded.

Every variable of VARIABLES goes into four files, little- and big-endian, plain and compressed:
matlab_fixture_{le,be,le_z,be_z}.mat. They use what MATLAB does: numbers stored in a smaller type than
their class (a double array as miINT16, a scalar as a small miUINT8 element), names of up to 4
characters in the small format, an empty miMATRIX for an empty cell, UTF-16 and UTF-8 characters.
matlab_fixtures.json holds the variables as plain values (64-bit integers as strings, data
column-major) for test/io/matlab.test.ts.

Usage:

  /usr/bin/python3 make_matlab_fixtures.py                write the files here
  /usr/bin/python3 make_matlab_fixtures.py --out DIR      write them to DIR instead
  python3 make_matlab_fixtures.py --check-scipy DIR       read DIR's .mat files with scipy.io.loadmat
                                                          and compare with its JSON (needs scipy)

Output is deterministic: an unchanged script writes identical files (the compressed ones given the
same zlib).
"""
import json
import os
import struct
import sys
import zlib

MI_INT8, MI_UINT8, MI_INT16, MI_UINT16, MI_INT32, MI_UINT32 = 1, 2, 3, 4, 5, 6
MI_SINGLE, MI_DOUBLE, MI_INT64, MI_UINT64 = 7, 9, 12, 13
MI_MATRIX, MI_COMPRESSED, MI_UTF8 = 14, 15, 16

# struct format letter of each numeric data type
FORMATS = {MI_INT8: 'b', MI_UINT8: 'B', MI_INT16: 'h', MI_UINT16: 'H', MI_INT32: 'i', MI_UINT32: 'I',
           MI_SINGLE: 'f', MI_DOUBLE: 'd', MI_INT64: 'q', MI_UINT64: 'Q'}

MX_CELL, MX_STRUCT, MX_CHAR = 1, 2, 4
CLASSES = {'double': 6, 'single': 7, 'int8': 8, 'uint8': 9, 'int16': 10, 'uint16': 11, 'int32': 12,
           'uint32': 13, 'int64': 14, 'uint64': 15, 'logical': 9}
FLAG_COMPLEX, FLAG_LOGICAL = 0x08, 0x02


def numeric(cls, dims, data, stored, imag=None):
    """A numeric variable: `data` column-major, written as data type `stored`."""
    return {'kind': 'numeric', 'class': cls, 'dims': dims, 'data': data, 'stored': stored, 'imag': imag}


def char(dims, text, stored=MI_UINT16):
    """A char array; `text` is its rows joined by newlines (as keratorch reads it)."""
    return {'kind': 'char', 'dims': dims, 'text': text, 'stored': stored}


def cell(dims, cells):
    return {'kind': 'cell', 'dims': dims, 'cells': cells}


def struct_array(dims, field_names, elements):
    return {'kind': 'struct', 'dims': dims, 'fieldNames': field_names, 'elements': elements}


EMPTY = {'kind': 'empty'}  # written as an miMATRIX with no data, read as a 0 x 0 double

# (name, value): every class, the storage and format variants MATLAB uses, nesting.
VARIABLES = [
    ('dbl', numeric('double', [2, 3], [1.5, 4.0, -2.0, 5.25, 3.0, -6e300], MI_DOUBLE)),
    ('sgl', numeric('single', [1, 3], [0.5, -1.25, 2.0 ** 127], MI_SINGLE)),
    ('i8', numeric('int8', [3, 1], [-128, 0, 127], MI_INT8)),
    ('u8', numeric('uint8', [1, 2], [0, 255], MI_UINT8)),
    ('i16', numeric('int16', [1, 3], [-32768, 1, 32767], MI_INT16)),
    ('u16', numeric('uint16', [1, 2], [0, 65535], MI_UINT16)),
    ('i32', numeric('int32', [1, 3], [-2147483648, 7, 2147483647], MI_INT32)),
    ('u32', numeric('uint32', [1, 2], [0, 4294967295], MI_UINT32)),
    ('i64', numeric('int64', [1, 3], [-(2 ** 63), 2 ** 53 + 1, 2 ** 63 - 1], MI_INT64)),
    ('u64', numeric('uint64', [1, 2], [0, 2 ** 64 - 1], MI_UINT64)),
    # MATLAB stores whole numbers in the smallest type that holds them (the VIN test files do).
    ('packed', numeric('double', [2, 2], [-1.0, 10.0, 300.0, -32768.0], MI_INT16)),
    ('wide', numeric('int32', [1, 2], [5, -3], MI_INT8)),
    ('tiny', numeric('double', [1, 1], [7.0], MI_UINT8)),
    ('flag', numeric('logical', [1, 4], [1, 0, 1, 1], MI_UINT8)),
    ('z', numeric('double', [1, 2], [1.0, -3.0], MI_DOUBLE, imag=[2.0, -0.5])),
    ('cube', numeric('double', [2, 3, 2], [float(i) for i in range(12)], MI_DOUBLE)),
    ('empty', numeric('double', [0, 0], [], MI_DOUBLE)),
    ('greeting', char([1, 5], 'hello')),
    ('rows', char([2, 3], 'abc\ndef')),
    ('utf', char([1, 6], 'h\u00e9llo\u2192', MI_UTF8)),
    ('c', cell([2, 2], [
        numeric('double', [1, 1], [42.0], MI_UINT8),
        cell([1, 1], [numeric('int32', [1, 2], [1, 2], MI_INT32)]),
        char([1, 2], 'ab'),
        EMPTY,
    ])),
    ('s', struct_array([1, 2], ['a', 'bb'], [
        {'a': numeric('double', [1, 1], [1.0], MI_DOUBLE), 'bb': char([1, 1], 'x')},
        {'a': numeric('double', [1, 2], [1.0, 2.0], MI_DOUBLE), 'bb': EMPTY},
    ])),
]


def element(e, mi_type, payload, small=True):
    """A data element in byte order `e` ('<' or '>'); the small format when it fits, as MATLAB does."""
    if small and 0 < len(payload) <= 4:
        return struct.pack(e + 'I', (len(payload) << 16) | mi_type) + payload + b'\0' * (4 - len(payload))
    return struct.pack(e + 'II', mi_type, len(payload)) + payload + b'\0' * (-len(payload) % 8)


def pack_numbers(e, mi_type, values):
    fmt = FORMATS[mi_type]
    if fmt not in 'fd':
        # A double array stored as integers (MATLAB does so only when every value is whole).
        assert all(float(v).is_integer() for v in values), values
        values = [int(v) for v in values]
    return struct.pack(e + fmt * len(values), *values)


def chars_payload(e, value):
    rows = value['text'].split('\n') if value['text'] else []
    n_rows, n_cols = value['dims'][0], value['dims'][1]
    column_major = ''.join(rows[r][c] for c in range(n_cols) for r in range(n_rows))
    if value['stored'] == MI_UTF8:
        return column_major.encode('utf-8')
    return pack_numbers(e, MI_UINT16, [ord(ch) for ch in column_major])


def matrix(e, name, value):
    """The miMATRIX element of one variable (or cell, or field value: name '')."""
    if value['kind'] == 'empty':
        return struct.pack(e + 'II', MI_MATRIX, 0)
    kind = value['kind']
    flags = 0
    if kind == 'numeric':
        mx_class = CLASSES[value['class']]
        if value['class'] == 'logical':
            flags |= FLAG_LOGICAL
        if value['imag'] is not None:
            flags |= FLAG_COMPLEX
    else:
        mx_class = {'char': MX_CHAR, 'cell': MX_CELL, 'struct': MX_STRUCT}[kind]
    body = element(e, MI_UINT32, struct.pack(e + 'II', mx_class | (flags << 8), 0))
    body += element(e, MI_INT32, struct.pack(e + 'i' * len(value['dims']), *value['dims']))
    body += element(e, MI_INT8, name.encode('latin-1'))
    if kind == 'numeric':
        body += element(e, value['stored'], pack_numbers(e, value['stored'], value['data']))
        if value['imag'] is not None:
            body += element(e, value['stored'], pack_numbers(e, value['stored'], value['imag']))
    elif kind == 'char':
        body += element(e, value['stored'], chars_payload(e, value))
    elif kind == 'cell':
        body += b''.join(matrix(e, '', item) for item in value['cells'])
    else:
        length = max(len(f) for f in value['fieldNames']) + 1
        body += element(e, MI_INT32, struct.pack(e + 'i', length))
        body += element(e, MI_INT8, b''.join(f.encode('latin-1').ljust(length, b'\0') for f in value['fieldNames']))
        for record in value['elements']:
            body += b''.join(matrix(e, '', record[f]) for f in value['fieldNames'])
    return struct.pack(e + 'II', MI_MATRIX, len(body)) + body


def mat_file(e, compressed):
    text = b'MATLAB 5.0 MAT-file, Platform: keratorch fixture, Created by: make_matlab_fixtures.py'
    header = text.ljust(116, b' ') + b'\0' * 8 + struct.pack(e + 'HH', 0x0100, 0x4D49)
    assert len(header) == 128
    parts = [header]
    for name, value in VARIABLES:
        data = matrix(e, name, value)
        if compressed:
            stream = zlib.compress(data, 9)
            data = struct.pack(e + 'II', MI_COMPRESSED, len(stream)) + stream
        parts.append(data)
    return b''.join(parts)


def plain(value):
    """The JSON form keratorch's readMat gives (64-bit integers as strings)."""
    kind = value['kind']
    if kind == 'empty':
        return {'kind': 'numeric', 'class': 'double', 'dims': [0, 0], 'data': []}
    if kind == 'numeric':
        big = value['class'] in ('int64', 'uint64')
        out = {'kind': 'numeric', 'class': value['class'], 'dims': value['dims'],
               'data': [str(v) if big else v for v in value['data']]}
        if value['imag'] is not None:
            out['imag'] = value['imag']
        return out
    if kind == 'char':
        return {'kind': 'char', 'dims': value['dims'], 'text': value['text']}
    if kind == 'cell':
        return {'kind': 'cell', 'dims': value['dims'], 'cells': [plain(v) for v in value['cells']]}
    return {'kind': 'struct', 'dims': value['dims'], 'fieldNames': value['fieldNames'],
            'elements': [{f: plain(r[f]) for f in value['fieldNames']} for r in value['elements']]}


FILES = {'matlab_fixture_le.mat': ('<', False), 'matlab_fixture_be.mat': ('>', False),
         'matlab_fixture_le_z.mat': ('<', True), 'matlab_fixture_be_z.mat': ('>', True)}
JSON_FILE = 'matlab_fixtures.json'


def write(out_dir):
    for file_name, (e, compressed) in FILES.items():
        with open(os.path.join(out_dir, file_name), 'wb') as f:
            f.write(mat_file(e, compressed))
    contents = {'files': sorted(FILES), 'variables': {name: plain(value) for name, value in VARIABLES}}
    with open(os.path.join(out_dir, JSON_FILE), 'w', encoding='utf-8') as f:
        json.dump(contents, f, indent=1, ensure_ascii=False)
        f.write('\n')


def check_scipy(directory):
    """Reads each file with scipy (a third-party reader) and compares it with the JSON."""
    import numpy as np
    import scipy.io
    with open(os.path.join(directory, JSON_FILE), encoding='utf-8') as f:
        expected = json.load(f)['variables']

    def same(got, want, where):
        if want['kind'] == 'numeric':
            arr = np.asarray(got)
            if arr.size == 0 and not want['data']:
                # scipy gives an miMATRIX without data (an empty cell) the shape (1, 0), keratorch [0, 0].
                return
            assert list(arr.shape) == want['dims'], (where, arr.shape, want['dims'])
            flat = arr.flatten(order='F')
            real = [int(v) for v in want['data']] if want['class'] in ('int64', 'uint64') else want['data']
            if 'imag' in want:
                assert flat.real.tolist() == real and flat.imag.tolist() == want['imag'], where
            else:
                assert [v.item() if hasattr(v, 'item') else v for v in flat] == real, (where, flat, real)
        elif want['kind'] == 'char':
            rows = [str(r) for r in np.atleast_1d(got)]
            assert '\n'.join(rows) == want['text'], (where, rows)
        elif want['kind'] == 'cell':
            assert list(got.shape) == want['dims'], where
            for i, (g, w) in enumerate(zip(got.flatten(order='F'), want['cells'])):
                same(g, w, f'{where}{{{i + 1}}}')
        else:
            assert list(got.shape) == want['dims'], where
            assert list(got.dtype.names) == want['fieldNames'], where
            for i, (g, w) in enumerate(zip(got.flatten(order='F'), want['elements'])):
                for field in want['fieldNames']:
                    same(g[field], w[field], f'{where}({i + 1}).{field}')

    for file_name in FILES:
        data = scipy.io.loadmat(os.path.join(directory, file_name), squeeze_me=False, chars_as_strings=True,
                                mat_dtype=False)
        classes = {name: cls for name, _, cls in scipy.io.whosmat(os.path.join(directory, file_name))}
        for name, want in expected.items():
            same(data[name], want, f'{file_name}:{name}')
            assert classes[name] == want.get('class', want['kind']), (file_name, name, classes[name])
        print(f'{file_name}: {len(expected)} variables match')


def main(argv):
    if len(argv) == 2 and argv[0] == '--check-scipy':
        check_scipy(argv[1])
        return
    out_dir = os.path.dirname(os.path.abspath(__file__))
    if len(argv) == 2 and argv[0] == '--out':
        out_dir = argv[1]
    elif argv:
        sys.exit(__doc__)
    write(out_dir)


if __name__ == '__main__':
    main(sys.argv[1:])
