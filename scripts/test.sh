#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what is missing (deps.sh
# test), build, run every test, then again under valgrind (core suites) and
# in an AddressSanitizer + UndefinedBehaviorSanitizer build, and build the
# library on the generic BLAS (-Dblas=blas) for two quick suites. Ends with
# one line "N passed, N failed, N skipped" counting the tests really run.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test || { echo "test: could not install dependencies" >&2; exit 1; }

status=0
logs=()

run() { # run BUILDDIR LOGNAME [meson test args...]: LOGNAME is testlog or testlog-<setup>
  local dir=$1 log=$2
  shift 2
  echo "== meson test -C $dir $*" >&2
  if meson test -C "$dir" --print-errorlogs "$@"; then :; else status=1; fi
  logs+=("$dir/meson-logs/$log.json")
}

configure() { # configure BUILDDIR [meson setup args...]
  local dir=$1
  shift
  if [ -d "$dir" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

setup() { # setup BUILDDIR [meson setup args...]: configure, then build everything
  configure "$@" && ninja -C "$1" >/dev/null
}

setup build -Dtests=enabled || { echo "test: build failed" >&2; exit 1; }
run build testlog
# valgrind hides AVX-512 from the program, so under it the plain suites
# already run the AVX2 family: the simd-avx2 reruns would repeat them.
run build testlog-valgrind --setup valgrind --suite unit --no-suite simd-avx2
setup build-asan -Dtests=enabled -Db_sanitize=address,undefined -Db_lundef=false \
  || { echo "test: sanitizer build failed" >&2; exit 1; }
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  run build-asan testlog --suite unit
# The other arm of -Dblas: libnn on the generic libblas.so.3. Only the
# library and the unit suites' binary, two quick suites, and libnn's
# NEEDED entry (about 15 s on 2 cores).
configure build-blas -Dblas=blas -Dtests=enabled -Dexamples=false -Dbench=false \
    -Dfuzz=disabled -Dmpi=disabled &&
  meson compile -C build-blas nn:shared_library nn-tests >/dev/null \
  || { echo "test: -Dblas=blas build failed" >&2; exit 1; }
needed=$(readelf -d build-blas/lib/libnn.so)
case "$needed" in
  *'[libblas.so.3]'*) ;;
  *) echo "test: -Dblas=blas: libnn.so does not link libblas.so.3" >&2; status=1 ;;
esac
run build-blas testlog --no-rebuild --suite matrix --suite net

python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
[ $? -eq 0 ] || status=1
exit $status
