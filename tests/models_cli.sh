#!/bin/bash
# nn-mnist's architectures and the programs' float32 runs, from the outside
# (doc/toolkit.md): --model presets and their model lines, --layers in
# nn_net_parse's grammar, --plot-filters, --precision and the progress
# within an epoch. Tiny runs: 256 training and 64 test images, one epoch.
#
# usage: models_cli.sh NN-EXAMPLE1 NN-EXAMPLE2 NN-MNIST SOURCE-ROOT
set -u
ex1=$1 ex2=$2 mnist=$3 src=$4
. "$(dirname "$0")/cli_lib.sh" models

od_="$tmp/outdir"
small=(--train 256 --test 64 --epochs 1 --seed 5)

if [ ! -d "$src/data/mnist-sample" ]; then
	echo "skip: no $src/data/mnist-sample" >&2
	exit 77
fi

# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk
png_size() {
	od -An -tu1 -j16 -N8 "$1" |
		awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
}

# Usage errors, each naming its flag; nn_net_parse's detail after "--layers: ".
while read -r word args; do
	# shellcheck disable=SC2086
	expect_error 2 "$word" "$mnist" $args --save-model "$od_/m.nnm"
done <<'EOF'
--model --model alexnet
--hidden --model convnet --hidden 20
--steps --model dense --steps 20
--layers --layers 784,,10
--layers --layers 28x28,conv:32:7x5,flatten,10
--layers --layers 14x14,flatten,10
--layers --layers 784,conv:8:3,flatten,10
--layers --layers 28x28,conv:8:3,flatten,10:sigmoid
--layers --model lenet5 --layers 784,bogus,10
--precision --precision f16
--progress --epochs 1 --progress=yes
EOF
expect_error 2 "only square kernels" "$mnist" --layers 28x28,conv:32:7x5,flatten,10
expect_error 2 "'bogus' is not a layer" "$mnist" --layers 784,bogus,10
expect_error 2 --model "$mnist" --load-model "$tmp/m.nnm" --model dense
expect_error 2 --precision "$mnist" --load-model "$tmp/m.nnm" --precision f32
expect_error 2 --precision "$ex2" --load-model "$tmp/m.nnm" --precision f32
expect_error 1 "$od_/no/f.png" "$mnist" --steps 2 --plot-filters "$od_/no/f.png"

# --model convnet: the Keras example's layers, its training defaults, its
# parameters: (3*3*1 + 1) * 32 + (3*3*32 + 1) * 64 + (5*5*64 + 1) * 10 = 34826;
# saved and loaded, it scores the same; its 32 kernels of 3x3 drawn 28 times
# larger, 8 a row in cells of 94 pixels: 20 + 8 * 94 by 60 + 4 * 94.
run "$mnist" --model convnet "${small[@]}" --save-model "$tmp/conv.nnm" --plot-filters "$tmp/conv.png"
[ "$rc" -eq 0 ] || fail "--model convnet: exit $rc: $(cat "$tmp/err")"
grep -qxF 'model: convnet (the Keras mnist_convnet example): 28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2, flatten, dropout:0.5, 10:softmax, cross-entropy cost; Glorot initialisation' "$tmp/out" ||
	fail "--model convnet: model line $(grep '^model' "$tmp/out")"
grep -qxF 'training: adam eta 0.001, batch 128, 1 epoch' "$tmp/out" ||
	fail "--model convnet: training line $(grep '^training' "$tmp/out")"
grep -q '^number of parameters in the model: .* = 34826$' "$tmp/out" ||
	fail "--model convnet: $(grep '^number' "$tmp/out")"
grep -q '^epoch 1/1  [0-9]*\.[0-9][0-9] s  train cost [0-9.]* acc [01]\.[0-9]\{4\}$' "$tmp/out" ||
	fail "--model convnet: epoch line $(grep '^epoch' "$tmp/out")"
[ "$(png_size "$tmp/conv.png")" = "772 436" ] || fail "--plot-filters convnet: $(png_size "$tmp/conv.png")"
cp "$tmp/out" "$tmp/first"
run "$mnist" --load-model "$tmp/conv.nnm" --train 256 --test 64
[ "$rc" -eq 0 ] && [ "$(tail -n 2 "$tmp/out")" = "$(tail -n 2 "$tmp/first")" ] ||
	fail "--model convnet loaded: $(tail -n 2 "$tmp/out" | tr '\n' ' ') vs $(tail -n 2 "$tmp/first" | tr '\n' ' ')"

# --model lenet5: 6 kernels of 5x5, 16 times larger: cells of 90, 20 + 6 * 90
# wide and, in one row, 60 + 90 high. A flag given
# overrides the preset's (--batch). Without a terminal, no progress.
run "$mnist" --model lenet5 "${small[@]}" --batch 64 --plot-filters "$tmp/lenet.png"
[ "$rc" -eq 0 ] || fail "--model lenet5: exit $rc: $(cat "$tmp/err")"
grep -qxF 'training: adam eta 0.001, batch 64, 1 epoch, cosine schedule to 0' "$tmp/out" ||
	fail "--model lenet5 --batch 64: $(grep '^training' "$tmp/out")"
grep -q '^number of parameters in the model: .* = 61706$' "$tmp/out" ||
	fail "--model lenet5: $(grep '^number' "$tmp/out")"
[ "$(png_size "$tmp/lenet.png")" = "560 150" ] || fail "--plot-filters lenet5: $(png_size "$tmp/lenet.png")"
if grep -q 'batches' "$tmp/out" || grep -q $'\r' "$tmp/out"; then
	fail "progress written when standard output is not a terminal"
fi
# --progress: a line after the first of the 4 batches
run "$mnist" --model lenet5 "${small[@]}" --batch 64 --progress
grep -q '^epoch 1/1  1/4 batches  cost [0-9]*\.[0-9]\{4\}  [0-9]*\.[0-9] s$' "$tmp/out" || fail "--progress: $(grep batches "$tmp/out")"
# on a terminal (script(1) gives one): the line rewritten in place, then erased
if command -v script >/dev/null; then
	script -qec "$(printf '%q ' "$mnist" --model lenet5 "${small[@]}" --batch 64)" /dev/null \
		>"$tmp/tty" 2>&1
	grep -q $'\repoch 1/1  1/4 batches' "$tmp/tty" || fail "no progress on a terminal: $(cat -A "$tmp/tty" | grep epoch)"
fi

# --model dense in float32: the model line says so, and so does the file.
run "$mnist" --model dense --precision f32 "${small[@]}" --save-model "$tmp/f32.nnm"
[ "$rc" -eq 0 ] || fail "--model dense --precision f32: exit $rc: $(cat "$tmp/err")"
grep -qxF 'model: dense (a plain MLP with dropout): 784, 512:relu, dropout:0.2, 256:relu, dropout:0.2, 10:softmax, cross-entropy cost, float32; He initialisation' "$tmp/out" ||
	fail "--model dense --precision f32: model line $(grep '^model' "$tmp/out")"
# (784 + 1) * 512 + (512 + 1) * 256 + (256 + 1) * 10
grep -qxF 'number of parameters in the model: (784 + 1) * 512 + (512 + 1) * 256 + (256 + 1) * 10 = 535818' "$tmp/out" ||
	fail "--model dense: $(grep '^number' "$tmp/out")"
cp "$tmp/out" "$tmp/first"
# 64 of the 512 units as 28x28 images, 3 times larger: 8 rows of 8 cells of 94
run "$mnist" --load-model "$tmp/f32.nnm" --train 256 --test 64 --plot-filters "$tmp/dense.png"
grep -qxF "model: loaded from $tmp/f32.nnm: 784, 512:relu, dropout:0.2, 256:relu, dropout:0.2, 10:softmax, cross-entropy cost, float32" "$tmp/out" ||
	fail "a float32 model loaded: $(grep '^model' "$tmp/out")"
[ "$(tail -n 2 "$tmp/out")" = "$(tail -n 2 "$tmp/first")" ] || fail "a float32 model loaded scores otherwise"
[ "$(png_size "$tmp/dense.png")" = "772 812" ] || fail "--plot-filters dense: $(png_size "$tmp/dense.png")"

# --layers: widths mean what they meant (hidden --activation, softmax out);
# a convolution without an activation takes --activation too.
run "$mnist" --layers '784, 24, 10' "${small[@]}"
grep -qxF 'model: 784-24-10 network, relu hidden, softmax output, cross-entropy cost; He initialisation' "$tmp/out" ||
	fail "--layers '784, 24, 10': $(grep '^model' "$tmp/out")"
run "$mnist" --layers 28x28,conv:4:3:s2,flatten,10 --activation tanh "${small[@]}"
grep -qxF 'model: 28x28, conv:4:3:s2:tanh, flatten, 10:softmax, cross-entropy cost; Glorot initialisation' "$tmp/out" ||
	fail "--layers with a convolution: $(grep '^model' "$tmp/out")"
# (3*3*1 + 1) * 4 + (13*13*4 + 1) * 10 = 40 + 6770
grep -q '^number of parameters in the model: .* = 6810$' "$tmp/out" || fail "conv:4:3:s2: $(grep '^number' "$tmp/out")"

# The lecture's runs: --precision f64 is the default, to the byte; f32 says
# so on its model line and its model file keeps it.
run "$ex1" --seed 3 --steps 300
cp "$tmp/out" "$tmp/first"
run "$ex1" --seed 3 --steps 300 --precision f64
cmp -s "$tmp/out" "$tmp/first" || fail "nn-example1 --precision f64 prints something else"
run "$mnist" --seed 3 --steps 20 --every 10 --precision f32 --plot-filters "$tmp/lect.png"
grep -q '^model: 784-30-10 sigmoid network, .*, 20 steps; float32$' "$tmp/out" ||
	fail "nn-mnist --precision f32: $(grep '^model' "$tmp/out")"
# 30 units as 28x28 images: 8 a row, 4 rows
[ "$(png_size "$tmp/lect.png")" = "772 436" ] || fail "--plot-filters, the lecture's: $(png_size "$tmp/lect.png")"
run "$ex2" --seed 3 --steps 300 --precision f32 --save-model "$tmp/toy32.nnm"
[ "$rc" -eq 0 ] && grep -q '; float32$' "$tmp/out" || fail "nn-example2 --precision f32: $(head -n 3 "$tmp/out")"
cp "$tmp/out" "$tmp/first"
run "$ex2" --seed 3 --load-model "$tmp/toy32.nnm"
grep -qxF "model: loaded from $tmp/toy32.nnm: 2-10-2 sigmoid network, quadratic cost, float32" "$tmp/out" ||
	fail "nn-example2 float32 model loaded: $(grep '^model' "$tmp/out")"
[ "$(tail -n 2 "$tmp/out")" = "$(tail -n 2 "$tmp/first")" ] || fail "nn-example2 float32 model scores otherwise"

finish
