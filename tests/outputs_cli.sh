#!/bin/bash
# The programs' outputs and what they print, from the outside (issue 12):
#   - an output that is a FIFO or a character device is written in place,
#     never replaced by a regular file; a socket or block device is refused
#     (item 4; /dev/null itself is checked only once a FIFO and a private
#     device node in a temporary directory came through unharmed);
#   - SIGTERM or SIGINT during a save leaves no temporary file (item 9);
#   - an output that is the same file as an input or another output is
#     refused, whatever the spelling (item 12);
#   - a failed write to standard output is an error with a message (item 13);
#   - after a divergence every printed score is the kept model's (item 15);
#   - "Our best model gets X percent" rounds as the lecture does (item 16);
#   - a parameter the library refuses is named, with its value (item 17).
#
# usage: outputs_cli.sh NN-DATA NN-EXAMPLE1 NN-EXAMPLE2 NN-MNIST
set -u
nn_data=$1 ex1=$2 ex2=$3 mnist=$4
. "$(dirname "$0")/cli_lib.sh" outputs

# ---- item 4: FIFOs and devices are written in place, never replaced ----
d=$tmp/dev
mkdir "$d"
mkfifo "$d/fifo"
# a reader for the FIFO, bounded: a writer that never opens it must not hang the test
(timeout 20 cat "$d/fifo" >"$d/got") &
reader=$!
run "$nn_data" moons --samples 4 --seed 1 -o "$d/fifo"
[ "$rc" -eq 0 ] || fail "nn-data -o FIFO: exit $rc: $(cat "$tmp/err")"
wait "$reader"
fifo_ok=1
[ -p "$d/fifo" ] || { fail "nn-data -o FIFO: the FIFO was replaced"; fifo_ok=0; }
[ "$(head -n 1 "$d/got" 2>/dev/null)" = "x1,x2,label" ] && [ "$(wc -l <"$d/got")" -eq 5 ] ||
	{ fail "nn-data -o FIFO: the reader got '$(cat "$d/got" 2>/dev/null)'"; fifo_ok=0; }
# the library's own writer (nn_model_save) through the same FIFO
(timeout 20 cat "$d/fifo" >"$d/model") &
reader=$!
run "$ex1" --seed 1 --steps 2 --save-model "$d/fifo"
wait "$reader"
[ "$rc" -eq 0 ] && [ -p "$d/fifo" ] || { fail "--save-model FIFO: exit $rc, FIFO kept: $([ -p "$d/fifo" ] && echo yes)"; fifo_ok=0; }
run "$ex1" --seed 1 --load-model "$d/model"
[ "$rc" -eq 0 ] || { fail "the model written through a FIFO does not load: $(cat "$tmp/err")"; fifo_ok=0; }
# a FIFO nobody reads: the writer waits for a reader, and SIGTERM still ends it
"$nn_data" moons --seed 1 -o "$d/fifo" 2>/dev/null &
writer=$!
sleep 0.3
kill -TERM "$writer"
timeout 10 tail --pid="$writer" -f /dev/null || { fail "a writer waiting on a FIFO ignores SIGTERM"; kill -KILL "$writer"; }
wait "$writer" 2>/dev/null
[ -p "$d/fifo" ] || fail "a writer waiting on a FIFO replaced it"
# a private device node (root only): the null device, made in the temporary directory
node_ok=0
if mknod "$d/null" c 1 3 2>/dev/null; then
	node_ok=1
	run "$nn_data" moons --seed 1 -o "$d/null"
	[ "$rc" -eq 0 ] && [ -c "$d/null" ] || { fail "nn-data -o device: exit $rc, still a device: $([ -c "$d/null" ] && echo yes)"; node_ok=0; }
	run "$ex2" --seed 1 --steps 2 --save-model "$d/null" --save-data "$d/null.csv"
	[ "$rc" -eq 0 ] && [ -c "$d/null" ] || { fail "--save-model device: exit $rc, still a device: $([ -c "$d/null" ] && echo yes)"; node_ok=0; }
	if mknod "$d/blk" b 7 200 2>/dev/null; then
		expect_error 1 "block device" "$nn_data" moons -o "$d/blk"
		[ -b "$d/blk" ] || fail "nn-data -o block device: the node was replaced"
	fi
else
	echo "skip: mknod needs root; the device node cases are left out" >&2
fi
# the system's /dev/null, only once the cases above showed nothing is replaced
if [ "$fifo_ok" -eq 1 ] && { [ "$node_ok" -eq 1 ] || ! [ -w /dev ]; }; then
	before=$(stat -c '%d:%i:%F' /dev/null)
	run "$nn_data" moons --seed 1 -o /dev/null
	run "$ex1" --seed 1 --steps 2 --save-model /dev/null --plot /dev/null
	[ "$rc" -eq 0 ] || fail "--save-model /dev/null: exit $rc: $(cat "$tmp/err")"
	[ "$(stat -c '%d:%i:%F' /dev/null)" = "$before" ] || fail "/dev/null was replaced"
else
	echo "skip: /dev/null is not written while the FIFO or device cases fail" >&2
fi
# a socket: refused, left as it is
if command -v python3 >/dev/null &&
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$d/sock"; then
	expect_error 1 socket "$nn_data" moons -o "$d/sock"
	[ -S "$d/sock" ] || fail "nn-data -o socket: the socket was replaced"
fi
expect_error 1 directory "$nn_data" moons -o "$d"
[ -z "$(ls "$d" | grep '\.tmp\.')" ] || fail "temporary files left: $(ls "$d")"

# ---- item 9: a signal during a save leaves no temporary file ----
# signal SIG [LAUNCHER...]: start a large save, signal it while its temporary file exists
signal() {
	local sig=$1 out=$tmp/sig/big.csv seen=0
	shift
	rm -rf "$tmp/sig"
	mkdir "$tmp/sig"
	"$@" "$nn_data" classification --samples 100000 --features 10 --seed 1 -o "$out" 2>/dev/null &
	local pid=$!
	for _ in $(seq 1 1000); do
		if ls "$tmp/sig" | grep -q '\.tmp\.'; then
			seen=1
			break
		fi
		sleep 0.01
	done
	kill "-$sig" "$pid" 2>/dev/null
	wait "$pid"
	local status=$?
	if [ "$seen" -eq 0 ]; then
		fail "SIG$sig: never saw the temporary file (exit $status)"
		return
	fi
	[ -z "$(ls "$tmp/sig" | grep '\.tmp\.')" ] || fail "SIG$sig during a save left $(ls "$tmp/sig")"
	# the save finishes (the file is whole) and the signal then ends the program
	[ ! -e "$out" ] || [ "$(wc -l <"$out")" -eq 100001 ] || fail "SIG$sig: a partial $out"
	[ "$status" -ne 0 ] || fail "SIG$sig: the program went on to exit 0"
}
signal TERM
# a background job starts with SIGINT ignored; env gives it back its default
if env --default-signal=INT true 2>/dev/null; then
	signal INT env --default-signal=INT
else
	echo "skip: env --default-signal is missing; SIGINT is left out" >&2
fi

# ---- item 12: an output that is an input, or another output, is expect_error ----
m=$tmp/same
mkdir "$m"
run "$ex2" --seed 2 --steps 5 --save-model "$m/m.nn"
[ "$rc" -eq 0 ] || fail "nn-example2 --save-model: exit $rc"
cp "$m/m.nn" "$m/keep.nn"
ln "$m/m.nn" "$m/hard.nn"
ln -s m.nn "$m/soft.nn"
expect_error 1 "the same file" "$ex2" --load-model "$m/m.nn" --save-data "$m/m.nn"
expect_error 1 "--load-model" "$ex2" --load-model "$m/m.nn" --plot "$m/hard.nn"
expect_error 1 "--save-data" "$ex1" --load-model "$m/soft.nn" --save-data "$m/./m.nn"
cmp -s "$m/m.nn" "$m/keep.nn" || fail "a expect_error run changed the model it reads"
expect_error 1 "--plot-curve" "$ex1" --steps 1 --plot "$m/a.png" --plot-curve "$m/../same/a.png"
[ ! -e "$m/a.png" ] || fail "a expect_error run wrote $m/a.png"
run "$mnist" --seed 1 --steps 2 --hidden 3 --save-model "$m/mn.nn"
expect_error 1 "the same file" "$mnist" --load-model "$m/mn.nn" --plot-confusion "$m/mn.nn"
expect_error 1 "the same file" "$mnist" --epochs 1 --history "$m/h.csv" --save-data "$m/h.csv"

# ---- item 13: a failed write to standard output says so ----
if [ -w /dev/full ]; then
	for cmd in "$mnist --steps 1" "$ex1 --steps 1" "$ex2 --help" "$nn_data moons --seed 1" \
		"$nn_data --version"; do
		# shellcheck disable=SC2086
		$cmd >/dev/full 2>"$tmp/err"
		rc=$?
		[ "$rc" -eq 1 ] || fail "$cmd >/dev/full: exit status $rc, want 1"
		grep -q 'standard output: No space left on device' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] ||
			fail "$cmd >/dev/full: $(cat "$tmp/err")"
	done
fi

# ---- item 15: after a divergence, the scores are the kept model's ----
for p in "$ex1" "$ex2" "$mnist"; do
	name=$(basename "$p")
	n=400 # training samples: 500 split 80/20, or nn-mnist's 500 digits
	[ "$name" = nn-mnist ] && n=500
	run "$p" --seed 1 --steps 3 --eta 1e308 --save-model "$tmp/div.nn"
	[ "$rc" -eq 0 ] && grep -q 'diverged' "$tmp/err" || fail "$name --eta 1e308: exit $rc, $(cat "$tmp/err")"
	diverged=$(grep '^train accuracy' "$tmp/out")
	best=$(grep '^Our best model gets' "$tmp/out")
	# the model kept, scored again from its file
	run "$p" --seed 1 --load-model "$tmp/div.nn"
	[ "$(grep '^train accuracy' "$tmp/out")" = "$diverged" ] ||
		fail "$name: after a divergence '$diverged', the model kept scores '$(grep '^train accuracy' "$tmp/out")'"
	want=$(echo "$diverged" | awk -v n=$n '{ printf "Our best model gets %.1f percent correct!", int($3 * n + 0.5) * (100 / n) }')
	[ "$best" = "$want" ] || fail "$name: after a divergence '$best', want '$want'"
done

# ---- item 16: the best score rounds as the lecture's count * (100 / n) ----
run "$ex1" --seed 678 --steps 1
step=$(sed -n 's/^Best by step 0: \(.*\) %$/\1/p' "$tmp/out")
best=$(sed -n 's/^Our best model gets \(.*\) percent correct!$/\1/p' "$tmp/out")
want=$(awk '/^train accuracy/ { n = $3 * 400; printf "%.1f", int(n + 0.5) * (100 / 400) }' "$tmp/out")
[ -n "$want" ] && [ "$step" = "$want" ] && [ "$best" = "$want" ] ||
	fail "nn-example1 --seed 678 --steps 1: 'Best by step' $step, 'Our best' $best, lecture $want"

# ---- item 17: a expect_error parameter is named with its value ----
expect_error 2 "test_size 0.5 of 1 sample leaves no training sample" "$nn_data" blobs --samples 1 --test-size 0.5 --seed 1
expect_error 2 "test_size 0.9 of 3 samples leaves no training sample" "$nn_data" classification --samples 3 --test-size 0.9 --seed 1

finish
