#!/bin/sh
# Stands for the Python tests where they cannot run: says why, and exits
# with meson's code for a skipped test.
echo "SKIP: $1"
exit 77
