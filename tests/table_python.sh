#!/bin/sh
# nn's table readers against numpy and scikit-learn: the real data sets of
# Debian's python3-sklearn written as CSV, TSV and .npy, text written by
# Python's csv module, and nn_npy_write() loaded back by np.load().
# Exit 77 (skipped) when /usr/bin/python3 lacks numpy or scikit-learn.
#   table_python.sh NN_TABLE_TOOL SOURCE_ROOT
[ -x /usr/bin/python3 ] || { echo "no /usr/bin/python3: skipped"; exit 77; }
/usr/bin/python3 -c 'import numpy, sklearn' 2> /dev/null ||
	{ echo "/usr/bin/python3 has no numpy or sklearn: skipped"; exit 77; }
exec /usr/bin/python3 "$2/tests/table_python.py" "$1"
