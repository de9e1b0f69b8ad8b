#!/bin/bash
# The lecture programs from the outside: bad input (one-line errors, exit
# status 2 for usage and 1 for runtime errors, no half-written files), the
# output format, the pictures and CSV, and the full lecture runs against the
# numpy fixtures of tests/data/lecture.
#
# usage: examples_cli.sh NN-EXAMPLE1 NN-EXAMPLE2 NN-MNIST SOURCE-ROOT
set -u
ex1=$1 ex2=$2 mnist=$3 src=$4
. "$(dirname "$0")/cli_lib.sh" examples

for p in "$ex1" "$ex2" "$mnist"; do
	run "$p" --help
	[ "$rc" -eq 0 ] && grep -q '^usage:' "$tmp/out" || fail "$p --help"
	# the version built with, then the library's at run time: here the same
	run "$p" --version
	built=$(sed -n "1s/^$(basename "$p") (nn) \([0-9]*\.[0-9]*\.[0-9]*\)$/\1/p" "$tmp/out")
	[ "$rc" -eq 0 ] && [ -n "$built" ] && [ "$(sed -n 2p "$tmp/out")" = "libnn $built" ] ||
		fail "$p --version: exit $rc: $(cat "$tmp/out")"
	expect_error 2 --bogus "$p" --bogus
	expect_error 2 stray "$p" stray
	expect_error 2 --eta "$p" --eta
	expect_error 2 --eta "$p" --eta abc
	expect_error 2 --eta "$p" --eta 0
	expect_error 2 --eta "$p" --eta -1e-3
	expect_error 2 --eta "$p" --eta nan
	expect_error 2 --eta "$p" --eta inf
	expect_error 2 --eta "$p" --eta=1e999
	expect_error 2 --steps "$p" --steps -5
	expect_error 2 --steps "$p" --steps 0
	expect_error 2 --steps "$p" --steps 1.5
	expect_error 2 --every "$p" --every 0
	expect_error 2 --seed "$p" --seed 4294967296
	expect_error 2 --seed "$p" --seed -1
	expect_error 2 --seed "$p" --seed 1 --seed 2
	# Output paths that cannot be written: runtime errors naming the file.
	expect_error 1 "$tmp/outdir/no/such/dir/x.png" "$p" --seed 1 --steps 1 --plot "$tmp/outdir/no/such/dir/x.png"
	expect_error 1 "$tmp/outdir" "$p" --seed 1 --steps 1 --plot-curve "$tmp/outdir"
	expect_error 1 "$tmp/outdir/none/d.csv" "$p" --seed 1 --steps 1 --save-data "$tmp/outdir/none/d.csv"
done
for p in "$ex2" "$mnist"; do
	expect_error 2 --hidden "$p" --hidden 0
	expect_error 2 --hidden "$p" --hidden x
done
for p in "$ex1" "$ex2"; do
	expect_error 2 --dataset "$p" --dataset spirals
	expect_error 2 --samples "$p" --samples 1
	expect_error 2 --samples "$p" --samples ''
	expect_error 2 --center-box "$p" --center-box 3,-3
	expect_error 2 --center-box "$p" --center-box 3
	expect_error 2 --center-box "$p" --dataset blobs --center-box a,b
	expect_error 2 --cluster-std "$p" --dataset blobs --cluster-std -1
	expect_error 2 --cluster-std "$p" --dataset moons --cluster-std 2
	expect_error 2 --noise "$p" --dataset blobs --noise 0.2
	expect_error 2 --noise "$p" --dataset circles --noise -0.2
done
expect_error 2 --hidden "$ex1" --hidden 3
expect_error 1 "$tmp/missing" "$mnist" --steps 1 --data "$tmp/missing"
echo "not mnist" >"$tmp/notmnist.pkl.gz"
expect_error 1 "$tmp/notmnist.pkl.gz" "$mnist" --steps 1 --data "$tmp/notmnist.pkl.gz"
mkdir -p "$tmp/emptydir"
expect_error 1 "$tmp/emptydir" "$mnist" --steps 1 --data "$tmp/emptydir"
expect_error 1 train "$mnist" --steps 1 --data "$tmp/notmnist.pkl.gz" --data "$tmp/notmnist.pkl.gz"

# The output format, in the lecture's words.
run "$ex1" --seed 3 --steps 2500 --every 1000
[ "$rc" -eq 0 ] || fail "nn-example1 --seed 3: exit $rc: $(cat "$tmp/err")"
[ "$(head -n 1 "$tmp/out")" = "seed: 3" ] || fail "nn-example1: first line $(head -n 1 "$tmp/out")"
[ "$(grep -c '^Best by step [0-9]*: [0-9]*\.[0-9] %$' "$tmp/out")" -eq 3 ] || fail "nn-example1: Best by step lines"
grep -q '^Best by step 2000: ' "$tmp/out" || fail "nn-example1: no Best by step 2000"
grep -q '^Our best model gets [0-9.]* percent correct!$' "$tmp/out" || fail "nn-example1: no 'Our best model'"
tail -n 2 "$tmp/out" | head -n 1 | grep -q '^train accuracy: [01]\.[0-9]\{4\}$' || fail "nn-example1: train accuracy line"
tail -n 1 "$tmp/out" | grep -q '^test accuracy: [01]\.[0-9]\{4\}$' || fail "nn-example1: test accuracy line"
run "$ex2" --steps 3
[ "$rc" -eq 0 ] && head -n 1 "$tmp/out" | grep -q '^seed: [0-9]\+$' || fail "nn-example2 without --seed: $(head -n 1 "$tmp/out")"
seed=$(head -n 1 "$tmp/out" | cut -d' ' -f2)
cp "$tmp/out" "$tmp/first"
run "$ex2" --steps 3 --seed "$seed"
cmp -s "$tmp/out" "$tmp/first" || fail "nn-example2 --seed $seed does not repeat the clock-seeded run"

# The lecture's full runs print numpy's scores (fixtures of scripts/lecture_reference.py).
for fx in "$src"/tests/data/lecture/example*_seed*.txt; do
	prog=$(awk '$1 == "program" { print $2 }' "$fx")
	seed=$(awk '$1 == "seed" { print $2 }' "$fx")
	read -r ntrain < <(awk '$1 == "n_train" { print $2 }' "$fx")
	read -r ntest < <(awk '$1 == "n_test" { print $2 }' "$fx")
	read -r steps best step testok < <(awk '$1 == "full" { print $2, $3, $4, $5 }' "$fx")
	exe=$ex1
	[ "$prog" = example2 ] && exe=$ex2
	run "$exe" --seed "$seed"
	want=$(awk -v b="$best" -v n="$ntrain" 'BEGIN { printf "Our best model gets %.1f percent correct!", b * (100 / n) }')
	grep -qxF "$want" "$tmp/out" || fail "$prog --seed $seed: want '$want', got '$(grep '^Our best' "$tmp/out")'"
	want=$(awk -v b="$best" -v n="$ntrain" -v t="$testok" -v m="$ntest" \
		'BEGIN { printf "train accuracy: %.4f\ntest accuracy: %.4f", b / n, t / m }')
	[ "$(tail -n 2 "$tmp/out")" = "$want" ] || fail "$prog --seed $seed: last lines $(tail -n 2 "$tmp/out" | tr '\n' ' '), want $want"
done

# Pictures and data.
run "$ex1" --seed 5 --steps 50 --plot "$tmp/r.png" --plot-dots "$tmp/d.png" --plot-curve "$tmp/c.png" --save-data "$tmp/d.csv"
[ "$rc" -eq 0 ] || fail "nn-example1 pictures: exit $rc $(cat "$tmp/err")"
for f in r d c; do png_ok "$tmp/$f.png" || fail "nn-example1: $f.png is not a PNG"; done
# the one CSV layout (doc/datasets.md): features, label, split
[ "$(head -n 1 "$tmp/d.csv")" = "x1,x2,label,split" ] || fail "nn-example1: CSV header"
[ "$(grep -c ',[01],train$' "$tmp/d.csv")" -eq 400 ] && [ "$(grep -c ',[01],test$' "$tmp/d.csv")" -eq 100 ] ||
	fail "nn-example1: CSV rows"
run "$ex2" --seed 5 --steps 50 --dataset moons --noise 0.2 --hidden 4 --plot "$tmp/m.png"
[ "$rc" -eq 0 ] && png_ok "$tmp/m.png" || fail "nn-example2 moons: exit $rc $(cat "$tmp/err")"
run "$ex1" --seed 5 --steps 50 --dataset classification --samples 200
[ "$rc" -eq 0 ] && grep -q 'split 160 train / 40 test' "$tmp/out" || fail "nn-example1 classification: $(cat "$tmp/out" "$tmp/err")"
[ -z "$(ls "$tmp" | grep '\.tmp-')" ] || fail "temporary files left: $(ls "$tmp")"

# nn-mnist on the bundled sample, and on real MNIST files when they are there.
if [ -d "$src/data/mnist-sample" ]; then
	run "$mnist" --seed 1 --steps 20 --every 10 --plot "$tmp/digits.png" --plot-confusion "$tmp/conf.png" --plot-curve "$tmp/mc.png"
	[ "$rc" -eq 0 ] || fail "nn-mnist: exit $rc $(cat "$tmp/err")"
	grep -qxF 'number of parameters in the model: (784 + 1) * 30 + (30 + 1) * 10 = 23860' "$tmp/out" ||
		fail "nn-mnist: parameter count line"
	[ "$(grep -c '^Best by step' "$tmp/out")" -eq 2 ] || fail "nn-mnist: Best by step lines"
	for f in digits conf mc; do png_ok "$tmp/$f.png" || fail "nn-mnist: $f.png"; done
	expect_error 1 --train "$mnist" --train 100000 --steps 1
	# What a path is and holds decides, never its name (issue 12): a
	# directory called mnist-idx is a directory; a lone IDX file, whatever
	# its name, is named for what it is; a pickle named like IDX is a pickle.
	mkdir -p "$tmp/mnist-idx"
	cp "$src"/data/mnist-sample/*-ubyte.gz "$tmp/mnist-idx/"
	run "$mnist" --seed 1 --steps 2 --data "$tmp/mnist-idx"
	[ "$rc" -eq 0 ] && grep -q '500 training and 100 test digits' "$tmp/out" ||
		fail "nn-mnist --data DIR called mnist-idx: $(cat "$tmp/err")"
	expect_error 1 "an IDX image file alone" "$mnist" --steps 1 --data "$tmp/mnist-idx/train-images-idx3-ubyte.gz"
	cp "$tmp/mnist-idx/t10k-labels-idx1-ubyte.gz" "$tmp/labels.pkl.gz"
	expect_error 1 "an IDX label file alone" "$mnist" --steps 1 --data "$tmp/labels.pkl.gz"
	cp "$src/tests/data/pickle/py3-p4.pkl" "$tmp/train-images-idx3-ubyte"
	run "$mnist" --seed 1 --steps 2 --train 6 --test 3 --data "$tmp/train-images-idx3-ubyte"
	[ "$rc" -eq 0 ] && grep -q '6 training and 3 test digits' "$tmp/out" ||
		fail "nn-mnist --data PICKLE named like IDX: $(cat "$tmp/err")"
else
	echo "skip: no $src/data/mnist-sample" >&2
fi
real="$src/../shared/data/mnist"
if [ -d "$real" ]; then
	run "$mnist" --seed 1 --steps 2 --data "$real" --save-data "$tmp/real.csv"
	[ "$rc" -eq 0 ] && grep -q '500 training and 100 test digits' "$tmp/out" || fail "nn-mnist --data $real: $(cat "$tmp/err")"
	# The lecture's subset: the first 500 and 100 digits, pixel / 256 (sha256 of the
	# pixel bytes from ../shared/data/mnist/README.md).
	if command -v python3 >/dev/null; then
		python3 - "$tmp/real.csv" <<'PY' || fail "nn-mnist --data $real: not the lecture's subset"
import csv, hashlib, sys
px = {"train": bytearray(), "test": bytearray()}
for row in csv.reader(open(sys.argv[1])):
    if row[-1] in px:
        v = [float(a) * 256 for a in row[:-2]]
        assert len(v) == 784, "not 784 pixels, label, split"
        assert all(b == int(b) for b in v), "pixels are not byte / 256"
        px[row[-1]].extend(int(b) for b in v)
assert hashlib.sha256(px["train"]).hexdigest().startswith("42763f4baa576da8"), "train"
assert hashlib.sha256(px["test"]).hexdigest().startswith("8a004a2f81a80f48"), "test"
PY
	fi
	run "$mnist" --seed 1 --steps 2 --data "$real"/train-images-first3000-idx3-ubyte.gz \
		--data "$real"/train-labels-first3000-idx1-ubyte.gz --data "$real"/t10k-images-idx3-ubyte.gz \
		--data "$real"/t10k-labels-idx1-ubyte.gz --train 1000
	[ "$rc" -eq 0 ] && grep -q '1000 training and 100 test digits' "$tmp/out" || fail "nn-mnist four files: $(cat "$tmp/err")"
	expect_error 1 "training labels" "$mnist" --steps 1 --data "$real"/train-images-first3000-idx3-ubyte.gz \
		--data "$real"/t10k-images-idx3-ubyte.gz --data "$real"/t10k-labels-idx1-ubyte.gz
else
	echo "skip: no real MNIST at $real" >&2
fi

finish
