#!/usr/bin/python3
"""Run the Python package's tests with pytest, or skip (exit 77, meson's skip
code) with a message when numpy or pytest is missing (Debian: python3-numpy,
python3-pytest)."""

import importlib.util
import sys

for module, package in (('numpy', 'python3-numpy'), ('pytest', 'python3-pytest')):
    if importlib.util.find_spec(module) is None:
        print('SKIP: the Python tests need %s (Debian: %s), which %s lacks'
              % (module, package, sys.executable))
        sys.exit(77)

import pytest  # noqa: E402

sys.exit(pytest.main(sys.argv[1:]))
