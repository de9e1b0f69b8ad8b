#!/usr/bin/python3
"""Write the fuzz seed corpora, fuzz/corpus/idx, fuzz/corpus/pickle and
fuzz/corpus/pickle-large: a few valid inputs for libFuzzer to start from (the
pickle targets also start from tests/data/pickle; the model targets from
fuzz/corpus/model, files that nn_model_save wrote). Run with Debian's
python3-numpy: /usr/bin/python3 fuzz/make_seeds.py
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
import numpy as np  # noqa: E402


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

    # Beyond the 8 KB of fuzz-pickle: MNIST-shaped arrays (784 pixels) the way
    # Python 3 writes them (protocol 2: _codecs.encode of text; 0: text
    # opcodes; 5: _frombuffer of a BYTEARRAY8), and the stream that once made
    # the reader copy one memoized text a thousand times (issue 12).
    large = os.path.join(here, "corpus", "pickle-large")
    write(large, "py3-p2-mnist.pkl", pickle.dumps(mnist_shaped((40, 5, 10)), protocol=2))
    write(large, "py3-p0-mnist.pkl", pickle.dumps(mnist_shaped((8, 2, 4)), protocol=0))
    write(large, "py3-p5-mnist.pkl", pickle.dumps(mnist_shaped((40, 5, 10)), protocol=5))
    write(large, "py3-p2-mnist.pkl.gz", gz(pickle.dumps(mnist_shaped((40, 5, 10), "f4"), protocol=2)))
    write(large, "encode-bomb.pkl.gz", gz(encode_bomb(32 * 1024, 1000)))


def mnist_shaped(sizes, img_dtype="u1"):
    """((x, y), (x, y), (x, y)) of 784-pixel images: byte (7j + 3f) % 256."""
    out = []
    for s, n in enumerate(sizes):
        b = np.array([[(7 * j + 3 * f + s) % 256 for f in range(784)] for j in range(n)],
                     dtype=np.uint8)
        x = b if img_dtype == "u1" else (b.astype(np.float64) / 256).astype(img_dtype)
        out.append((x, np.array([(j + s) % 10 for j in range(n)], dtype="i8")))
    return tuple(out)


def encode_bomb(chars, calls):
    """_codecs.encode(text, 'latin1') of one memoized non-ASCII text, calls times,
    in tuples of 200 (the stack holds 256)."""
    text = ("\u00e9" * chars).encode("utf-8")
    out = [b"\x80\x02(c_codecs\nencode\nq\x00X", struct.pack("<I", len(text)), text, b"q\x01"]
    for k in range(calls):
        if k % 200 == 0:
            out.append(b"(")
        out.append(b"h\x00h\x01\x8c\x06latin1\x86R")
        if k % 200 == 199 or k == calls - 1:
            out.append(b"t")
    out.append(b"t.")
    return b"".join(out)


if __name__ == "__main__":
    main()
