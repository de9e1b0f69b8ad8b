#!/bin/sh
# Build one libFuzzer target with clang (ASan + UBSan) and run it for a
# bounded time on its seed corpus. meson registers this as the tests
# fuzz-idx and fuzz-pickle (suite 'fuzz'); by hand:
#
#   fuzz/run.sh idx|pickle|model [out dir] [seconds]
#
# Exit 0: no crash, leak or sanitizer report; 1: a finding (the input is
# saved in the out dir as crash-*, leak-*, oom-* or timeout-*);
# 77: skipped, clang or libFuzzer is missing (Debian: clang, libclang-rt-14-dev).
set -u

target=${1:?usage: run.sh idx|pickle|model [out dir] [seconds]}
src=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-"${TMPDIR:-/tmp}/nn-fuzz"}
secs=${3:-30}
cc=${CLANG:-clang}
case $target in idx|pickle|model) ;; *) echo "fuzz: unknown target '$target'" >&2; exit 2 ;; esac
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
if [ "$target" = model ]; then
	# the model reader and the network it builds (net.c's orthogonal init needs LAPACKE)
	srcs="$src/lib/io/model.c $src/lib/core/net.c $src/lib/io/fileio.c $src/lib/core/random.c"
	libs="-llapacke -lz -lm"
else
	srcs="$src/lib/mnist/idx.c $src/lib/mnist/pickle.c $src/lib/mnist/pickle_numpy.c $src/lib/mnist/mnist.c $src/lib/io/fileio.c"
	libs="-lz -lm"
fi
# shellcheck disable=SC2086
"$cc" -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$src/include" -I"$src/lib" \
	"$src/fuzz/fuzz_$target.c" $srcs "$src/lib/core/matrix.c" "$src/lib/core/error.c" $libs -o "$exe" || exit 1

# New inputs go to a scratch corpus in the out dir, never into the source tree.
work="$out/corpus-$target"
mkdir -p "$work" || exit 1
seeds="$src/fuzz/corpus/$target"
[ "$target" = pickle ] && seeds="$seeds $src/tests/data/pickle"
# -malloc_limit_mb: any single allocation above 128 MB is a finding, so a
# header or length that the data does not back can never buy memory.
# shellcheck disable=SC2086
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=128 \
	-max_len=8192 -print_final_stats=1 -artifact_prefix="$out/" "$work" $seeds
