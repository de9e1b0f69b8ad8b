#!/bin/sh
# Build one libFuzzer target with clang (ASan + UBSan) and run it for a
# bounded time on its seed corpus. meson registers this as the tests
# fuzz-<target> (suite 'fuzz'); by hand:
#
#   fuzz/run.sh idx|pickle|pickle-large|model|model-crc|csv|npy [out dir] [seconds]
#
# pickle-large is the pickle target on inputs of up to 1 MiB (its own corpus,
# fuzz/corpus/pickle-large); model-crc is the model reader with the CRC
# recomputed over each input, so that the checks behind it are reached.
#
# Exit 0: no crash, leak or sanitizer report; 1: a finding (the input is
# saved in the out dir as crash-*, leak-*, oom-* or timeout-*);
# 77: skipped, clang or libFuzzer is missing (Debian: clang, libclang-rt-14-dev).
set -u

target=${1:?usage: run.sh idx|pickle|pickle-large|model|model-crc|csv|npy [out dir] [seconds]}
src=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-"${TMPDIR:-/tmp}/nn-fuzz"}
secs=${3:-30}
cc=${CLANG:-clang}
# the harness each target builds, its seed corpora and its largest input
case $target in
idx) harness=idx seeds="$src/fuzz/corpus/idx" max_len=8192 ;;
pickle) harness=pickle seeds="$src/fuzz/corpus/pickle $src/tests/data/pickle" max_len=8192 ;;
pickle-large)
	harness=pickle max_len=1048576
	seeds="$src/fuzz/corpus/pickle-large $src/fuzz/corpus/pickle $src/tests/data/pickle" ;;
model) harness=model seeds="$src/fuzz/corpus/model" max_len=8192 ;;
model-crc) harness=model_crc seeds="$src/fuzz/corpus/model" max_len=8192 ;;
csv|npy) harness=$target seeds="$src/fuzz/corpus/$target" max_len=8192 ;; # tables (issue 14)
*) echo "fuzz: unknown target '$target'" >&2; exit 2 ;;
esac
mkdir -p "$out" || exit 1

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc not found; skipping"
	exit 77
fi
if ! "$cc" -fsanitize=fuzzer,address,undefined "$src/fuzz/probe.c" -o "$out/probe-$target" \
	>/dev/null 2>&1; then
	echo "fuzz: $cc cannot link libFuzzer (apt-get install libclang-rt-14-dev); skipping"
	exit 77
fi

exe="$out/fuzz_$target"
case $target in model*) is_model=1 ;; *) is_model=0 ;; esac
if [ $is_model = 1 ]; then
	# the model reader and the network it builds (net.c's orthogonal init needs LAPACKE)
	srcs="$src/lib/io/model.c $src/lib/core/net.c $src/lib/io/fileio.c $src/lib/core/random.c"
	libs="-llapacke -lz -lm"
else
	srcs="$src/lib/mnist/idx.c $src/lib/mnist/pickle.c $src/lib/mnist/pickle_numpy.c $src/lib/mnist/mnist.c $src/lib/io/fileio.c"
	libs="-lz -lm"
fi
case $target in csv|npy) srcs="$srcs $src/lib/io/table.c $src/lib/io/csv.c $src/lib/io/npy.c" ;; esac
# shellcheck disable=SC2086
"$cc" -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$src/include" -I"$src/lib" \
	"$src/fuzz/fuzz_$harness.c" $srcs "$src/lib/core/matrix.c" "$src/lib/core/error.c" $libs -o "$exe" || exit 1

# New inputs go to a scratch corpus in the out dir, never into the source tree.
work="$out/corpus-$target"
mkdir -p "$work" || exit 1
# -malloc_limit_mb: any single allocation above 128 MB is a finding, so a
# header or length that the data does not back can never buy memory.
# shellcheck disable=SC2086
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=128 \
	-max_len="$max_len" -print_final_stats=1 -artifact_prefix="$out/" "$work" $seeds
