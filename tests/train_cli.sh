#!/bin/bash
# nn-train and nn-predict from the outside (doc/tutorial.md, their man
# pages): a classification and a regression end to end, the model applied
# by nn-predict (class names, probabilities, values; features found by
# name), nn-data's split column, MNIST; every usage error (exit 2, one line,
# nothing on stdout, no file written); a malformed CSV (exit 1, the reader's
# file:line message); a model and a file that do not fit (exit 1, saying
# which feature or class).
#
# usage: train_cli.sh NN-TRAIN NN-PREDICT NN-DATA SOURCE-ROOT
set -u
train=$1 predict=$2 data=$3 src=$4
. "$(dirname "$0")/cli_lib.sh" train

od_="$tmp/outdir"
mkdir -p "$od_"

# ---- data, written here ----------------------------------------------------------
# three blobs, their labels as words (in no sorted order: the ids are the
# sorted names), a header
"$data" blobs --samples 240 --centers 3 --cluster-std 0.6 --seed 4 -o "$tmp/blobs.csv"
awk -F, 'NR == 1 { print "width,height,kind"; next }
	{ print $1 "," $2 "," ($3 == 0 ? "plum" : $3 == 1 ? "apple" : "cherry") }' \
	"$tmp/blobs.csv" > "$tmp/fruit.csv"
# y = sin(x) + x/4 on [-3, 3], and an id column of text to ignore
awk 'BEGIN { print "id,x,y"; for (i = 0; i < 300; i++) { x = -3 + 6 * i / 299;
	printf "r%d,%.17g,%.17g\n", i, x, sin(x) + x / 4 } }' > "$tmp/wave.csv"

# ---- a classification end to end ---------------------------------------------------
run "$train" "$tmp/fruit.csv" --target kind --test-size 0.25 --seed 3 --epochs 60 \
	--save "$tmp/fruit.nn" --history "$tmp/h.csv" --plot-history "$tmp/h.png"
[ "$rc" -eq 0 ] || fail "fruit: exit $rc: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "fruit: wrote to stderr: $(cat "$tmp/err")"
grep -qx 'seed: 3' "$tmp/out" || fail "fruit: no seed line"
grep -q '^target: kind, 3 classes (apple, cherry, plum)$' "$tmp/out" ||
	fail "fruit: classes not sorted names: $(grep ^target "$tmp/out")"
grep -q '^test: 60 rows (--test-size 0.25)$' "$tmp/out" || fail "fruit: test line"
grep -q '^model: 2-100-3 network, relu hidden, softmax output, cross-entropy cost; Glorot' \
	"$tmp/out" || fail "fruit: model line: $(grep ^model "$tmp/out")"
grep -q '^epoch 1/60 ' "$tmp/out" || fail "fruit: no epoch lines"
acc=$(sed -n 's/^test accuracy: \([0-9.]*\) (\([0-9]*\) of 60)$/\1/p' "$tmp/out")
[ -n "$acc" ] || fail "fruit: no test accuracy line"
awk -v a="${acc:-0}" 'BEGIN { exit !(a >= 0.95) }' || fail "fruit: test accuracy $acc < 0.95"
# the confusion matrix: a row per class, its counts summing to the 60 test rows
sum=$(awk '/^confusion matrix \(test rows/ { on = 1; getline; next }
	on && NF == 4 { s += $2 + $3 + $4 } END { print s + 0 }' "$tmp/out")
[ "$sum" = 60 ] || fail "fruit: confusion matrix sums to $sum, not 60"
grep -q '^model saved to ' "$tmp/out" || fail "fruit: no saved line"
[ "$(head -n 1 "$tmp/h.csv")" = "epoch,seconds,eta,train_cost,train_accuracy,val_cost,val_accuracy" ] ||
	fail "fruit: history header: $(head -n 1 "$tmp/h.csv")"
png_ok "$tmp/h.png" || fail "fruit: --plot-history is not a PNG"
# the same seed, the same run (but the times)
run "$train" "$tmp/fruit.csv" --target kind --test-size 0.25 --seed 3 --epochs 60
cut -c1-200 "$tmp/out" | sed 's/[0-9.]* s//g' > "$tmp/again"
"$train" "$tmp/fruit.csv" --target kind --test-size 0.25 --seed 3 --epochs 60 |
	cut -c1-200 | sed 's/[0-9.]* s//g' | cmp -s - "$tmp/again" || fail "fruit: seed 3 twice differs"

# the default step for classes (Adam 0.01) is the one --eta-min is held against
run "$train" "$tmp/fruit.csv" --target kind --seed 3 --epochs 2 --schedule cosine --eta-min 0.005
[ "$rc" -eq 0 ] || fail "fruit: --eta-min 0.005 under the default step: exit $rc: $(cat "$tmp/err")"
grep -q '^training: adam eta 0.01, .*cosine schedule to 0.005' "$tmp/out" ||
	fail "fruit: --eta-min: $(grep ^training "$tmp/out")"

# ---- nn-predict on it ----------------------------------------------------------------
run "$predict" "$tmp/fruit.nn" "$tmp/fruit.csv"
[ "$rc" -eq 0 ] || fail "predict: exit $rc: $(cat "$tmp/err")"
[ "$(head -n 1 "$tmp/out")" = class ] || fail "predict: header $(head -n 1 "$tmp/out")"
[ "$(wc -l < "$tmp/out")" -eq 241 ] || fail "predict: $(wc -l < "$tmp/out") lines, want 241"
# the predictions against the file's classes: nearly all right
right=$(paste -d, <(tail -n +2 "$tmp/fruit.csv" | cut -d, -f3) <(tail -n +2 "$tmp/out") |
	awk -F, '$1 == $2 { n++ } END { print n + 0 }')
[ "$right" -ge 228 ] || fail "predict: $right of 240 right"
# --proba into a file: the class names as the header, each row a distribution
run "$predict" "$tmp/fruit.nn" "$tmp/fruit.csv" --proba -o "$tmp/proba.csv"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] || fail "predict --proba -o: exit $rc, stdout $(head -c 80 "$tmp/out")"
[ "$(head -n 1 "$tmp/proba.csv")" = "apple,cherry,plum" ] ||
	fail "predict --proba: header $(head -n 1 "$tmp/proba.csv")"
awk -F, 'NR > 1 { s = $1 + $2 + $3; if (NF != 3 || s < 0.999999 || s > 1.000001) bad++ }
	END { exit bad > 0 || NR != 241 }' "$tmp/proba.csv" ||
	fail "predict --proba: rows are not 3 probabilities summing to 1"
# the argmax of --proba is the class
paste -d, <(tail -n +2 "$tmp/proba.csv") <("$predict" "$tmp/fruit.nn" "$tmp/fruit.csv" | tail -n +2) |
	awk -F, '{ m = $1 > $2 ? ($1 > $3 ? "apple" : "plum") : ($2 > $3 ? "cherry" : "plum");
		if (m != $4) bad++ } END { exit bad > 0 }' || fail "predict: --proba's argmax is not the class"
# features by name, in another order, the target and an extra column absent or present
awk -F, '{ print $2 "," "0" "," $1 }' "$tmp/fruit.csv" | sed '1s/.*/height,note,width/' > "$tmp/perm.csv"
"$predict" "$tmp/fruit.nn" "$tmp/perm.csv" | cmp -s - <("$predict" "$tmp/fruit.nn" "$tmp/fruit.csv") ||
	fail "predict: columns by name in another order give other classes"
# no header: the features in order, the last column (the target) left out
tail -n +2 "$tmp/fruit.csv" > "$tmp/nohead.csv"
"$predict" "$tmp/fruit.nn" "$tmp/nohead.csv" | cmp -s - <("$predict" "$tmp/fruit.nn" "$tmp/fruit.csv") ||
	fail "predict: a file without a header gives other classes"

# ---- a regression end to end -----------------------------------------------------------
run "$train" "$tmp/wave.csv" --target y --ignore id --test-size 60 --seed 2 --save "$tmp/wave.nn"
[ "$rc" -eq 0 ] || fail "wave: exit $rc: $(cat "$tmp/err")"
grep -q '^target: y, values; standardised while training' "$tmp/out" ||
	fail "wave: target line $(grep ^target "$tmp/out")"
grep -q '^model: 1-100-1 network, relu hidden, identity output, quadratic cost' "$tmp/out" ||
	fail "wave: model line $(grep ^model "$tmp/out")"
grep -q '^epoch 1/200 .* rmse [0-9.]* r2 ' "$tmp/out" || fail "wave: epoch lines without rmse"
r2=$(sed -n 's/^test rmse: [0-9.e+-]*  mae: [0-9.e+-]*  r2: \([0-9.-]*\) (60 rows)$/\1/p' "$tmp/out")
awk -v r="${r2:-0}" 'BEGIN { exit !(r >= 0.99) }' || fail "wave: test r2 '$r2' < 0.99"
# nn-predict: the values in the data's units under the target's name
run "$predict" "$tmp/wave.nn" "$tmp/wave.csv" --ignore id
[ "$rc" -eq 0 ] || fail "predict wave: exit $rc: $(cat "$tmp/err")"
[ "$(head -n 1 "$tmp/out")" = y ] || fail "predict wave: header $(head -n 1 "$tmp/out")"
paste -d, <(tail -n +2 "$tmp/wave.csv" | cut -d, -f3) <(tail -n +2 "$tmp/out") |
	awk -F, '{ d = $1 - $2; s += d * d } END { exit !(sqrt(s / NR) < 0.05) }' ||
	fail "predict wave: RMSE against sin(x) + x/4 is not below 0.05"
# an integral target of many values is a quantity: values, not 300 classes
awk -F, 'NR == 1 { print "x,y"; next } { printf "%s,%d\n", $2, 100 * $3 }' "$tmp/wave.csv" > "$tmp/count.csv"
run "$train" "$tmp/count.csv" --epochs 3 --seed 1
grep -q '^target: y, values (.* distinct integers among 300 rows: a quantity' "$tmp/out" ||
	fail "count: integral target not read as a quantity: $(grep ^target "$tmp/out")"
run "$train" "$tmp/count.csv" --epochs 3 --seed 1 --task classify
grep -q '^target: y, [0-9]* classes' "$tmp/out" || fail "count --task classify: $(grep ^target "$tmp/out")"

# ---- nn-data's split column; MNIST ------------------------------------------------------
"$data" moons --samples 200 --noise 0.1 --test-size 0.25 --seed 5 -o "$tmp/moons.csv"
run "$train" "$tmp/moons.csv" --target label --split split --seed 1 --save "$tmp/moons.nn"
[ "$rc" -eq 0 ] || fail "moons --split: exit $rc: $(cat "$tmp/err")"
grep -q "^test: 50 rows (--split split: the rows it calls 'test')$" "$tmp/out" || fail "moons: test line"
grep -q '^test accuracy: .* of 50)$' "$tmp/out" || fail "moons: no test accuracy on 50 rows"
run "$predict" "$tmp/moons.nn" "$tmp/moons.csv"
[ "$rc" -eq 0 ] && [ "$(wc -l < "$tmp/out")" -eq 201 ] || fail "predict moons: exit $rc: $(cat "$tmp/err")"
if [ -d "$src/data/mnist-sample" ]; then
	run "$train" "$src/data/mnist-sample" --epochs 2 --seed 1 --save "$tmp/m.nn"
	grep -q '^test: 100 rows (MNIST' "$tmp/out" && grep -q '^test accuracy: .* of 100)$' "$tmp/out" ||
		fail "mnist: exit $rc: $(cat "$tmp/err")"
	run "$predict" "$tmp/m.nn" "$src/data/mnist-sample"
	[ "$rc" -eq 0 ] && [ "$(wc -l < "$tmp/out")" -eq 101 ] || fail "predict mnist: exit $rc"
fi

# ---- usage errors: exit 2, one line naming the problem, nothing written --------------------
f=$tmp/fruit.csv
while read -r word args; do
	# shellcheck disable=SC2086
	expect_error 2 "$word" "$train" ${args//@F/$f} --save "$od_/m.nn"
done <<'EOF'
unknown @F --colour red
--task @F --task cluster
--scale @F --scale log
--precision @F --precision f16
--test-size @F --test-size 1.5
--test-size @F --test-size 0.2 --test @F
--labels @F --labels @F --target kind
--split @F --split kind
--cost @F --task regress --cost ce
--epochs @F --epochs 0
--batch @F --batch 0
--eta @F --eta 0
--seed @F --seed -1
--val @F --val 0
--patience @F --patience -2
--layers @F --layers 16,,16
--layers @F --layers 16:softplus
--layers @F --layers conv:8:3
--gamma @F --gamma 0.5
--momentum @F --momentum 0.5
--dropout @F --dropout 1
'kind' @F --target kind,kind
'colour' @F --target colour
'size' @F --ignore size
both @F --target kind --ignore kind
EOF
expect_error 2 "unexpected argument" "$train" "$f" "$f"
expect_error 2 "no data file" "$train"
expect_error 2 "--save" "$train" "$f" --save
expect_error 2 "--cost" "$train" "$tmp/wave.csv" --target y --ignore id --cost ce
expect_error 2 "MNIST" "$train" "$src/data/mnist-sample" --target label
expect_error 2 "no model" "$predict"
expect_error 2 "no data file" "$predict" "$tmp/fruit.nn"
expect_error 2 "unexpected argument" "$predict" "$tmp/fruit.nn" "$f" "$f"
expect_error 2 "unknown option" "$predict" "$tmp/fruit.nn" "$f" --probability
expect_error 2 "--proba" "$predict" "$tmp/fruit.nn" "$f" --proba=1
expect_error 2 "-o" "$predict" "$tmp/fruit.nn" "$f" -o
expect_error 2 "'size'" "$predict" "$tmp/fruit.nn" "$f" --ignore size

# ---- runtime errors: exit 1, one line --------------------------------------------------------
# a malformed CSV: the reader's file:line message
{ head -n 5 "$f"; echo "1.5,n/a,apple"; tail -n +6 "$f"; } > "$tmp/bad.csv"
expect_error 1 "bad.csv:6: column 'height': 'n/a' is not a number" "$train" "$tmp/bad.csv" --save "$od_/m.nn"
expect_error 1 "bad.csv:6: column 'height': 'n/a' is not a number" "$predict" "$tmp/fruit.nn" "$tmp/bad.csv" -o "$od_/p.csv"
{ head -n 3 "$f"; echo "1,2"; } > "$tmp/ragged.csv"
expect_error 1 "ragged.csv:4: 2 cells, the header has 3" "$train" "$tmp/ragged.csv" --save "$od_/m.nn"
expect_error 1 "No such file" "$train" "$tmp/none.csv" --save "$od_/m.nn"
printf 'a,b\n1,x\n2,x\n' > "$tmp/one-class.csv"
expect_error 1 "a single class" "$train" "$tmp/one-class.csv" --save "$od_/m.nn"
expect_error 1 "leaves none" "$train" "$f" --test-size 240 --save "$od_/m.nn"
# a model and a file that do not fit: which feature, which class, how many columns
cut -d, -f1,3 "$f" > "$tmp/narrow.csv"
expect_error 1 "no column 'height', which the model takes" "$predict" "$tmp/fruit.nn" "$tmp/narrow.csv" -o "$od_/p.csv"
cut -d, -f1 "$tmp/nohead.csv" > "$tmp/one.csv"
expect_error 1 "1 feature column (x1); the model takes 2 (width, height)" "$predict" "$tmp/fruit.nn" "$tmp/one.csv" -o "$od_/p.csv"
sed 's/,plum$/,pear/' "$f" > "$tmp/pear.csv"
expect_error 1 "class 'pear' is not one the model knows" "$train" "$f" --target kind --test "$tmp/pear.csv" --save "$od_/m.nn"
expect_error 1 "fruit.csv: wrong magic number" "$predict" "$f" "$f" -o "$od_/p.csv"
expect_error 1 "none.nn" "$predict" "$tmp/none.nn" "$f" -o "$od_/p.csv"
head -c 100 "$tmp/fruit.nn" > "$tmp/cut.nn"
expect_error 1 "cut.nn" "$predict" "$tmp/cut.nn" "$f" -o "$od_/p.csv"
expect_error 1 "the same file" "$predict" "$tmp/fruit.nn" "$f" -o "$f"

finish
