#!/usr/bin/env bash
# The Python package as `meson install` leaves it: install into a temporary
# root, then check that every module is there, in a directory the
# interpreter searches for this prefix (Debian: .../dist-packages), that
# _config.py names the libdir libnn.so.0 was installed to, and that the
# installed package imports and runs on the installed libnn.
# usage: install_test.sh BUILD_DIR PYTHON
set -euo pipefail
build=$1 py=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

DESTDIR="$tmp/root" meson install -C "$build" --no-rebuild --quiet >/dev/null
init=$(find "$tmp/root" -path '*/nn/__init__.py' | head -n 1)
[ -n "$init" ] || { echo "FAIL: nn/__init__.py not installed"; exit 1; }
pkgdir=$(dirname "$init")
purelib=$(dirname "$pkgdir")
for f in _arrays.py _lib.py _config.py datasets.py errors.py estimators.py io.py network.py \
         random.py lecture/__init__.py lecture/first_network.py lecture/second_network.py \
         lecture/mnist_loader.py; do
  [ -f "$pkgdir/$f" ] || { echo "FAIL: nn/$f not installed in $pkgdir"; exit 1; }
done

# the libdir _config.py names holds the installed libnn.so.0
libdir=$("$py" -c "import runpy; print(runpy.run_path('$pkgdir/_config.py')['LIBDIR'])")
[ -e "$tmp/root$libdir/libnn.so.0" ] || {
  echo "FAIL: _config.py says LIBDIR=$libdir, but $tmp/root$libdir/libnn.so.0 is not there"
  exit 1
}

# for /usr and /usr/local, the interpreter itself searches the directory installed to
prefix=$(meson introspect "$build" --buildoptions |
  "$py" -c "import json, sys; print([o['value'] for o in json.load(sys.stdin) if o['name'] == 'prefix'][0])")
case "$prefix" in
  /usr | /usr/local)
    rel=${purelib#"$tmp/root"}
    "$py" -c "import sys; sys.exit(0 if '$rel' in sys.path else 1)" || {
      echo "FAIL: installed to $rel, which $py does not search"; exit 1; }
    ;;
esac

# the installed package, on the installed library
out=$(cd "$tmp" && env -u PYTHONPATH NN_LIBRARY="$tmp/root$libdir/libnn.so.0" \
  PYTHONPATH="$purelib" PYTHONDONTWRITEBYTECODE=1 "$py" -c '
import nn
assert nn.__file__.startswith("'"$purelib"'"), nn.__file__
assert nn.__version__ == nn.library_version(), (nn.__version__, nn.library_version())
X, y = nn.datasets.make_moons(200, noise=0.1, random_state=0)
clf = nn.MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=300,
                       random_state=0).fit(X, y)
print("ok", clf.score(X, y) > 0.8)
')
[ "$out" = "ok True" ] || { echo "FAIL: the installed package printed: $out"; exit 1; }
echo "installed package OK in $purelib"
