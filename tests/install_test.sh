#!/usr/bin/env bash
# Install nn into a temporary root, then build a downstream program with
# pkg-config against it, once shared and once static, and run both.
# Also compiles nn.h as strict C99 and as C++, and checks the installed
# version, man pages, licence and HTML reference.
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

DESTDIR="$tmp/root" meson install -C "$build" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/root" -name nn.pc -path '*pkgconfig*' | head -n 1)
[ -n "$pc" ] || { echo "FAIL: nn.pc not installed"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(dirname "$(dirname "$pc")")
# the installed prefix, relocated under the temporary root
prefix=$(pkg-config --variable=prefix nn)
pkgconf() { pkg-config --define-variable=prefix="$tmp/root$prefix" "$@"; }
for f in libnn.so libnn.a; do
  [ -e "$libdir/$f" ] || { echo "FAIL: $f not installed in $libdir"; exit 1; }
done
soname=$(objdump -p "$libdir/libnn.so" | awk '/SONAME/ {print $2}')
[ "$soname" = "libnn.so.0" ] || { echo "FAIL: soname is '$soname', expected libnn.so.0"; exit 1; }

# only nn_ symbols are exported
bad=$(nm -D --defined-only "$libdir/libnn.so" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^nn_' || true)
[ -z "$bad" ] || { echo "FAIL: symbols outside nn_ exported: $bad"; exit 1; }

cc=${CC:-cc}
want=$'predictions: 0 1 1 1\naccuracy: 1.0000'

# shared
$cc -o "$tmp/prog-shared" "$src/tests/downstream/prog.c" $(pkgconf --cflags nn) $(pkgconf --libs nn)
got=$(LD_LIBRARY_PATH="$libdir" "$tmp/prog-shared")
[ "$got" = "$want" ] || { echo "FAIL: shared program printed: $got"; exit 1; }
# (ldd's output is captured first: grep -q closing the pipe early would
# trip pipefail)
libs=$(LD_LIBRARY_PATH="$libdir" ldd "$tmp/prog-shared")
case "$libs" in
  *"$libdir/libnn.so.0"*) ;;
  *) echo "FAIL: shared program does not load the installed libnn.so.0"; exit 1 ;;
esac

# static: no libnn.so at run time
$cc -static -o "$tmp/prog-static" "$src/tests/downstream/prog.c" \
  $(pkgconf --static --cflags nn) $(pkgconf --static --libs nn)
got=$(env -u LD_LIBRARY_PATH "$tmp/prog-static")
[ "$got" = "$want" ] || { echo "FAIL: static program printed: $got"; exit 1; }
case "$(ldd "$tmp/prog-static" 2>&1 || true)" in
  *libnn*) echo "FAIL: static program links libnn dynamically"; exit 1 ;;
esac

# the documentation: a man page in man1 for every installed program, nn(3)
# in man3, the licence, and the HTML reference when the build made it
mandir=$(find "$tmp/root" -type d -path '*/man/man3' -exec dirname {} \; | head -n 1)
[ -n "$mandir" ] && [ -f "$mandir/man3/nn.3" ] || { echo "FAIL: nn.3 not installed in a man3"; exit 1; }
progs=$(find "$tmp/root" -path '*/bin/*' -type f -perm -u+x)
[ -n "$progs" ] || { echo "FAIL: no program installed"; exit 1; }
for p in $progs; do
  [ -f "$mandir/man1/$(basename "$p").1" ] \
    || { echo "FAIL: $(basename "$p") installed without $mandir/man1/$(basename "$p").1"; exit 1; }
done
if command -v man >/dev/null; then
  MANPATH=$mandir man -w 3 nn >/dev/null || { echo "FAIL: man does not find nn(3) in $mandir"; exit 1; }
fi
docdir=$(find "$tmp/root" -type d -path '*/share/doc/nn' | head -n 1)
[ -n "$docdir" ] && [ -f "$docdir/LICENSE" ] || { echo "FAIL: LICENSE not installed in share/doc/nn"; exit 1; }
if [ -d "$build/doc/html" ]; then
  [ -f "$docdir/html/index.html" ] || { echo "FAIL: the HTML reference is not installed"; exit 1; }
fi

# version.h is installed beside nn.h, and the macros, nn_version() of the
# installed library and nn.pc's Version are one version
incdir=$(pkgconf --variable=includedir nn)
[ -f "$incdir/nn/version.h" ] || { echo "FAIL: nn/version.h not installed in $incdir"; exit 1; }
cat > "$tmp/version.c" <<'EOF_C'
#include <stdio.h>
#include <nn/nn.h>
int main(void)
{
	printf("%d.%d.%d %s %s\n", NN_VERSION_MAJOR, NN_VERSION_MINOR, NN_VERSION_PATCH,
	       NN_VERSION_STRING, nn_version());
	return 0;
}
EOF_C
$cc -o "$tmp/version" "$tmp/version.c" $(pkgconf --cflags nn) $(pkgconf --libs nn)
v=$(pkg-config --modversion nn)
got=$(LD_LIBRARY_PATH="$libdir" "$tmp/version")
[ "$got" = "$v $v $v" ] || { echo "FAIL: version macros, string, nn_version(): '$got'; nn.pc says $v"; exit 1; }

# the public header, strict C99 and C++
inc=$(pkgconf --cflags-only-I nn)
$cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only $inc "$src/tests/downstream/header_check.c"
${CXX:-c++} -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only $inc \
  "$src/tests/downstream/header_check.c"
echo "install: shared and static programs ran; version $v everywhere; nn.h is clean C99 and C++"
