#!/usr/bin/env bash
# Install the Debian packages nn needs to build, test and run its examples,
# skipping those already present. Needs root (or sudo) only when something
# is missing.
set -euo pipefail

packages=(
  gcc g++ meson ninja-build pkg-config
  libopenblas-dev liblapacke-dev zlib1g-dev check
  valgrind clang libclang-rt-14-dev
  python3-numpy python3-sklearn
  libopenmpi-dev openmpi-bin
)

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
