#!/bin/sh
# Regenerate the dataset golden files with scikit-learn into a temporary
# directory and check that nothing changed. Exit 77 (skipped) when Debian's
# /usr/bin/python3 lacks numpy or scikit-learn.
#   check_dataset_fixtures.sh SOURCE_ROOT
root=$1
[ -x /usr/bin/python3 ] || { echo "no /usr/bin/python3: skipped"; exit 77; }
/usr/bin/python3 -c 'import numpy, sklearn' 2> /dev/null ||
	{ echo "/usr/bin/python3 has no numpy or sklearn: skipped"; exit 77; }
exec /usr/bin/python3 "$root/scripts/gen_dataset_fixtures.py" --check \
	--out "$root/tests/data/datasets"
