"""The ctypes structs of nn/_lib.py against the compiler's layout of the headers."""

import ctypes
import os
import subprocess

import pytest

from nn import _lib


def compiled_layout():
    exe = os.environ.get('NN_LAYOUT')
    if not exe:
        pytest.skip('NN_LAYOUT (the layout printer meson builds) is not set')
    structs, fields = {}, {}
    for line in subprocess.run([exe], check=True, capture_output=True, text=True).stdout.split('\n'):
        parts = line.split()
        if not parts:
            continue
        if parts[0] == 'struct':
            structs[parts[1]] = int(parts[2])
        else:
            fields[parts[1]] = (int(parts[2]), int(parts[3]))
    return structs, fields


def test_every_struct_matches_the_compiler():
    structs, fields = compiled_layout()
    assert len(structs) >= 21
    for name, size in structs.items():
        cls = _lib.STRUCTS[name]
        assert ctypes.sizeof(cls) == size, name
        names = [f[0] for f in cls._fields_]
        compiled = sorted((k.split('.', 1)[1] for k in fields if k.startswith(name + '.')),
                          key=lambda f: fields[name + '.' + f][0])
        assert names == compiled, name   # the same fields, in the same order
        for field in names:
            descr = getattr(cls, field)
            assert (descr.offset, descr.size) == fields[name + '.' + field], (name, field)


def test_every_mirrored_struct_is_checked():
    structs, _ = compiled_layout()
    unchecked = set(_lib.STRUCTS) - set(structs)
    # the table's structs exist only once the table reader is in libnn
    assert unchecked <= {'nn_table_options', 'nn_table'}
    if _lib.has('nn_table_read'):
        assert not unchecked
