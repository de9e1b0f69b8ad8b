#!/usr/bin/python3
"""Write the fixtures of tests/data/table/ (run with Debian's python3-numpy:
/usr/bin/python3 scripts/gen_table_fixtures.py [--out DIR]).

.npy files written by numpy itself (np.save, np.lib.format.write_array), in
every dtype, byte order, memory order and format version nn reads; their
values follow formulas that tests/test_table.c repeats, for the element in
row r, column c of the array (c = 0 for a 1-D array):

    float   (7r + 3c - 5) / 8                      exact in float32 and float64
    int     ((7r + 3c) % 11 - 5) * S               S = 2^40, 2^20, 2^8, 1 for 8, 4, 2, 1 bytes
    uint    ((7r + 3c) % 11) * S
    bool    (r + c) % 2

index.txt lists them: file, kind, item size, fortran (0/1), ndim, n, d.

Values that no formula gives -- random doubles and floats, and the CSV
written by Python's csv module (repr() of each double, quoted header names
with commas and quotes, CRLF line ends) -- come with a reference of
float.hex() texts, one row of the array or file per line, that the test
reads with strtod: numpy and Python are the references, never nn.
"""
import argparse
import csv
import io
import os

import numpy as np

SHAPE = (5, 3)
SCALE = {1: 1, 2: 2 ** 8, 4: 2 ** 20, 8: 2 ** 40}


def value(kind, size, r, c):
    k = (7 * r + 3 * c) % 11
    if kind == "f":
        return (7 * r + 3 * c - 5) / 8
    if kind == "i":
        return (k - 5) * SCALE[size]
    if kind == "u":
        return k * SCALE[size]
    return (r + c) % 2


def array(kind, size, order, shape=SHAPE):
    dt = np.dtype("?" if kind == "b" else f"{kind}{size}")
    n = shape[0]
    d = shape[1] if len(shape) == 2 else 1
    vals = [[value(kind, size, r, c) for c in range(d)] for r in range(n)]
    a = np.array(vals, dtype=dt)
    if len(shape) == 1:
        a = a[:, 0].copy()
    return np.asfortranarray(a) if order == "F" else np.ascontiguousarray(a)


def save(path, a, version=None):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, a, version=version, allow_pickle=False)


def hexrows(rows):
    return "".join(" ".join(float(v).hex() for v in row) + "\n" for row in rows)


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--out", default=os.path.join(root, "tests", "data", "table"))
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    index = []

    def put(name, a, version=None):
        save(os.path.join(out, name), a, version)
        back = np.load(os.path.join(out, name))
        assert back.dtype == a.dtype and back.shape == a.shape and (back == a).all(), name
        kind = "b" if a.dtype.kind == "b" else a.dtype.kind
        n = a.shape[0]
        d = a.shape[1] if a.ndim == 2 else 1
        index.append(f"{name} {kind} {a.dtype.itemsize} {int(a.flags.f_contiguous and a.ndim == 2)}"
                     f" {a.ndim} {n} {d}")

    for kind, sizes in (("f", (4, 8)), ("i", (1, 2, 4, 8)), ("u", (1, 2, 4, 8)), ("b", (1,))):
        for size in sizes:
            for order in ("C", "F"):
                a = array(kind, size, order)
                tag = f"{kind}{size}"
                if size == 1:
                    put(f"{tag}_{order}.npy", a)
                else:
                    put(f"{tag}_le_{order}.npy", a.astype(a.dtype.newbyteorder("<"), order=order))
                    put(f"{tag}_be_{order}.npy", a.astype(a.dtype.newbyteorder(">"), order=order))
    put("f8_1d.npy", array("f", 8, "C", shape=(7,)))
    put("i4_1d.npy", array("i", 4, "C", shape=(7,)))
    put("f8_v2.npy", array("f", 8, "C"), version=(2, 0))
    put("f8_v3.npy", array("f", 8, "C"), version=(3, 0))
    with open(os.path.join(out, "index.txt"), "w") as f:
        f.write("".join(line + "\n" for line in index))

    # random doubles (with extremes) and floats, and their float.hex() texts
    rng = np.random.RandomState(14)
    x = rng.standard_normal((6, 4)) * 10.0 ** rng.randint(-12, 12, (6, 4))
    x[0, :] = [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -0.0]
    np.save(os.path.join(out, "random_f8.npy"), x)
    with open(os.path.join(out, "random_f8.hex"), "w") as f:
        f.write(hexrows(x))
    y = rng.standard_normal((4, 3)).astype(np.float32)
    np.save(os.path.join(out, "random_f4.npy"), y)
    with open(os.path.join(out, "random_f4.hex"), "w") as f:
        f.write(hexrows(y.astype(np.float64)))

    # a CSV from Python's csv module: repr() of random doubles, names that
    # need quoting, a string class column, CRLF line ends
    z = rng.standard_normal((8, 3)) * 10.0 ** rng.randint(-8, 8, (8, 3))
    z[1, 1] = 0.1
    z[2, 2] = 1e-310
    species = ["b", 'a "quoted"', "b", "c,d", 'a "quoted"', "b", "c,d", "b"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["feat,1", 'say "hi"', "plain", "species"])
    for row, s in zip(z, species):
        w.writerow([repr(float(v)) for v in row] + [s])
    with open(os.path.join(out, "python.csv"), "w", newline="") as f:
        f.write(buf.getvalue())
    with open(os.path.join(out, "python_csv.hex"), "w") as f:
        f.write(hexrows(z))


if __name__ == "__main__":
    main()
