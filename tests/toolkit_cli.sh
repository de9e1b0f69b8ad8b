#!/bin/bash
# Beyond the lecture, from the outside (doc/toolkit.md): nn-mnist's
# mini-batch mode and the model files of all three programs. Bad values are
# one-line usage errors (exit 2, nothing on stdout, no file written); a
# missing, corrupt or unfitting model file is a runtime error (exit 1)
# naming the file; a saved model loaded again scores exactly as it did; a
# short mini-batch run prints a line per epoch and writes its history as
# CSV and PNG.
#
# usage: toolkit_cli.sh NN-EXAMPLE1 NN-EXAMPLE2 NN-MNIST SOURCE-ROOT
set -u
ex1=$1 ex2=$2 mnist=$3 src=$4
. "$(dirname "$0")/cli_lib.sh" toolkit

od_="$tmp/outdir"

if [ ! -d "$src/data/mnist-sample" ]; then
	echo "skip: no $src/data/mnist-sample" >&2
	exit 77
fi

# Bad values of the mini-batch flags: usage errors naming the flag.
while read -r word args; do
	# shellcheck disable=SC2086
	expect_error 2 "$word" "$mnist" $args --save-model "$od_/m.nnm"
done <<'EOF'
--epochs --epochs 0
--epochs --epochs x
--epochs --epochs -3
--batch --batch 0
--optimizer --optimizer rmsprop
--schedule --epochs 1 --schedule linear
--layers --layers 100,10
--layers --layers 784,256,5
--layers --layers 784
--layers --layers 784,,10
--layers --layers 784,0,10
--layers --layers 784,30,10,
--layers --layers 784,99999999999,10
--activation --activation softplus
--cost --cost hinge
--init --init zeros
--l2 --l2 -1
--l2 --l2 nan
--dropout --dropout 1
--dropout --dropout -0.1
--val --val 0
--val --val 1.5
--val --val abc
--val --val -3
--patience --epochs 2 --patience 3
--patience --val 0.1 --patience 0
--momentum --optimizer momentum --momentum 1
--momentum --optimizer adam --momentum 0.5
--gamma --schedule step --gamma 2
--gamma --schedule cosine --gamma 0.5
--step-epochs --schedule exp --step-epochs 2
--eta-min --schedule step --eta-min 0.0001
--eta-min --schedule cosine --eta-min 0.5
--eta --epochs 2 --eta 0
--steps --epochs 2 --steps 10
--hidden --epochs 2 --hidden 5
--every --batch 32 --every 5
--plot-curve --optimizer sgd --plot-curve x.png
--epochs --load-model m.nnm --epochs 2
--layers --load-model m.nnm --layers 784,30,10
--eta --load-model m.nnm --eta 0.1
--hidden --load-model m.nnm --hidden 3
EOF
expect_error 2 --load-model "$mnist" --load-model
expect_error 2 --save-model "$mnist" --epochs 1 --save-model
expect_error 2 --history "$mnist" --epochs 1 --history ''
expect_error 2 --save-model "$mnist" --load-model "$tmp/m.nnm" --save-model "$od_/m2.nnm"
for p in "$ex1" "$ex2"; do
	expect_error 2 --steps "$p" --load-model "$tmp/m.nnm" --steps 3
	expect_error 2 --plot-curve "$p" --load-model "$tmp/m.nnm" --plot-curve "$od_/c.png"
	expect_error 2 --save-model "$p" --save-model ''
	expect_error 2 --epochs "$p" --epochs 3
done
expect_error 2 --hidden "$ex2" --load-model "$tmp/m.nnm" --hidden 4

# Output paths that cannot be written: runtime errors, before any work.
expect_error 1 "$od_/no/m.nnm" "$mnist" --epochs 1 --save-model "$od_/no/m.nnm"
expect_error 1 "$od_/no/h.csv" "$mnist" --epochs 1 --history "$od_/no/h.csv"
expect_error 1 "$od_" "$mnist" --epochs 1 --plot-history "$od_"
expect_error 1 "$od_/no/m.nnm" "$ex1" --steps 1 --save-model "$od_/no/m.nnm"
# --val that leaves nothing to train on (the sample holds 500 digits).
expect_error 1 --val "$mnist" --epochs 1 --val 500

# A short mini-batch run: a line per epoch, the history as CSV and PNG.
run "$mnist" --seed 4 --epochs 3 --batch 50 --layers 784,32,10 --val 0.2 \
	--history "$tmp/h.csv" --plot-history "$tmp/h.png" --save-model "$tmp/mb.nnm"
[ "$rc" -eq 0 ] || fail "nn-mnist mini-batch: exit $rc: $(cat "$tmp/err")"
[ "$(grep -c '^epoch [1-3]/3  [0-9]*\.[0-9][0-9] s  train cost [0-9]*\.[0-9]\{4\} acc [01]\.[0-9]\{4\}  val cost [0-9]*\.[0-9]\{4\} acc [01]\.[0-9]\{4\}$' "$tmp/out")" -eq 3 ] ||
	fail "nn-mnist mini-batch: epoch lines: $(grep '^epoch' "$tmp/out")"
grep -qxF 'validation: 100 of the 500 training images held out (--val 0.2)' "$tmp/out" ||
	fail "nn-mnist mini-batch: validation line"
grep -qxF 'number of parameters in the model: (784 + 1) * 32 + (32 + 1) * 10 = 25450' "$tmp/out" ||
	fail "nn-mnist mini-batch: parameter count"
grep -q '^trained 3 epochs in ' "$tmp/out" || fail "nn-mnist mini-batch: summary line"
tail -n 2 "$tmp/out" | head -n 1 | grep -q '^train accuracy: [01]\.[0-9]\{4\}$' || fail "nn-mnist mini-batch: train accuracy line"
tail -n 1 "$tmp/out" | grep -q '^test accuracy: [01]\.[0-9]\{4\}$' || fail "nn-mnist mini-batch: test accuracy line"
[ "$(head -n 1 "$tmp/h.csv")" = "epoch,seconds,eta,train_cost,train_accuracy,val_cost,val_accuracy" ] ||
	fail "history CSV header: $(head -n 1 "$tmp/h.csv")"
[ "$(wc -l <"$tmp/h.csv")" -eq 4 ] || fail "history CSV: $(wc -l <"$tmp/h.csv") lines, want 4"
awk -F, 'NR > 1 && (NF != 7 || $1 != NR - 2 || $5 < 0 || $5 > 1 || $7 < 0 || $7 > 1) { bad = 1 } END { exit bad }' \
	"$tmp/h.csv" || fail "history CSV rows: $(cat "$tmp/h.csv")"
png_ok "$tmp/h.png" || fail "history PNG"
cp "$tmp/out" "$tmp/first"
# The same seed, the same run (but for the seconds).
run "$mnist" --seed 4 --epochs 3 --batch 50 --layers 784,32,10 --val 0.2
strip() { sed -e 's/  [0-9.]* s  / /' -e 's/^trained .*//' "$1"; }
[ "$rc" -eq 0 ] && [ "$(strip "$tmp/out")" = "$(strip "$tmp/first")" ] ||
	fail "nn-mnist mini-batch --seed 4 does not repeat"

# Every option of the toolkit once, and early stopping.
run "$mnist" --seed 2 --epochs 4 --batch 100 --optimizer nesterov --momentum 0.8 --eta 0.02 \
	--schedule step --gamma 0.5 --step-epochs 2 --layers 784,16,8,10 --activation tanh \
	--cost quadratic --init orthogonal --l2 1e-4 --dropout 0.1 --val 50 --patience 1 --test 40
[ "$rc" -eq 0 ] || fail "nn-mnist all options: exit $rc $(cat "$tmp/err")"
grep -q '^model: 784-16-8-10 network, tanh hidden, sigmoid output, quadratic cost; orthogonal' "$tmp/out" ||
	fail "nn-mnist all options: model line $(grep '^model' "$tmp/out")"
grep -qx 'test accuracy: [01]\.[0-9]\{4\}' "$tmp/out" || fail "nn-mnist all options: no test accuracy"

# Save, then load: the same scores; the shape comes from the file.
check_same() { # check_same WHAT: the last two lines of $tmp/first and $tmp/out agree
	[ "$rc" -eq 0 ] || fail "$1: exit $rc: $(cat "$tmp/err")"
	[ "$(tail -n 2 "$tmp/out")" = "$(tail -n 2 "$tmp/first")" ] ||
		fail "$1: $(tail -n 2 "$tmp/out" | tr '\n' ' ') after loading, $(tail -n 2 "$tmp/first" | tr '\n' ' ') when saved"
}
run "$mnist" --seed 4 --epochs 3 --batch 50 --layers 784,32,10 --save-model "$tmp/mb.nnm"
cp "$tmp/out" "$tmp/first"
run "$mnist" --load-model "$tmp/mb.nnm"
check_same "nn-mnist mini-batch model"
grep -qxF "model: loaded from $tmp/mb.nnm: 784-32-10 network, relu hidden, softmax output, cross-entropy cost" "$tmp/out" ||
	fail "nn-mnist --load-model: model line $(grep '^model' "$tmp/out")"
run "$mnist" --seed 3 --steps 30 --every 10 --hidden 12 --save-model "$tmp/lect.nnm"
cp "$tmp/out" "$tmp/first"
run "$mnist" --load-model "$tmp/lect.nnm" --plot "$tmp/d.png" --plot-confusion "$tmp/c.png"
check_same "nn-mnist lecture model"
png_ok "$tmp/d.png" && png_ok "$tmp/c.png" || fail "nn-mnist --load-model pictures"
for p in "$ex1" "$ex2"; do
	run "$p" --seed 6 --steps 300 --save-model "$tmp/toy.nnm"
	cp "$tmp/out" "$tmp/first"
	run "$p" --seed 6 --load-model "$tmp/toy.nnm" --plot "$tmp/r.png"
	check_same "$(basename "$p") model"
	png_ok "$tmp/r.png" || fail "$(basename "$p") --load-model --plot"
	grep -q '^Our best model' "$tmp/out" && fail "$(basename "$p") --load-model trained"
done

# Missing, corrupt and unfitting model files: one line naming the file, exit 1.
expect_error 1 "$tmp/none.nnm" "$mnist" --load-model "$tmp/none.nnm"
head -c 100 "$tmp/mb.nnm" >"$tmp/trunc.nnm"
expect_error 1 "$tmp/trunc.nnm" "$mnist" --load-model "$tmp/trunc.nnm"
cp "$tmp/mb.nnm" "$tmp/flip.nnm"
printf '\x55' | dd of="$tmp/flip.nnm" bs=1 seek=5000 conv=notrunc status=none
expect_error 1 "$tmp/flip.nnm" "$mnist" --load-model "$tmp/flip.nnm"
grep -qi checksum "$tmp/err" || fail "a flipped byte: $(cat "$tmp/err")"
echo "not a model" >"$tmp/text.nnm"
expect_error 1 "$tmp/text.nnm" "$ex2" --load-model "$tmp/text.nnm"
: >"$tmp/empty.nnm"
expect_error 1 "$tmp/empty.nnm" "$ex1" --load-model "$tmp/empty.nnm"
expect_error 1 "$tmp/toy.nnm" "$mnist" --load-model "$tmp/toy.nnm"
expect_error 1 "$tmp/mb.nnm" "$ex1" --load-model "$tmp/mb.nnm"
[ -z "$(ls "$tmp" | grep '\.tmp')" ] || fail "temporary files left: $(ls "$tmp")"

finish
