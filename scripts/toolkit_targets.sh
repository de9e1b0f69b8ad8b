#!/usr/bin/env bash
# The two figures of doc/toolkit.md: Fashion-MNIST (Debian's
# dataset-fashion-mnist) and the 3,000 real MNIST training digits of
# ../shared/data/mnist, each setting over several seeds with one BLAS
# thread, through scripts/toolkit_sweep.sh. Skips a data set that is absent.
#
# usage: scripts/toolkit_targets.sh [BUILD]      (default build; about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
fashion=/usr/share/datasets/fashion-mnist
mnist=../shared/data/mnist
if [ -d "$fashion" ]; then
	scripts/toolkit_sweep.sh -b "$build" -s "1 2 3" "$fashion" -- \
		--layers 784,256,128,10 --epochs 15 --batch 128 --schedule cosine
else
	echo "skip: no $fashion (apt-get install dataset-fashion-mnist)" >&2
fi
if [ -d "$mnist" ]; then
	scripts/toolkit_sweep.sh -b "$build" -s "1 2 3 4 5" "$mnist" -- \
		--layers 784,256,128,10 --epochs 40 --batch 64 --schedule cosine --dropout 0.2 --l2 1e-4
else
	echo "skip: no $mnist" >&2
fi
