#!/bin/sh
# nn-data's command line: CSV shape, determinism, --seed = random_state,
# exit status 2 and no output file on bad input, atomic -o.
#   nn_data_cli.sh NN_DATA SOURCE_ROOT
set -u
nn_data=$1
fixtures=$2/tests/data/datasets
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

die() { echo "FAIL: $*" >&2; fail=1; }

# lines FILE: number of lines
lines() { wc -l < "$1" | tr -d ' '; }

# --help
"$nn_data" --help > "$tmp/help" 2>&1 || die "--help exits $?"
grep -q '^usage: nn-data' "$tmp/help" || die "--help prints no usage"

# blobs with a split: header, 8 train rows then 2 test rows
"$nn_data" blobs --samples 10 --centers 2 --center-box -3,3 --seed 0 --test-size 0.2 \
	> "$tmp/b.csv" 2> "$tmp/err" || die "blobs exits $?"
[ "$(head -n 1 "$tmp/b.csv")" = "x1,x2,label,split" ] || die "blobs header: $(head -n 1 "$tmp/b.csv")"
[ "$(lines "$tmp/b.csv")" = 11 ] || die "blobs: $(lines "$tmp/b.csv") lines, want 11"
[ "$(cut -d, -f4 "$tmp/b.csv" | tail -n +2 | tr '\n' ' ')" = \
  "train train train train train train train train test test " ] || die "blobs: split column"
[ -s "$tmp/err" ] && die "blobs with --seed writes to stderr: $(cat "$tmp/err")"

# the same seed twice gives the same file; another seed another one
"$nn_data" blobs --samples 10 --centers 2 --center-box=-3,3 --seed=0 --test-size=0.2 > "$tmp/b2.csv" || die "blobs (=) exits $?"
cmp -s "$tmp/b.csv" "$tmp/b2.csv" || die "blobs: same seed, different output"
"$nn_data" blobs --samples 10 --centers 2 --center-box -3,3 --seed 1 --test-size 0.2 > "$tmp/b3.csv" || die "blobs seed 1"
cmp -s "$tmp/b.csv" "$tmp/b3.csv" && die "blobs: seeds 0 and 1 give the same output"

# --seed K is random_state=K: the first sample of make_blobs(40, centers=2,
# center_box=(-3, 3), random_state=0), from the golden file
"$nn_data" blobs --samples 40 --centers 2 --center-box -3,3 --seed 0 > "$tmp/l.csv" || die "lecture blobs"
want=$(awk '/^array X /{getline; print; exit}' "$fixtures/blobs_lecture_s0.txt")
got=$(sed -n 2p "$tmp/l.csv")
awk -v w="$want" -v g="$got" 'BEGIN { split(w, a, " "); split(g, b, ",");
	exit !(a[1] + 0 == b[1] + 0 && a[2] + 0 == b[2] + 0) }' ||
	die "blobs --seed 0: first sample $got, sklearn $want"

# every generator: header and row count
"$nn_data" circles --seed 3 --noise 0.1 --factor 0.5 > "$tmp/c.csv" || die "circles exits $?"
[ "$(head -n 1 "$tmp/c.csv")" = "x1,x2,label" ] || die "circles header"
[ "$(lines "$tmp/c.csv")" = 101 ] || die "circles: $(lines "$tmp/c.csv") lines, want 101"
"$nn_data" moons --samples 7 --seed 3 --test-size 3 > "$tmp/m.csv" || die "moons exits $?"
[ "$(lines "$tmp/m.csv")" = 8 ] || die "moons: $(lines "$tmp/m.csv") lines, want 8"
[ "$(grep -c ',test$' "$tmp/m.csv")" = 3 ] || die "moons: --test-size 3 gives $(grep -c ',test$' "$tmp/m.csv") test rows"
"$nn_data" classification --samples 12 --features 5 --informative 3 --redundant 1 --classes 3 \
	--clusters-per-class 1 --seed 9 > "$tmp/k.csv" || die "classification exits $?"
[ "$(head -n 1 "$tmp/k.csv")" = "x1,x2,x3,x4,x5,label" ] || die "classification header"
[ "$(lines "$tmp/k.csv")" = 13 ] || die "classification: $(lines "$tmp/k.csv") lines, want 13"

# without --seed: a seed from the clock, printed to stderr
"$nn_data" moons --samples 4 > /dev/null 2> "$tmp/err" || die "moons without seed exits $?"
grep -q '^nn-data: seed [0-9][0-9]*$' "$tmp/err" || die "no seed on stderr: $(cat "$tmp/err")"

# -o: the same bytes as stdout, no temporary file left behind
"$nn_data" blobs --samples 10 --centers 2 --center-box -3,3 --seed 0 --test-size 0.2 \
	-o "$tmp/out.csv" || die "-o exits $?"
cmp -s "$tmp/b.csv" "$tmp/out.csv" || die "-o differs from stdout"
ls "$tmp" | grep -q '\.tmp\.' && die "-o leaves a temporary file"

# bad input: status 2, one line on stderr, nothing written (an old file kept)
echo old > "$tmp/keep.csv"
check_bad() {
	"$nn_data" "$@" -o "$tmp/bad.csv" > "$tmp/out" 2> "$tmp/err"
	status=$?
	[ $status = 2 ] || die "'$*' exits $status, want 2"
	[ "$(lines "$tmp/err")" = 1 ] || die "'$*': stderr is not one line: $(cat "$tmp/err")"
	[ -e "$tmp/bad.csv" ] && die "'$*' leaves an output file"
	[ -s "$tmp/out" ] && die "'$*' writes to stdout"
	"$nn_data" "$@" -o "$tmp/keep.csv" > /dev/null 2>&1
	[ "$(cat "$tmp/keep.csv")" = old ] || die "'$*' overwrites an existing file"
	rm -f "$tmp/bad.csv"
}
check_bad
check_bad spirals
check_bad blobs moons
check_bad blobs --bogus 1
check_bad blobs -x
check_bad blobs --samples
check_bad blobs --samples 0
check_bad blobs --samples -5
check_bad blobs --samples 12abc
check_bad blobs --samples ''
check_bad blobs --cluster-std -1
check_bad blobs --cluster-std nan
check_bad blobs --center-box 3
check_bad blobs --center-box a,b
check_bad blobs --centers 0
check_bad blobs --noise 0.1
check_bad circles --noise -0.1
check_bad circles --factor 1
check_bad circles --factor -0.5
check_bad circles --features 3
check_bad moons --noise -1
check_bad moons --factor 0.5
check_bad classification --informative 3 --redundant 0 --features 2
check_bad classification --informative 2 --redundant 2 --features 3
check_bad classification --classes 3 --informative 1
check_bad classification --classes 5 --clusters-per-class 1 --informative 2
check_bad blobs --test-size 0
check_bad blobs --test-size 1.0
check_bad blobs --test-size 1.5
check_bad blobs --test-size -0.2
check_bad blobs --samples 10 --test-size 10
check_bad blobs --seed -1
check_bad blobs --seed 4294967296
check_bad blobs --seed x

# a write that fails: status 1, nothing left
"$nn_data" moons --seed 1 -o "$tmp/no/such/dir/x.csv" > /dev/null 2> "$tmp/err"
[ $? = 1 ] || die "writing into a missing directory: status is not 1"
[ -e "$tmp/no" ] && die "a failed write leaves something"
if [ -e /dev/full ]; then
	"$nn_data" moons --seed 1 > /dev/full 2> /dev/null && die "writing to /dev/full succeeds"
fi

[ $fail = 0 ] && echo "nn-data CLI: all checks passed"
exit $fail
