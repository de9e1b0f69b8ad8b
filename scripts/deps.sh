#!/usr/bin/env bash
# Install the Debian packages nn needs, skipping those already present.
# Needs root (or sudo) only when something is missing.
#
# usage: scripts/deps.sh run|test
#   run   what scripts/main_job.sh needs: build nn and run the lecture's
#         three programs
#   test  run's, and what scripts/test.sh needs for every test
set -euo pipefail

run=(
  gcc meson ninja-build pkg-config
  libopenblas-dev liblapacke-dev zlib1g-dev
)
test=(
  "${run[@]}"
  g++                            # nn.h compiled as C++ (install test)
  check valgrind                 # the unit suites, and under valgrind
  clang libclang-rt-14-dev       # the fuzz targets (libFuzzer)
  python3-numpy python3-sklearn  # the fixtures' generators (dataset-fixtures)
  python3-pytest                 # the Python package's tests (suite python)
  python3-torch                  # one training step against PyTorch (torch-cnn-step)
  libopenmpi-dev openmpi-bin     # libnn-mpi and its mpirun tests
  doxygen                        # the HTML reference and the doxygen test
  groff-base man-db              # the man pages' lint
)

case ${1:-} in
  run) packages=("${run[@]}") ;;
  test) packages=("${test[@]}") ;;
  *) echo "usage: scripts/deps.sh run|test" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
