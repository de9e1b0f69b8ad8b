#!/usr/bin/env bash
# nn-mnist --input dense|sparse|auto: the first layer's products by dgemm or
# by the sparse kernels give the same run line for line; a bad value or a
# mini-batch run with --input is a usage error (exit 2).
# usage: input_cli.sh NN-MNIST
set -uo pipefail
mnist=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for m in dense sparse auto; do
	"$mnist" --seed 9 --steps 400 --every 100 --input "$m" >"$tmp/$m.txt" \
		|| { echo "FAIL: --input $m exited $?"; fail=1; }
done
cmp -s "$tmp/dense.txt" "$tmp/sparse.txt" || { echo "FAIL: sparse differs from dense"; fail=1; }
cmp -s "$tmp/dense.txt" "$tmp/auto.txt" || { echo "FAIL: auto differs from dense"; fail=1; }
grep -q '^test accuracy: ' "$tmp/dense.txt" || { echo "FAIL: no result line"; fail=1; }
"$mnist" --input bogus >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --input bogus is not a usage error"; fail=1; }
"$mnist" --input sparse --epochs 1 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --input with mini-batch training is not a usage error"; fail=1; }
[ $fail -eq 0 ] && echo "input: dense, sparse and auto print the same run"
exit $fail
