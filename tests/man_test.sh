#!/usr/bin/env bash
# The man pages, as meson installs them:
# - each page passes groff's lint (-ww: every warning), is ASCII, has the
#   .TH line of its name and section, renders within 80 columns, and
#   man-db's lexgrog reads its NAME line (when man-db is there);
# - every program meson installs to BINDIR has its page in MANDIR/man1, the
#   page names every long option of the program's --help, and the options
#   it describes (the tags of its .TP lists) are all in --help;
# - nn(3) names every header meson installs to INCLUDEDIR/nn.
# The lists come from `meson introspect --installed`, so a program added to
# meson fails here until its page is written and listed in doc/meson.build.
# usage: man_test.sh BUILD_DIR BINDIR MANDIR INCLUDEDIR   (exit 77 without groff)
set -euo pipefail
build=$1 bindir=$2 mandir=$3 includedir=$4
command -v groff >/dev/null || { echo "SKIP: groff not installed (Debian's groff-base)"; exit 77; }

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# every installed file: its installed path -> the file in the build or source tree
declare -A built_of
while IFS=$'\t' read -r built dest; do
  built_of[$dest]=$built
done < <(meson introspect "$build" --installed | /usr/bin/python3 -c '
import json, sys
for built, dest in json.load(sys.stdin).items():
    print(built + "\t" + dest)
')

# long options: --name, as text (the roff source writes \- for -)
long_opts() { sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z0-9-]*' | sort -u || true; }
# the options a page describes: those in the tag line after each .TP
tag_opts() { awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' "$1" | long_opts; }

npages=0
for dest in "${!built_of[@]}"; do
  case $dest in "$mandir"/man*/*) ;; *) continue ;; esac
  page=${built_of[$dest]} name=$(basename "$dest")
  npages=$((npages + 1))
  if LC_ALL=C grep -n '[^[:print:][:space:]]' "$page" >/dev/null; then
    fail "$name: not ASCII (write roff escapes such as \\(em)"
  fi
  warnings=$(groff -man -ww -z "$page" 2>&1) || true
  [ -z "$warnings" ] || fail "$name: groff warns: $warnings"
  stem=${name%.*} section=${name##*.}
  grep -q "^\.TH ${stem^^} $section " "$page" || fail "$name: no '.TH ${stem^^} $section' line"
  wide=$(groff -man -Tascii -P-cbou "$page" 2>/dev/null | awk 'length > 80' || true)
  [ -z "$wide" ] || fail "$name: rendered lines wider than 80 columns: $wide"
  if command -v lexgrog >/dev/null; then
    lexgrog "$page" >/dev/null || fail "$name: man-db cannot read its NAME section"
  fi
done
[ "$npages" -gt 0 ] || fail "meson installs no man page"

nprogs=0
for dest in "${!built_of[@]}"; do
  [ "$(dirname "$dest")" = "$bindir" ] || continue
  prog=${built_of[$dest]} name=$(basename "$dest")
  nprogs=$((nprogs + 1))
  page=${built_of[$mandir/man1/$name.1]:-}
  if [ -z "$page" ]; then
    fail "$name is installed but has no man page: write doc/man/$name.1 and add it to man_pages in doc/meson.build"
    continue
  fi
  help=$("$prog" --help 2>&1) || { fail "$name --help exits non-zero"; continue; }
  undescribed=$(comm -23 <(long_opts <<< "$help") <(long_opts < "$page"))
  [ -z "$undescribed" ] || fail "$name.1 does not describe" $undescribed "(from $name --help)"
  unknown=$(comm -13 <(long_opts <<< "$help") <(tag_opts "$page"))
  [ -z "$unknown" ] || fail "$name.1 describes" $unknown "which $name --help does not list"
done

nn3=${built_of[$mandir/man3/nn.3]:-}
if [ -z "$nn3" ]; then
  fail "nn.3 is not installed"
else
  for dest in "${!built_of[@]}"; do
    case $dest in "$includedir"/nn/*.h) ;; *) continue ;; esac
    h=$(basename "$dest")
    grep -q -F "$h" "$nn3" || fail "nn.3 does not name the installed header $h"
  done
fi

[ "$fails" -eq 0 ] || exit 1
echo "man: $npages pages lint clean; $nprogs programs, each with its page and options"
