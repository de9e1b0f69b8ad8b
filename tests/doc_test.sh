#!/usr/bin/env bash
# Doxygen on the public headers must not warn: every public name documented,
# and a function that documents some of its parameters documents all of
# them. Runs the build's Doxyfile without output, warnings as errors.
# usage: doc_test.sh DOXYFILE [DOXYGEN]   (exit 77 when doxygen is absent)
set -euo pipefail
doxyfile=$1
doxygen=${2:-}
[ -n "$doxygen" ] || doxygen=$(command -v doxygen || true)
[ -n "$doxygen" ] || { echo "SKIP: doxygen not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the build's settings, then what this test changes: no HTML, a private
# output directory, every warning on stderr and fatal
cat > "$tmp/Doxyfile" <<EOF_DOXY
@INCLUDE = $doxyfile
OUTPUT_DIRECTORY = $tmp/out
GENERATE_HTML = NO
GENERATE_XML = YES
WARN_LOGFILE =
WARN_AS_ERROR = FAIL_ON_WARNINGS
EOF_DOXY
rc=0
"$doxygen" "$tmp/Doxyfile" > "$tmp/stdout" 2> "$tmp/warnings" || rc=$?
n=$(grep -c -E ': (warning|error):' "$tmp/warnings" || true)
if [ "$rc" -ne 0 ] || [ -s "$tmp/warnings" ]; then
  cat "$tmp/warnings"
  echo "FAIL: doxygen exited $rc with $n warning(s) on the headers"
  exit 1
fi
# it did read the headers: every installed header has its page
for h in nn.h common.h matrix.h net.h version.h; do
  ls "$tmp/out/xml/"*"${h%.h}_8h.xml" >/dev/null 2>&1 \
    || { echo "FAIL: doxygen produced no page for $h"; exit 1; }
done
echo "doxygen: no warnings"
