#!/usr/bin/python3
"""Write the small pickle fixtures of tests/data/pickle/ (run with Debian's
python3-numpy: /usr/bin/python3 scripts/gen_pickle_fixtures.py).

Every fixture holds the same tiny data set, in the structure of the lecture's
mnist.pkl.gz: ((train_x, train_y), (valid_x, valid_y), (test_x, test_y)),
with 6, 2 and 3 samples of 4 pixels (2 x 2 images). Pixel byte and label
follow formulas that tests/test_pickle.c repeats:

    byte(split, j, f) = (split * 50 + j * 17 + f * 29 + 3) % 256
    label(split, j)   = (split * 3 + j * 7) % 10

Python 3 fixtures are written by pickle.dumps() with numpy arrays (protocols
0 to 5). Python 2's cPickle is not available, so its streams (protocols 0, 1
and 2, byte strings as STRING / SHORT_BINSTRING / BINSTRING) are assembled
opcode by opcode below, the way cPickle writes numpy arrays; each one is then
loaded back by Python 3 (encoding='latin1', as Python 2 pickles need) and
compared with the arrays, so a fixture that Python would not read the same
way is never written.
"""
import gzip
import io
import os
import pickle
import struct
import sys

import numpy as np

SIZES = (6, 2, 3)
F = 4


def byte(split, j, f):
    return (split * 50 + j * 17 + f * 29 + 3) % 256


def label(split, j):
    return (split * 3 + j * 7) % 10


def dataset(img_dtype="f4", lab_dtype="i8", order="C", sizes=SIZES):
    out = []
    for s, n in enumerate(sizes):
        b = np.array([[byte(s, j, f) for f in range(F)] for j in range(n)], dtype=np.uint8)
        x = b if img_dtype == "u1" else (b.astype(np.float64) / 256).astype(img_dtype)
        if order == "F":
            x = np.asfortranarray(x)
        y = np.array([label(s, j) for j in range(n)], dtype=lab_dtype)
        out.append((x, y))
    return tuple(out)


class Py2Writer:
    """cPickle's output for numpy arrays, protocols 0, 1 and 2."""

    def __init__(self, proto):
        self.p = proto
        self.out = io.BytesIO()
        self.memo = 0
        if proto >= 2:
            self.w(b"\x80" + bytes([proto]))

    def w(self, b):
        self.out.write(b)

    def put(self):
        i = self.memo
        self.memo += 1
        if self.p == 0:
            self.w(b"p%d\n" % i)
        elif i < 256:
            self.w(b"q" + bytes([i]))
        else:
            self.w(b"r" + struct.pack("<I", i))

    def glob(self, mod, name):
        self.w(b"c" + mod + b"\n" + name + b"\n")
        self.put()

    def int(self, v):
        if self.p == 0:
            self.w(b"I%d\n" % v)
        elif 0 <= v < 256:
            self.w(b"K" + bytes([v]))
        elif 0 <= v < 65536:
            self.w(b"M" + struct.pack("<H", v))
        else:
            self.w(b"J" + struct.pack("<i", v))

    def bool(self, v):
        if self.p >= 2:
            self.w(b"\x88" if v else b"\x89")
        else:
            self.w(b"I01\n" if v else b"I00\n")

    def none(self):
        self.w(b"N")

    def str(self, s):
        if self.p == 0:
            r = repr(s)[1:]  # Python 2's repr of a str: quotes and \x escapes
            self.w(b"S" + r.encode("ascii") + b"\n")
        elif len(s) < 256:
            self.w(b"U" + bytes([len(s)]) + s)
        else:
            self.w(b"T" + struct.pack("<i", len(s)) + s)
        self.put()

    def tuple(self, items):
        if self.p >= 2 and 1 <= len(items) <= 3:
            for f in items:
                f()
            self.w(bytes([0x84 + len(items)]))
        elif not items:
            self.w(b")" if self.p >= 1 else b"(t")
        else:
            self.w(b"(")
            for f in items:
                f()
            self.w(b"t")
        self.put()

    def dtype(self, code, endian):
        self.glob(b"numpy", b"dtype")
        self.tuple([lambda: self.str(code), lambda: self.int(0), lambda: self.int(1)])
        self.w(b"R")
        self.put()
        self.tuple([lambda: self.int(3), lambda: self.str(endian), self.none, self.none, self.none,
                    lambda: self.int(-1), lambda: self.int(-1), lambda: self.int(0)])
        self.w(b"b")

    def array(self, a):
        self.glob(b"numpy.core.multiarray", b"_reconstruct")
        self.tuple([lambda: self.glob(b"numpy", b"ndarray"),
                    lambda: self.tuple([lambda: self.int(0)]),
                    lambda: self.str(b"b")])
        self.w(b"R")
        self.put()
        endian = b"|" if a.dtype.itemsize == 1 else b"<"
        code = a.dtype.str[1:].encode()
        self.tuple([lambda: self.int(1),
                    lambda: self.tuple([(lambda d: lambda: self.int(d))(d) for d in a.shape]),
                    lambda: self.dtype(code, endian),
                    lambda: self.bool(False),
                    lambda: self.str(a.tobytes())])
        self.w(b"b")

    def dump(self, data):
        self.tuple([(lambda pair: lambda: self.tuple(
            [(lambda a: lambda: self.array(a))(a) for a in pair]))(pair) for pair in data])
        self.w(b".")
        return self.out.getvalue()


def same(a, b):
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "pickle")
    os.makedirs(out, exist_ok=True)
    files = {}
    data = dataset()
    for p in range(6):
        files["py3-p%d.pkl" % p] = pickle.dumps(data, protocol=p)
    files["py3-p4-u1-i4.pkl"] = pickle.dumps(dataset("u1", "i4"), protocol=4)
    files["py3-p2-f8-u1.pkl"] = pickle.dumps(dataset("f8", "u1"), protocol=2)
    files["py3-p4-fortran.pkl"] = pickle.dumps(dataset(order="F"), protocol=4)
    for p in range(3):
        s = Py2Writer(p).dump(data)
        back = pickle.loads(s, encoding="latin1")
        assert same(back, data), "hand-assembled protocol %d stream does not load back" % p
        files["py2-p%d.pkl" % p] = s
    for name, s in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(s)
    # The lecture's file is gzip-compressed: one fixture in that form too
    # (mtime 0 and no name in the header, so the bytes are reproducible).
    with open(os.path.join(out, "py2-p2.pkl.gz"), "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
            g.write(files["py2-p2.pkl"])
    print("wrote %d fixtures to %s" % (len(files) + 1, out))


if __name__ == "__main__":
    main()
