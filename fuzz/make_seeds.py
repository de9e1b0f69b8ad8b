#!/usr/bin/python3
"""Write the fuzz seed corpora, fuzz/corpus/idx and fuzz/corpus/pickle: a few
small valid inputs for libFuzzer to start from (the pickle target also starts
from tests/data/pickle). Run with Debian's python3-numpy:
/usr/bin/python3 fuzz/make_seeds.py
"""
import gzip
import io
import os
import pickle
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "scripts"))
import gen_pickle_fixtures as fx  # noqa: E402


def gz(data):
    f = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
        g.write(data)
    return f.getvalue()


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    idx = os.path.join(here, "corpus", "idx")
    images = struct.pack(">IIII", 0x803, 2, 3, 3) + bytes((7 * i + 1) % 256 for i in range(18))
    labels = struct.pack(">II", 0x801, 3) + bytes([7, 2, 1])
    write(idx, "images", images)
    write(idx, "images.gz", gz(images))
    write(idx, "images-2members.gz", gz(images[:10]) + gz(images[10:]))
    # A header of 300 images of 512 x 256 over the data of one: memory must
    # follow the data, not the header (libFuzzer's -malloc_limit_mb checks).
    big = struct.pack(">IIII", 0x803, 300, 512, 256) + bytes(512 * 256)
    write(idx, "images-big-claim.gz", gz(big))
    write(idx, "labels", labels)
    write(idx, "labels.gz", gz(labels))

    pk = os.path.join(here, "corpus", "pickle")
    small = fx.dataset(sizes=(1, 1, 1))
    for p in (2, 4, 5):
        write(pk, "py3-p%d-small.pkl" % p, pickle.dumps(small, protocol=p))
    write(pk, "py3-p0-small.pkl", pickle.dumps(fx.dataset("u1", "u1", sizes=(1, 1, 1)), protocol=0))
    py2 = fx.Py2Writer(2).dump(small)
    write(pk, "py2-p2-small.pkl", py2)
    write(pk, "py2-p2-small.pkl.gz", gz(py2))
    write(pk, "py2-p0-small.pkl", fx.Py2Writer(0).dump(small))


if __name__ == "__main__":
    main()
