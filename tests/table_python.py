#!/usr/bin/python3
"""nn's table readers against numpy and scikit-learn (tests/table_python.sh).

The real data sets that Debian's python3-sklearn ships (iris, wine, breast
cancer, digits, diabetes, linnerud) are written here as ordinary CSV, TSV,
gzip and .npy files -- never copied into the project -- and what
nn-table-tool reads back must equal what sklearn.datasets.load_*() returns:
shapes, tasks, class counts, labels and every value, bit for bit (the text
holds repr() of each double). Then nn_npy_write() is loaded back by
np.load(). Usage: table_python.py NN_TABLE_TOOL
"""
import csv
import gzip
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn import datasets

TOOL = sys.argv[1]
failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAIL:", what)


def nn_read(path, target="-", task="auto"):
    """What nn-table-tool read makes of a file, as a dict."""
    out = subprocess.run([TOOL, "read", path, target, task], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{path}: {out.stdout.strip()} {out.stderr.strip()}")
    t = {"feature": [], "target": [], "class": [], "x": [], "y": [], "label": []}
    for line in out.stdout.splitlines():
        key, _, rest = line.partition(" ")
        if key in ("x", "y"):
            t[key].append([float(v) for v in rest.split()])
        elif key == "label":
            t[key].append(int(rest))
        elif key in ("feature", "target", "class"):
            t[key].append(rest)
        else:
            t[key] = rest
    t["x"] = np.array(t["x"])
    t["y"] = np.array(t["y"])
    t["label"] = np.array(t["label"], dtype=int)
    return t


def write_csv(path, header, rows, delimiter=",", opener=open, **kw):
    with opener(path, "wt", newline="") as f:
        w = csv.writer(f, delimiter=delimiter, **kw)
        if header is not None:
            w.writerow(header)
        for r in rows:
            w.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in r])


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64))


def classification(name, bunch, tmp):
    X, y = bunch.data.astype(float), bunch.target
    n, f = X.shape
    feats = list(bunch.feature_names) if hasattr(bunch, "feature_names") else \
        [f"f{i}" for i in range(f)]
    k = len(bunch.target_names)

    # CSV, numeric target ids, a header
    p = os.path.join(tmp, f"{name}.csv")
    write_csv(p, feats + ["target"], [list(r) + [int(c)] for r, c in zip(X, y)])
    t = nn_read(p)
    check(t["task"] == "classify", f"{name}.csv: task {t['task']}")
    check(t["shape"] == f"{f} {n}", f"{name}.csv: shape {t['shape']}, sklearn ({n}, {f})")
    check(t["classes"] == str(k), f"{name}.csv: {t['classes']} classes, sklearn {k}")
    check(t["class"] == [str(i) for i in range(k)], f"{name}.csv: class names {t['class']}")
    check(t["feature"] == feats, f"{name}.csv: feature names")
    check(t["target"] == ["target"], f"{name}.csv: target name {t['target']}")
    check(same(t["x"], X), f"{name}.csv: values differ from sklearn's")
    check(np.array_equal(t["label"], y), f"{name}.csv: labels differ")

    # TSV with the class names as text: LabelEncoder's sorted order
    p = os.path.join(tmp, f"{name}.tsv")
    names = np.asarray(bunch.target_names)[y]
    write_csv(p, feats + ["species"], [list(r) + [s] for r, s in zip(X, names)], delimiter="\t")
    t = nn_read(p, "species")
    order = sorted(set(str(s) for s in bunch.target_names))
    check(t["class"] == order, f"{name}.tsv: class names {t['class']}, expected {order}")
    check(np.array_equal(t["label"], np.searchsorted(order, names)), f"{name}.tsv: labels")
    check(same(t["x"], X), f"{name}.tsv: values differ")

    # gzip, no header, ';' and every cell quoted
    p = os.path.join(tmp, f"{name}.txt")
    write_csv(p, None, [list(r) + [int(c)] for r, c in zip(X, y)], delimiter=";",
              opener=gzip.open, quoting=csv.QUOTE_ALL)
    t = nn_read(p)
    check(t["feature"] == [f"x{i + 1}" for i in range(f)], f"{name}.txt: generated names")
    check(same(t["x"], X) and np.array_equal(t["label"], y), f"{name}.txt (gzip): differs")

    # .npy of [X | y] as float64, and as a Fortran-order float32 array
    p = os.path.join(tmp, f"{name}.npy")
    np.save(p, np.column_stack([X, y.astype(float)]))
    t = nn_read(p)
    check(t["task"] == "classify" and t["classes"] == str(k), f"{name}.npy: task or classes")
    check(same(t["x"], X) and np.array_equal(t["label"], y), f"{name}.npy: differs")
    p = os.path.join(tmp, f"{name}_f4.npy")
    a = np.asfortranarray(np.column_stack([X, y]).astype(np.float32))
    np.save(p, a)
    t = nn_read(p)
    check(same(t["x"], a[:, :-1].astype(float)), f"{name}_f4.npy: differs")
    print(f"{name}: {n} samples, {f} features, {k} classes: checked")


def regression(tmp):
    d = datasets.load_diabetes(scaled=False)
    X, y = d.data, d.target.astype(float)
    p = os.path.join(tmp, "diabetes.csv")
    write_csv(p, list(d.feature_names) + ["progression"], [list(r) + [v] for r, v in zip(X, y)])
    t = nn_read(p, "progression", "regress")
    check(t["task"] == "regress" and t["shape"] == f"{X.shape[1]} {X.shape[0]}", "diabetes: shape")
    check(same(t["x"], X) and same(t["y"][:, 0], y), "diabetes: values differ")
    # AUTO: the target is integral, so classes (as type_of_target says) -- kept as ids
    t = nn_read(p, "progression")
    check(t["task"] == "classify" and t["classes"] == str(int(y.max()) + 1),
          f"diabetes AUTO: {t['task']} with {t['classes']} classes")
    # linnerud: three targets
    ln = datasets.load_linnerud()
    p = os.path.join(tmp, "linnerud.csv")
    write_csv(p, list(ln.feature_names) + list(ln.target_names),
              [list(a) + list(b) for a, b in zip(ln.data, ln.target)])
    t = nn_read(p, ",".join(ln.target_names))
    check(t["task"] == "regress" and t["targets"] == "3", "linnerud: 3 regression targets")
    check(t["target"] == list(ln.target_names), f"linnerud: target names {t['target']}")
    check(same(t["x"], ln.data) and same(t["y"], ln.target), "linnerud: values differ")
    print("diabetes, linnerud: checked")


def npy_round_trip(tmp):
    for rows, cols in ((1, 1), (3, 4), (17, 5), (1, 1000)):
        p = os.path.join(tmp, f"w{rows}x{cols}.npy")
        out = subprocess.run([TOOL, "npy-write", p, str(rows), str(cols)], capture_output=True,
                             text=True)
        check(out.returncode == 0, f"npy-write {rows}x{cols}: {out.stdout}")
        a = np.load(p)
        i = np.arange(rows, dtype=float)[None, :]
        j = np.arange(cols, dtype=float)[:, None]
        ref = i - 0.5 * j + j / 7.0
        check(a.dtype == np.dtype("<f8") and a.shape == (cols, rows), f"np.load: {a.dtype} {a.shape}")
        check(same(a, ref), f"np.load {rows}x{cols}: values differ")
        check(a.flags.c_contiguous, "np.load: not C order")
    print("nn_npy_write -> np.load: checked")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        classification("iris", datasets.load_iris(), tmp)
        classification("wine", datasets.load_wine(), tmp)
        classification("breast_cancer", datasets.load_breast_cancer(), tmp)
        classification("digits", datasets.load_digits(), tmp)
        regression(tmp)
        npy_round_trip(tmp)
    if failures:
        print(f"{failures} failure(s)")
        sys.exit(1)
    print("all checked")


if __name__ == "__main__":
    main()
